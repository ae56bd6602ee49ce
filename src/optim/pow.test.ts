import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { pyPow } from "./pow.js";

/** x^n (x > 0 a double, n ≥ 1) rounded to nearest-even from the exact BigInt value. */
function exactPow(x: number, n: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e = biased - 1075;
  if (biased !== 0) m |= 1n << 52n;
  else e = -1074;
  const big = m ** BigInt(n);
  let exp = e * n;
  const bits = big.toString(2).length;
  const shift = bits - 53;
  if (shift <= 0) return Number(big) * 2 ** exp;
  let q = big >> BigInt(shift);
  const rem = big - (q << BigInt(shift));
  const half = 1n << BigInt(shift - 1);
  if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  exp += shift;
  return Number(q) * 2 ** exp;
}

describe("pyPow", () => {
  test("integer powers are correctly rounded (checked against exact BigInt arithmetic)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 1.5, noNaN: true }),
        fc.integer({ min: 1, max: 1200 }),
        (x, n) => {
          const exact = x ** n;
          fc.pre(exact > 1e-280 && exact < 1e280);
          expect(pyPow(x, n)).toBe(exactPow(x, n));
        },
      ),
      { numRuns: 300 },
    );
  });

  test("the bias-correction bases for the first thousand steps", () => {
    for (const beta of [0.9, 0.99, 0.999, 0.95]) {
      for (let t = 1; t <= 1000; t++) expect(pyPow(beta, t)).toBe(exactPow(beta, t));
    }
  });

  test("non-integer exponents agree with Math.pow to an ulp and are exact where the result is", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: -20, max: 20, noNaN: true }),
        (x, y) => {
          const ours = pyPow(x, y);
          const v8 = x ** y;
          expect(Math.abs(ours - v8)).toBeLessThanOrEqual(Math.abs(v8) * 2 ** -51);
        },
      ),
      { numRuns: 300 },
    );
    expect(pyPow(4, 1.5)).toBe(8);
    expect(pyPow(2, -3)).toBe(0.125);
    expect(pyPow(9, 0.5)).toBe(3);
  });

  test("special operands follow Math.pow", () => {
    expect(pyPow(0, 2)).toBe(0);
    expect(pyPow(-2, 3)).toBe(-8);
    expect(pyPow(5, 0)).toBe(1);
    expect(Number.isNaN(pyPow(-2, 0.5))).toBe(true);
    expect(pyPow(Infinity, 2)).toBe(Infinity);
  });
});

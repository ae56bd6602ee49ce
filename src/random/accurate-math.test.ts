import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { accurateCos, accurateLog, accurateSin, accurateSinCos } from "./accurate-math.js";

// Correct rounding against a 200-bit reference (mpmath) is checked in test/random.test.ts; here,
// properties that need no reference values.

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
function ulps(a: number, b: number): number {
  f64[0] = a;
  const x = i64[0]!;
  f64[0] = b;
  const y = i64[0]!;
  return Number(x > y ? x - y : y - x);
}

const unit = fc.integer({ min: 1, max: 2 ** 53 - 1 }).map((j) => j * 2 ** -53);

describe("accurateLog", () => {
  it("is within 1 ulp of Math.log (both are faithful) on (0, 1) and beyond", () => {
    fc.assert(
      fc.property(fc.oneof(unit, fc.double({ min: 1e-300, max: 1e300, noNaN: true })), (x) => {
        expect(ulps(accurateLog(x), Math.log(x))).toBeLessThanOrEqual(1);
      }),
      { numRuns: 5000 },
    );
  });

  it("is exact where the logarithm is a multiple of ln 2 and handles the edges", () => {
    expect(accurateLog(1)).toBe(0);
    expect(accurateLog(2)).toBe(Math.LN2);
    expect(accurateLog(0.5)).toBe(-Math.LN2);
    expect(accurateLog(0)).toBe(-Infinity);
    expect(accurateLog(Infinity)).toBe(Infinity);
    expect(Number.isNaN(accurateLog(-1))).toBe(true);
    expect(ulps(accurateLog(Number.MIN_VALUE), Math.log(Number.MIN_VALUE))).toBeLessThanOrEqual(1);
  });
});

describe("accurateSin / accurateCos", () => {
  it("are within 1 ulp of Math.sin/cos on [0, 2π) and agree with accurateSinCos", () => {
    fc.assert(
      fc.property(unit, (u) => {
        const t = 2 * Math.PI * u;
        const [s, c] = accurateSinCos(t);
        expect(s).toBe(accurateSin(t));
        expect(c).toBe(accurateCos(t));
        expect(ulps(s, Math.sin(t))).toBeLessThanOrEqual(1);
        expect(ulps(c, Math.cos(t))).toBeLessThanOrEqual(1);
      }),
      { numRuns: 5000 },
    );
  });

  it("handle quadrant boundaries, negative and huge arguments", () => {
    expect(accurateSin(0)).toBe(0);
    expect(accurateCos(0)).toBe(1);
    expect(accurateSin(Math.PI / 2)).toBe(1);
    expect(accurateCos(Math.PI)).toBe(-1);
    expect(accurateSin(-1)).toBe(-accurateSin(1));
    expect(accurateCos(-1)).toBe(accurateCos(1));
    expect(accurateSin(1e10)).toBe(Math.sin(1e10));
    expect(Number.isNaN(accurateCos(NaN))).toBe(true);
  });
});

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { fma32 } from "../../util/fma.js";
import { arithmeticFor, fastFma32, lerp, maximum, sign } from "./scalar.js";

const f32 = (x: number) => Math.fround(x);

describe("kernel scalar arithmetic", () => {
  test("lerp reaches its ends exactly and uses the nearer end as its base", () => {
    const { round, fma } = arithmeticFor(true);
    fc.assert(
      fc.property(
        fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
        fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
        (a, b) => {
          // (=== rather than Object.is: the sign of a zero result follows the FMA, as in ATen)
          expect(lerp(round, fma, a, b, 0) === a).toBe(true);
          expect(lerp(round, fma, a, b, 1) === b).toBe(true);
          const w = f32(0.1);
          expect(lerp(round, fma, a, b, w)).toBe(fma32(w, f32(b - a), a));
          const v = f32(0.7);
          expect(lerp(round, fma, a, b, v)).toBe(fma32(f32(v - 1), f32(b - a), b));
        },
      ),
    );
  });

  test("float64 arithmetic does not round to float32", () => {
    const { round } = arithmeticFor(false);
    expect(round(0.1)).toBe(0.1);
    expect(arithmeticFor(true).round(0.1)).toBe(f32(0.1));
  });

  test("maximum propagates NaN and returns the first argument on ties", () => {
    expect(maximum(NaN, 1)).toBeNaN();
    expect(maximum(1, NaN)).toBeNaN();
    expect(Object.is(maximum(-0, 0), -0)).toBe(true);
    expect(Object.is(maximum(0, -0), 0)).toBe(true);
    expect(maximum(1, 2)).toBe(2);
  });

  test("sign is 0 for NaN and zeros, as torch.sign on CPU", () => {
    expect(sign(NaN)).toBe(0);
    expect(sign(-0)).toBe(0);
    expect(sign(-3)).toBe(-1);
    expect(sign(1e-45)).toBe(1);
  });
});

/** a·b + c for float32 operands, rounded once to float32 (ties to even) with exact BigInt arithmetic. */
function exactFma32(a: number, b: number, c: number): number {
  const K = 320n; // every float32 is an integer multiple of 2^-149; products of 2^-298
  const scaled = (x: number): bigint => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const hi = view.getUint32(0);
    const lo = view.getUint32(4);
    const biased = (hi >>> 20) & 0x7ff;
    let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    if (biased !== 0) m |= 1n << 52n;
    const e = BigInt(biased === 0 ? -1074 : biased - 1075);
    const v = m << (e + K);
    return hi >>> 31 ? -v : v;
  };
  const x = scaled(a) * scaled(b) + (scaled(c) << K); // value · 2^(2K)
  if (x === 0n) return a * b + c; // an exact zero: the double sum has IEEE's sign rule
  const neg = x < 0n;
  const mag = neg ? -x : x;
  const bits = BigInt(mag.toString(2).length);
  // keep 24 significant bits, but no finer than float32's smallest subnormal 2^-149
  let shift = bits - 24n;
  const minShift = 2n * K - 149n;
  if (shift < minShift) shift = minShift;
  let q = mag >> shift;
  const rem = mag - (q << shift);
  const half = 1n << (shift - 1n);
  if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  const v = Number(q) * 2 ** Number(shift - 2n * K);
  return Math.fround(neg ? -v : v);
}

describe("fastFma32", () => {
  test("matches exact single rounding on random float32 operands", () => {
    fc.assert(
      fc.property(
        fc.float({ noNaN: true, noDefaultInfinity: true, min: f32(-1e10), max: f32(1e10) }),
        fc.float({ noNaN: true, noDefaultInfinity: true, min: f32(-1e10), max: f32(1e10) }),
        fc.float({ noNaN: true, noDefaultInfinity: true, min: f32(-1e10), max: f32(1e10) }),
        (a, b, c) => {
          expect(fastFma32(a, b, c)).toBe(exactFma32(a, b, c));
          expect(fastFma32(a, b, -f32(a * b))).toBe(exactFma32(a, b, -f32(a * b))); // cancellation
        },
      ),
      { numRuns: 2000 },
    );
  });

  test("resolves the double-rounding midpoints that Math.fround(a·b + c) gets wrong", () => {
    let wrongNaive = 0;
    fc.assert(
      fc.property(
        fc.float({ min: f32(1e-30), max: f32(1e30), noNaN: true }),
        fc.boolean(),
        fc.boolean(),
        (r0, above, negate) => {
          const r = f32(r0);
          const ulp = f32(r * (1 + 2 ** -23)) - r || 2 ** -149;
          // a·b = ulp/2 · (1 − 2^-46): a·b + c sits 2^-47 ulp from the midpoint, which a double rounds onto.
          const a = f32((ulp / 2) * (1 + 2 ** -23)) * (above ? -1 : 1);
          const b = f32(1 - 2 ** -23);
          const c = above ? f32(r + ulp) : r;
          const sign = negate ? -1 : 1;
          const want = exactFma32(sign * a, b, sign * c);
          expect(fastFma32(sign * a, b, sign * c)).toBe(want);
          expect(fma32(sign * a, b, sign * c)).toBe(want);
          if (f32(sign * a * b + sign * c) !== want) wrongNaive++;
        },
      ),
      { numRuns: 500 },
    );
    expect(wrongNaive).toBeGreaterThan(0);
  });

  test("non-finite and signed-zero operands", () => {
    expect(fastFma32(Infinity, 1, 1)).toBe(Infinity);
    expect(fastFma32(NaN, 1, 1)).toBeNaN();
    expect(fastFma32(3e38, 10, 0)).toBe(Infinity);
    expect(Object.is(fastFma32(-0, 1, -0), -0)).toBe(true);
    expect(Object.is(fastFma32(1, 0, -0), 0)).toBe(true);
  });
});

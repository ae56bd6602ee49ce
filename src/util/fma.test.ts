import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { fma32, fma64 } from "./fma.js";

// Exact rational reference: every finite double is m·2^e, so a·b + c is exact in BigInt after
// scaling to a common exponent; then round to the target precision (half to even).
function toRational(x: number): { m: bigint; e: number } {
  if (x === 0) return { m: 0n, e: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  if (exp === 0) return { m: sign * frac, e: -1074 };
  return { m: sign * (frac | (1n << 52n)), e: exp - 1075 };
}

function roundRational(m: bigint, e: number, precision: number): number {
  if (m === 0n) return 0;
  const neg = m < 0n;
  let mag = neg ? -m : m;
  let ex = e;
  const bitlen = mag.toString(2).length;
  if (bitlen > precision) {
    const drop = BigInt(bitlen - precision);
    const q = mag >> drop;
    const r = mag - (q << drop);
    const half = 1n << (drop - 1n);
    let qq = q;
    if (r > half || (r === half && (q & 1n) === 1n)) qq = q + 1n;
    mag = qq;
    ex += Number(drop);
  }
  const v = Number(mag) * 2 ** ex;
  return neg ? -v : v;
}

function exactFma(a: number, b: number, c: number, precision: number): number {
  const ra = toRational(a);
  const rb = toRational(b);
  const rc = toRational(c);
  const pm = ra.m * rb.m;
  const pe = ra.e + rb.e;
  const e = Math.min(pe, rc.e);
  const sum = (pm << BigInt(pe - e)) + (rc.m << BigInt(rc.e - e));
  // An exact zero is -0 only when both addends are negative zeros (IEEE 754, round to nearest).
  if (sum === 0n) return Object.is(a * b, -0) && Object.is(c, -0) ? -0 : 0;
  return roundRational(sum, e, precision);
}

// Magnitudes are kept away from the subnormal range, where the reference below (fixed precision)
// does not model gradual underflow; parameter updates never get there.
const f32 = fc
  .float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })
  .filter((x) => x === 0 || Math.abs(x) > 1e-12)
  .map(Math.fround);
const f64 = fc
  .double({ noNaN: true, noDefaultInfinity: true, min: -1e100, max: 1e100 })
  .filter((x) => x === 0 || Math.abs(x) > 1e-100);

describe("fma32", () => {
  it("matches an exact rational reference on random float32 triples", () => {
    fc.assert(
      fc.property(f32, f32, f32, (a, b, c) => {
        const want = exactFma(a, b, c, 24);
        expect(Object.is(fma32(a, b, c), Math.fround(want)) || fma32(a, b, c) === want).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });
  it("rounds once where mul-then-add rounds twice", () => {
    // 1 + 2^-24 lies exactly halfway between two float32s; the tiny addend must break the tie upward.
    const a = 1 + 2 ** -23;
    const b = 1 + 2 ** -23;
    const c = -1;
    expect(fma32(Math.fround(a), Math.fround(b), c)).toBe(exactFma(Math.fround(a), Math.fround(b), c, 24));
  });
});

describe("fma64", () => {
  it("matches an exact rational reference on random double triples", () => {
    fc.assert(
      fc.property(f64, f64, f64, (a, b, c) => {
        expect(fma64(a, b, c)).toBe(exactFma(a, b, c, 53));
      }),
      { numRuns: 20000 },
    );
  });
  it("differs from a·b + c when that rounds twice", () => {
    expect(fma64(0.1, 3, -0.3)).toBe(exactFma(0.1, 3, -0.3, 53));
    expect(fma64(0.1, 3, -0.3)).not.toBe(0.1 * 3 - 0.3);
  });
});

/**
 * Correctly rounded fused multiply-add, `a·b + c` with a single rounding. PyTorch's x86-64 CPU
 * kernels are compiled with FMA contraction, so `uniform_`, `add(alpha)`, `addcmul` and `lerp`
 * round once; reproducing their bits in JS needs these emulations.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Index of the 32-bit word holding the least significant bits of a double on this platform.
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

/** Round-to-odd correction: if the exact value `s + e` was rounded (e ≠ 0) and `s` is even, step `s` toward the exact value. */
function roundToOdd(s: number, e: number): number {
  if (e === 0 || !Number.isFinite(s)) return s;
  f64[0] = s;
  if ((u32[LOW]! & 1) !== 0) return s;
  // Stepping the integer representation by one moves one ulp away from zero (+1) or toward it (−1).
  const away = e > 0 === s > 0;
  const lo = u32[LOW]!;
  if (away) {
    u32[LOW] = (lo + 1) >>> 0;
    if (lo === 0xffffffff) u32[1 - LOW] = (u32[1 - LOW]! + 1) >>> 0;
  } else {
    u32[LOW] = (lo - 1) >>> 0;
    if (lo === 0) u32[1 - LOW] = (u32[1 - LOW]! - 1) >>> 0;
  }
  return f64[0]!;
}

/**
 * Single-rounding `a·b + c` for float32 operands (the product is exact in double; the sum is
 * rounded to odd in double, then to float32, which is then correct because 53 ≥ 24 + 2).
 * @example fma32(Math.fround(0.1), Math.fround(3), Math.fround(-0.3))
 */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const bb = s - p;
  const e = p - (s - bb) + (c - bb);
  return Math.fround(roundToOdd(s, e));
}

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's constant for splitting a double into 26-bit halves

/**
 * Single-rounding `a·b + c` in double (Boldo–Melquiond: exact product by Dekker's algorithm,
 * TwoSum with c, then a round-to-odd addition of the two error terms). Valid away from overflow
 * and underflow, which is all that parameter updates and random initialisation need.
 * @example fma64(0.1, 3, -0.3) // 2.7755575615628914e-17
 */
export function fma64(a: number, b: number, c: number): number {
  const ph = a * b;
  if (!Number.isFinite(ph) || !Number.isFinite(c) || ph === 0) return ph + c;
  // Exact product ph + pl.
  let t = SPLIT * a;
  const ahi = t - (t - a);
  const alo = a - ahi;
  t = SPLIT * b;
  const bhi = t - (t - b);
  const blo = b - bhi;
  const pl = ahi * bhi - ph + ahi * blo + alo * bhi + alo * blo;
  // th + tl = c + ph exactly.
  const th = c + ph;
  const z = th - c;
  const tl = c - (th - z) + (ph - z);
  // v = round-to-odd(tl + pl).
  const u = tl + pl;
  const w = u - tl;
  const ue = tl - (u - w) + (pl - w);
  return th + roundToOdd(u, ue);
}

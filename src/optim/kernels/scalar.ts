/**
 * Element arithmetic the optimizer kernels share: rounding to the parameter dtype after every
 * operation, PyTorch's fused multiply-adds, and the NaN and tie rules of `lerp`, `maximum` and
 * `sign` on CPU.
 *
 * A kernel picks `round` and `fma` once per call from {@link arithmeticFor} and uses them for every
 * element, so the same loop serves float32 (each operation rounded with `Math.fround`, which is exact
 * emulation because a double holds any float32 sum, product, quotient or square root before the
 * final rounding) and float64 (no rounding needed).
 *
 * @example
 * ```ts
 * const { round, fma } = arithmeticFor(true);
 * round(0.1 + 0.2); // 0.30000001192092896
 * ```
 * @module
 */

import { fma64 } from "../../util/fma.js";

/** A storage array a kernel can read and write. */
export type FloatArray = Float32Array | Float64Array;

/** Round a double to the working dtype. */
export type Round = (x: number) => number;

/** `a·b + c` rounded once to the working dtype. */
export type Fma = (a: number, b: number, c: number) => number;

/** The pair of primitives a kernel needs for one dtype. */
export interface Arithmetic {
  round: Round;
  fma: Fma;
}

/**
 * `a·b + c` rounded once to float32, for float32 operands: the same results as `fma32` in
 * `util/fma.ts`, several times faster on the common path.
 *
 * The product is exact in a double, so `s = a·b + c` has one double rounding and `Math.fround(s)`
 * is correctly rounded unless `s` landed exactly on a float32 midpoint (the only place where
 * rounding twice can differ from rounding once). A midpoint is recognised by `r + 2·(s − r)` being
 * the other float32 neighbour; only then is the rounding error of `s` (TwoSum) needed to pick the
 * side. Every other element costs one product, one sum, one `fround` and one comparison.
 *
 * @example
 * ```ts
 * fastFma32(Math.fround(0.1), Math.fround(3), Math.fround(-0.3)); // 2.2351741790771484e-8
 * ```
 */
export function fastFma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = Math.fround(s);
  const d = s - r; // exact (Sterbenz): r is within half a float32 ulp of s
  if (d === 0) return r;
  const other = r + 2 * d;
  if (Math.fround(other) !== other) return r;
  // s is the midpoint between r and `other`: the exact a·b + c lies on the side of s's error.
  const bb = s - p;
  const e = p - (s - bb) + (c - bb);
  if (e === 0) return r;
  return e > 0 === d > 0 ? other : r;
}

const identity: Round = (x) => x;
const F32: Arithmetic = { round: Math.fround, fma: fastFma32 };
const F64: Arithmetic = { round: identity, fma: fma64 };

/**
 * The rounding and FMA of float32 (`f32 = true`) or float64 storage.
 *
 * @example
 * ```ts
 * const { fma } = arithmeticFor(false); // fma64
 * ```
 */
export function arithmeticFor(f32: boolean): Arithmetic {
  return f32 ? F32 : F64;
}

/**
 * ATen's CPU `lerp` with a scalar weight: `start + w·(end − start)` evaluated from the nearer end,
 * each branch one FMA: `|w| < 0.5` → `fma(w, end − start, start)`, else
 * `fma(w − 1, end − start, end)`.
 *
 * @example
 * ```ts
 * lerp(Math.fround, fma32, 0, 1, Math.fround(0.1)); // 0.10000000149011612
 * ```
 */
export function lerp(round: Round, fma: Fma, start: number, end: number, w: number): number {
  const d = round(end - start);
  return Math.abs(w) < 0.5 ? fma(w, d, start) : fma(round(w - 1), d, end);
}

/**
 * `torch.maximum(a, b)`: NaN if either is NaN, otherwise the larger, `a` on ties (so
 * `maximum(-0, +0)` is `-0`).
 *
 * @example
 * ```ts
 * maximum(1, NaN); // NaN
 * ```
 */
export function maximum(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  return b > a ? b : a;
}

/**
 * `torch.sign` on CPU: −1, 0 or +1, and 0 for NaN (unlike `Math.sign`, which returns NaN).
 *
 * @example
 * ```ts
 * sign(NaN); // 0
 * ```
 */
export function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

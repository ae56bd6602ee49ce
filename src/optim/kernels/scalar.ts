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

import { fma32, fma64 } from "../../util/fma.js";

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

const identity: Round = (x) => x;
const F32: Arithmetic = { round: Math.fround, fma: fma32 };
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

/**
 * SGD's per-element update over flat storage, in PyTorch's single-tensor order.
 *
 * @example
 * ```ts
 * sgdKernel(true, n, p, 0, g, 0, buf, 0, hyper); // one float32 step over n elements
 * ```
 * @module
 */

import { arithmeticFor, type FloatArray } from "./scalar.js";

/** SGD's hyperparameters for one call, already cast to the parameter dtype where PyTorch casts them. */
export interface SgdHyper {
  /** Negate the gradient first. */
  maximize: boolean;
  /** `weight_decay != 0` (tested on the double, as in Python). */
  hasWeightDecay: boolean;
  /** `weight_decay`, cast. */
  weightDecay: number;
  /** `momentum != 0`. */
  hasMomentum: boolean;
  /** `momentum`, cast. */
  momentum: number;
  /** `1 − dampening`, computed in double and cast. */
  oneMinusDampening: number;
  /** Use Nesterov's look-ahead. */
  nesterov: boolean;
  /** The buffer is new: copy the (decayed) gradient into it instead of accumulating. */
  initBuffer: boolean;
  /** `−lr`, cast. */
  negLr: number;
  /** Decoupled decay (SGDW): 0 off, 1 shrink every element, 2 cautious (only where d·θ ≥ 0). */
  decoupled: 0 | 1 | 2;
  /** `1 − s·λ`, the decoupled shrink, computed in double and cast. */
  decay: number;
}

/**
 * One SGD step for `n` elements of `p` (from `po`), gradient `g` (from `go`) and momentum buffer
 * `buf` (from `bo`; ignored without momentum):
 *
 * ```text
 * d = ±g;  if wd: d = fma(p, wd, d)
 * if momentum: buf = first ? d : fma(d, 1 − dampening, buf·momentum)
 *              d = nesterov ? fma(buf, momentum, d) : buf
 * p = fma(d, −lr, p)
 * ```
 *
 * @example
 * ```ts
 * sgdKernel(true, n, p, 0, g, 0, buf, 0, hyper); // one float32 step over n elements
 * ```
 */
export function sgdKernel(
  f32: boolean,
  n: number,
  p: FloatArray,
  po: number,
  g: FloatArray,
  go: number,
  buf: FloatArray | null,
  bo: number,
  h: SgdHyper,
): void {
  const { round, fma } = arithmeticFor(f32);
  const {
    maximize,
    hasWeightDecay,
    weightDecay,
    hasMomentum,
    momentum,
    oneMinusDampening,
    nesterov,
    initBuffer,
    negLr,
    decoupled,
    decay,
  } = h;
  const b = hasMomentum ? (buf as FloatArray) : null;
  for (let i = 0; i < n; i++) {
    let pi = p[po + i] as number;
    let d = g[go + i] as number;
    if (maximize) d = -d;
    if (hasWeightDecay) d = fma(pi, weightDecay, d);
    if (decoupled === 1) pi = round(pi * decay);
    if (b !== null) {
      const bi = initBuffer ? d : fma(d, oneMinusDampening, round((b[bo + i] as number) * momentum));
      b[bo + i] = bi;
      d = nesterov ? fma(bi, momentum, d) : bi;
    }
    if (decoupled === 2 && d * pi >= 0) pi = round(pi * decay);
    p[po + i] = fma(d, negLr, pi);
  }
}

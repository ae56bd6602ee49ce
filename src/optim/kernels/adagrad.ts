/**
 * Adagrad's per-element update over flat storage, in PyTorch's single-tensor order.
 *
 * @example
 * ```ts
 * adagradKernel(true, n, p, 0, g, 0, sum, 0, hyper);
 * ```
 * @module
 */

import { arithmeticFor, type FloatArray } from "./scalar.js";

/** Adagrad's hyperparameters for one call, cast to the parameter dtype where PyTorch casts them. */
export interface AdagradHyper {
  maximize: boolean;
  hasWeightDecay: boolean;
  weightDecay: number;
  eps: number;
  /** `−lr / (1 + (t − 1)·lr_decay)`, cast. */
  negClr: number;
}

/**
 * One Adagrad step:
 *
 * ```text
 * g = ±g;  if wd: g = fma(p, wd, g)
 * sum = fma(g, g, sum);  p = p + (−clr·g)/(sqrt(sum) + eps)
 * ```
 *
 * @example
 * ```ts
 * adagradKernel(true, n, p, 0, g, 0, sum, 0, hyper);
 * ```
 */
export function adagradKernel(
  f32: boolean,
  n: number,
  p: FloatArray,
  po: number,
  g: FloatArray,
  go: number,
  sum: FloatArray,
  so: number,
  h: AdagradHyper,
): void {
  const { round, fma } = arithmeticFor(f32);
  const { maximize, hasWeightDecay, weightDecay, eps, negClr } = h;
  for (let i = 0; i < n; i++) {
    const pi = p[po + i] as number;
    let gi = g[go + i] as number;
    if (maximize) gi = -gi;
    if (hasWeightDecay) gi = fma(pi, weightDecay, gi);
    const si = fma(gi, gi, sum[so + i] as number);
    sum[so + i] = si;
    const std = round(round(Math.sqrt(si)) + eps);
    p[po + i] = round(pi + round(round(negClr * gi) / std));
  }
}

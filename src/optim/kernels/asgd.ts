/**
 * ASGD's per-element update over flat storage, in PyTorch's single-tensor order.
 *
 * @example
 * ```ts
 * asgdKernel(true, n, p, 0, g, 0, ax, 0, hyper);
 * ```
 * @module
 */

import { arithmeticFor, type FloatArray } from "./scalar.js";

/** ASGD's hyperparameters for one call, cast to the parameter dtype where PyTorch casts them. */
export interface ASGDHyper {
  maximize: boolean;
  hasWeightDecay: boolean;
  weightDecay: number;
  /** `1 − λ·η`, computed in double from the stored η and cast. */
  shrink: number;
  /** `−η`, cast. */
  negEta: number;
  /** The stored `mu` is exactly 1: the average is a copy of the parameter. */
  copyAverage: boolean;
  /** The stored `mu` (a float32 value). */
  mu: number;
}

/**
 * One ASGD step:
 *
 * ```text
 * g = ±g;  if wd: g = fma(p, wd, g)
 * p = p·(1 − λ·η);  p = fma(g, −η, p)
 * ax = mu == 1 ? p : ax + (p − ax)·mu
 * ```
 *
 * @example
 * ```ts
 * asgdKernel(true, n, p, 0, g, 0, ax, 0, hyper);
 * ```
 */
export function asgdKernel(
  f32: boolean,
  n: number,
  p: FloatArray,
  po: number,
  g: FloatArray,
  go: number,
  ax: FloatArray,
  xo: number,
  h: ASGDHyper,
): void {
  const { round, fma } = arithmeticFor(f32);
  const { maximize, hasWeightDecay, weightDecay, shrink, negEta, copyAverage, mu } = h;
  for (let i = 0; i < n; i++) {
    let pi = p[po + i] as number;
    let gi = g[go + i] as number;
    if (maximize) gi = -gi;
    if (hasWeightDecay) gi = fma(pi, weightDecay, gi);
    pi = fma(gi, negEta, round(pi * shrink));
    p[po + i] = pi;
    if (copyAverage) {
      ax[xo + i] = pi;
    } else {
      const ai = ax[xo + i] as number;
      ax[xo + i] = round(ai + round(round(pi - ai) * mu));
    }
  }
}

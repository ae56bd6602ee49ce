/**
 * Adamax's per-element update over flat storage, in current PyTorch's single-tensor order.
 *
 * @example
 * ```ts
 * adamaxKernel(true, n, p, 0, g, 0, m, 0, u, 0, hyper);
 * ```
 * @module
 */

import { arithmeticFor, lerp, maximum, type FloatArray } from "./scalar.js";

/** Adamax's hyperparameters for one call, cast to the parameter dtype where PyTorch casts them. */
export interface AdamaxHyper {
  maximize: boolean;
  hasWeightDecay: boolean;
  weightDecay: number;
  /** `1 − β1`, cast. */
  oneMinusBeta1: number;
  /** `β2`, cast. */
  beta2: number;
  eps: number;
  /** `−lr / (1 − β1^t)`, cast. */
  negClr: number;
}

/**
 * One Adamax step:
 *
 * ```text
 * g = ±g;  if wd: g = fma(p, wd, g)
 * m = lerp(m, g, 1 − β1);  u = maximum(u·β2, |g| + eps)
 * p = p + (−clr·m)/u
 * ```
 *
 * @example
 * ```ts
 * adamaxKernel(true, n, p, 0, g, 0, m, 0, u, 0, hyper);
 * ```
 */
export function adamaxKernel(
  f32: boolean,
  n: number,
  p: FloatArray,
  po: number,
  g: FloatArray,
  go: number,
  m: FloatArray,
  mo: number,
  u: FloatArray,
  uo: number,
  h: AdamaxHyper,
): void {
  const { round, fma } = arithmeticFor(f32);
  const { maximize, hasWeightDecay, weightDecay, oneMinusBeta1, beta2, eps, negClr } = h;
  for (let i = 0; i < n; i++) {
    const pi = p[po + i] as number;
    let gi = g[go + i] as number;
    if (maximize) gi = -gi;
    if (hasWeightDecay) gi = fma(pi, weightDecay, gi);
    const mi = lerp(round, fma, m[mo + i] as number, gi, oneMinusBeta1);
    m[mo + i] = mi;
    const ui = maximum(round((u[uo + i] as number) * beta2), round(Math.abs(gi) + eps));
    u[uo + i] = ui;
    p[po + i] = round(pi + round(round(negClr * mi) / ui));
  }
}

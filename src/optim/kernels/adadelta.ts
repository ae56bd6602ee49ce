/**
 * Adadelta's per-element update over flat storage, in PyTorch's single-tensor order.
 *
 * @example
 * ```ts
 * adadeltaKernel(true, n, p, 0, g, 0, sq, 0, acc, 0, hyper);
 * ```
 * @module
 */

import { arithmeticFor, type FloatArray } from "./scalar.js";

/** Adadelta's hyperparameters for one call, cast to the parameter dtype where PyTorch casts them. */
export interface AdadeltaHyper {
  maximize: boolean;
  hasWeightDecay: boolean;
  weightDecay: number;
  rho: number;
  /** `1 − ρ`, cast. */
  oneMinusRho: number;
  eps: number;
  negLr: number;
}

/**
 * One Adadelta step:
 *
 * ```text
 * g = ±g;  if wd: g = fma(p, wd, g)
 * sq = fma((1 − ρ)·g, g, sq·ρ)
 * delta = (sqrt(acc + eps) / sqrt(sq + eps))·g
 * acc = fma((1 − ρ)·delta, delta, acc·ρ);  p = fma(delta, −lr, p)
 * ```
 *
 * @example
 * ```ts
 * adadeltaKernel(true, n, p, 0, g, 0, sq, 0, acc, 0, hyper);
 * ```
 */
export function adadeltaKernel(
  f32: boolean,
  n: number,
  p: FloatArray,
  po: number,
  g: FloatArray,
  go: number,
  sq: FloatArray,
  so: number,
  acc: FloatArray,
  ao: number,
  h: AdadeltaHyper,
): void {
  const { round, fma } = arithmeticFor(f32);
  const { maximize, hasWeightDecay, weightDecay, rho, oneMinusRho, eps, negLr } = h;
  for (let i = 0; i < n; i++) {
    const pi = p[po + i] as number;
    let gi = g[go + i] as number;
    if (maximize) gi = -gi;
    if (hasWeightDecay) gi = fma(pi, weightDecay, gi);
    const si = fma(round(oneMinusRho * gi), gi, round((sq[so + i] as number) * rho));
    sq[so + i] = si;
    const std = round(Math.sqrt(round(si + eps)));
    const ai = acc[ao + i] as number;
    const delta = round(round(round(Math.sqrt(round(ai + eps))) / std) * gi);
    acc[ao + i] = fma(round(oneMinusRho * delta), delta, round(ai * rho));
    p[po + i] = fma(delta, negLr, pi);
  }
}

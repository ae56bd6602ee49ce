/**
 * Rprop's per-element update over flat storage, in PyTorch's single-tensor order.
 *
 * @example
 * ```ts
 * rpropKernel(true, n, p, 0, g, 0, prev, 0, stepSize, 0, hyper);
 * ```
 * @module
 */

import { arithmeticFor, sign, type FloatArray } from "./scalar.js";

/** Rprop's hyperparameters for one call, cast to the parameter dtype. */
export interface RpropHyper {
  maximize: boolean;
  etaMinus: number;
  etaPlus: number;
  stepSizeMin: number;
  stepSizeMax: number;
}

/**
 * One Rprop step:
 *
 * ```text
 * g = ±g;  s = sign(g·prev) → η+ if > 0, η− if < 0, 1 if 0 (and for NaN)
 * step_size = clamp(step_size·s, min, max)
 * g = s == η− ? 0 : g          (after a sign change the step is skipped)
 * p = p − sign(g)·step_size;  prev = g
 * ```
 *
 * @example
 * ```ts
 * rpropKernel(true, n, p, 0, g, 0, prev, 0, stepSize, 0, hyper);
 * ```
 */
export function rpropKernel(
  f32: boolean,
  n: number,
  p: FloatArray,
  po: number,
  g: FloatArray,
  go: number,
  prev: FloatArray,
  qo: number,
  stepSize: FloatArray,
  so: number,
  h: RpropHyper,
): void {
  const { round, fma } = arithmeticFor(f32);
  const { maximize, etaMinus, etaPlus, stepSizeMin, stepSizeMax } = h;
  for (let i = 0; i < n; i++) {
    let gi = g[go + i] as number;
    if (maximize) gi = -gi;
    const s = sign(round(gi * (prev[qo + i] as number)));
    const factor = s > 0 ? etaPlus : s < 0 ? etaMinus : 1;
    let si = round((stepSize[so + i] as number) * factor);
    // clamp keeps NaN and applies the upper bound last, as ATen's clamp does.
    if (si === si) si = Math.min(Math.max(si, stepSizeMin), stepSizeMax);
    stepSize[so + i] = si;
    if (factor === etaMinus) gi = 0;
    p[po + i] = fma(-sign(gi), si, p[po + i] as number);
    prev[qo + i] = gi;
  }
}

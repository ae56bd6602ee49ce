/**
 * RAdam's per-element update over flat storage, in current PyTorch's single-tensor order.
 *
 * @example
 * ```ts
 * radamKernel(true, n, p, 0, g, 0, m, 0, v, 0, hyper);
 * ```
 * @module
 */

import { WeightDecayMode } from "./adam.js";
import { arithmeticFor, lerp, type FloatArray } from "./scalar.js";

/** RAdam's hyperparameters for one call, cast to the parameter dtype where PyTorch casts them. */
export interface RAdamHyper {
  maximize: boolean;
  weightDecayMode: WeightDecayMode;
  weightDecay: number;
  decay: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  /** `1 − β1^t`, cast. */
  bc1: number;
  lr: number;
  /** Whether the variance is tractable (`ρ_t > 5`). */
  rectified: boolean;
  /** `(1 − β2^t) ** 0.5`, cast. */
  bc2Sqrt: number;
  /** The rectification term `r_t`, cast. */
  rect: number;
  eps: number;
}

/**
 * One RAdam step:
 *
 * ```text
 * g = ±g;  decoupled: p = p·(1 − lr·wd)  |  coupled: g = fma(p, wd, g)
 * m = lerp(m, g, 1 − β1);  v = fma((1 − β2)·g, g, v·β2);  m̂ = m / bc1
 * rectified: p = p − ((m̂·lr)·((1/(sqrt(v) + eps))·√bc2))·r   else p = p − m̂·lr
 * ```
 *
 * @example
 * ```ts
 * radamKernel(true, n, p, 0, g, 0, m, 0, v, 0, hyper);
 * ```
 */
export function radamKernel(
  f32: boolean,
  n: number,
  p: FloatArray,
  po: number,
  g: FloatArray,
  go: number,
  m: FloatArray,
  mo: number,
  v: FloatArray,
  vo: number,
  h: RAdamHyper,
): void {
  const { round, fma } = arithmeticFor(f32);
  const { maximize, weightDecayMode, weightDecay, decay, oneMinusBeta1, beta2, oneMinusBeta2, bc1, lr } = h;
  const { rectified, bc2Sqrt, rect, eps } = h;
  for (let i = 0; i < n; i++) {
    let pi = p[po + i] as number;
    let gi = g[go + i] as number;
    if (maximize) gi = -gi;
    if (weightDecayMode === WeightDecayMode.Decoupled) pi = round(pi * decay);
    else if (weightDecayMode === WeightDecayMode.Coupled) gi = fma(pi, weightDecay, gi);
    const mi = lerp(round, fma, m[mo + i] as number, gi, oneMinusBeta1);
    m[mo + i] = mi;
    // The update is a positive multiple of m̂, so it agrees with θ where m·θ ≥ 0.
    if (weightDecayMode === WeightDecayMode.Cautious && mi * pi >= 0) pi = round(pi * decay);
    const vi = fma(round(oneMinusBeta2 * gi), gi, round((v[vo + i] as number) * beta2));
    v[vo + i] = vi;
    const mHat = round(mi / bc1);
    let update: number;
    if (rectified) {
      // Python's `scalar / tensor` is `reciprocal(tensor) * scalar`.
      const adaptive = round(round(1 / round(round(Math.sqrt(vi)) + eps)) * bc2Sqrt);
      update = round(round(round(mHat * lr) * adaptive) * rect);
    } else {
      update = round(mHat * lr);
    }
    p[po + i] = round(pi - update);
  }
}

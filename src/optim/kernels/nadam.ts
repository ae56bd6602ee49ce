/**
 * NAdam's per-element update over flat storage, in current PyTorch's single-tensor order.
 *
 * @example
 * ```ts
 * nadamKernel(true, n, p, 0, g, 0, m, 0, v, 0, hyper);
 * ```
 * @module
 */

import { WeightDecayMode } from "./adam.js";
import { arithmeticFor, lerp, type FloatArray } from "./scalar.js";

/** NAdam's hyperparameters for one call, cast to the parameter dtype where PyTorch casts them. */
export interface NAdamHyper {
  maximize: boolean;
  weightDecayMode: WeightDecayMode;
  weightDecay: number;
  /** `1 − lr·weight_decay`, cast (decoupled mode). */
  decay: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  /** `1 − β2^t`, cast. */
  bc2: number;
  eps: number;
  /** `−lr·(1 − μ_t) / (1 − Π_{i≤t} μ_i)`, cast. */
  gradCoef: number;
  /** `−lr·μ_{t+1} / (1 − Π_{i≤t+1} μ_i)`, cast. */
  momentumCoef: number;
}

/**
 * One NAdam step:
 *
 * ```text
 * g = ±g;  decoupled: p = p·(1 − lr·wd)  |  coupled: g = fma(p, wd, g)
 * m = lerp(m, g, 1 − β1);  v = fma((1 − β2)·g, g, v·β2)
 * denom = sqrt(v / bc2) + eps
 * p = p + (c1·g)/denom;  p = p + (c2·m)/denom
 * ```
 *
 * @example
 * ```ts
 * nadamKernel(true, n, p, 0, g, 0, m, 0, v, 0, hyper);
 * ```
 */
export function nadamKernel(
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
  h: NAdamHyper,
): void {
  const { round, fma } = arithmeticFor(f32);
  const { maximize, weightDecayMode, weightDecay, decay, oneMinusBeta1, beta2, oneMinusBeta2, bc2, eps } = h;
  const { gradCoef, momentumCoef } = h;
  for (let i = 0; i < n; i++) {
    let pi = p[po + i] as number;
    let gi = g[go + i] as number;
    if (maximize) gi = -gi;
    if (weightDecayMode === WeightDecayMode.Decoupled) pi = round(pi * decay);
    else if (weightDecayMode === WeightDecayMode.Coupled) gi = fma(pi, weightDecay, gi);
    const mi = lerp(round, fma, m[mo + i] as number, gi, oneMinusBeta1);
    m[mo + i] = mi;
    const vi = fma(round(oneMinusBeta2 * gi), gi, round((v[vo + i] as number) * beta2));
    v[vo + i] = vi;
    const denom = round(round(Math.sqrt(round(vi / bc2))) + eps);
    // The step is (gradCoef·g + momentumCoef·m)/denom with negative coefficients: the update
    // direction u is its negation, and cautious decay applies where u·θ ≥ 0.
    if (weightDecayMode === WeightDecayMode.Cautious && (gradCoef * gi + momentumCoef * mi) * pi <= 0) {
      pi = round(pi * decay);
    }
    pi = round(pi + round(round(gradCoef * gi) / denom));
    p[po + i] = round(pi + round(round(momentumCoef * mi) / denom));
  }
}

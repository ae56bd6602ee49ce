/**
 * Adam's (and AdamW's) per-element update over flat storage, in current PyTorch's single-tensor
 * order (first moment by `lerp`).
 *
 * @example
 * ```ts
 * adamKernel(true, n, p, 0, g, 0, m, 0, v, 0, null, 0, hyper);
 * ```
 * @module
 */

import { arithmeticFor, lerp, maximum, type FloatArray } from "./scalar.js";

/**
 * How weight decay enters: not at all, added to the gradient, as a shrink of the parameter, or as
 * a shrink applied only where the update and the parameter agree in sign (cautious decay).
 * @example const mode = decoupled ? WeightDecayMode.Decoupled : WeightDecayMode.Coupled; // weightDecayMode
 */
export const WeightDecayMode = { None: 0, Coupled: 1, Decoupled: 2, Cautious: 3 } as const;

/** One of the {@link WeightDecayMode} values. */
export type WeightDecayMode = (typeof WeightDecayMode)[keyof typeof WeightDecayMode];

/** Adam's hyperparameters for one call, cast to the parameter dtype where PyTorch casts them. */
export interface AdamHyper {
  maximize: boolean;
  weightDecayMode: WeightDecayMode;
  /** `weight_decay`, cast (coupled mode). */
  weightDecay: number;
  /** `1 − lr·weight_decay`, computed in double and cast (decoupled mode). */
  decay: number;
  /** `1 − β1`, cast: the lerp weight. */
  oneMinusBeta1: number;
  /** `β2`, cast. */
  beta2: number;
  /** `1 − β2`, cast. */
  oneMinusBeta2: number;
  /** `(1 − β2^t) ** 0.5`, cast. */
  bc2Sqrt: number;
  /** `eps`, cast. */
  eps: number;
  /** `−lr / (1 − β1^t)`, cast. */
  negStepSize: number;
  amsgrad: boolean;
}

/**
 * One Adam step:
 *
 * ```text
 * g = ±g;  decoupled: p = p·(1 − lr·wd)  |  coupled: g = fma(p, wd, g)
 * cautious: p = p·(1 − lr·wd) only where m·p ≥ 0 (m after its update below)
 * m = lerp(m, g, 1 − β1);  v = fma((1 − β2)·g, g, v·β2)
 * amsgrad: vmax = maximum(vmax, v), denom = sqrt(vmax)/√bc2 + eps  else denom = sqrt(v)/√bc2 + eps
 * p = p + (−step_size·m)/denom
 * ```
 *
 * @example
 * ```ts
 * adamKernel(true, n, p, 0, g, 0, m, 0, v, 0, null, 0, hyper);
 * ```
 */
export function adamKernel(
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
  vmax: FloatArray | null,
  xo: number,
  h: AdamHyper,
): void {
  const { round, fma } = arithmeticFor(f32);
  const {
    maximize,
    weightDecayMode,
    weightDecay,
    decay,
    oneMinusBeta1,
    beta2,
    oneMinusBeta2,
    bc2Sqrt,
    eps,
    negStepSize,
  } = h;
  const vm = h.amsgrad ? (vmax as FloatArray) : null;
  for (let i = 0; i < n; i++) {
    let pi = p[po + i] as number;
    let gi = g[go + i] as number;
    if (maximize) gi = -gi;
    if (weightDecayMode === WeightDecayMode.Decoupled) pi = round(pi * decay);
    else if (weightDecayMode === WeightDecayMode.Coupled) gi = fma(pi, weightDecay, gi);
    const mi = lerp(round, fma, m[mo + i] as number, gi, oneMinusBeta1);
    m[mo + i] = mi;
    // The update direction m̂/(√v̂ + ε) has the sign of m; decay where it points the same way as θ.
    if (weightDecayMode === WeightDecayMode.Cautious && mi * pi >= 0) pi = round(pi * decay);
    let vi = fma(round(oneMinusBeta2 * gi), gi, round((v[vo + i] as number) * beta2));
    v[vo + i] = vi;
    if (vm !== null) {
      vi = maximum(vm[xo + i] as number, vi);
      vm[xo + i] = vi;
    }
    const denom = round(round(round(Math.sqrt(vi)) / bc2Sqrt) + eps);
    p[po + i] = round(pi + round(round(negStepSize * mi) / denom));
  }
}

/**
 * RMSprop's per-element update over flat storage, in current PyTorch's single-tensor order.
 *
 * @example
 * ```ts
 * rmspropKernel(true, n, p, 0, g, 0, sq, 0, null, 0, null, 0, hyper);
 * ```
 * @module
 */

import { arithmeticFor, lerp, type FloatArray } from "./scalar.js";

/** RMSprop's hyperparameters for one call, cast to the parameter dtype where PyTorch casts them. */
export interface RMSpropHyper {
  maximize: boolean;
  hasWeightDecay: boolean;
  weightDecay: number;
  alpha: number;
  /** `1 − α`, cast. */
  oneMinusAlpha: number;
  eps: number;
  centered: boolean;
  /** `momentum > 0`. */
  hasMomentum: boolean;
  momentum: number;
  negLr: number;
}

/**
 * One RMSprop step:
 *
 * ```text
 * g = ±g;  if wd: g = fma(p, wd, g)
 * sq = fma((1 − α)·g, g, sq·α)
 * centered: ga = lerp(ga, g, 1 − α), avg = sqrt(fma(−ga, ga, sq))  else avg = sqrt(sq)
 * avg = avg + eps
 * momentum: buf = buf·μ + g/avg, p = fma(buf, −lr, p)   else p = p + (−lr·g)/avg
 * ```
 *
 * @example
 * ```ts
 * rmspropKernel(true, n, p, 0, g, 0, sq, 0, null, 0, null, 0, hyper);
 * ```
 */
export function rmspropKernel(
  f32: boolean,
  n: number,
  p: FloatArray,
  po: number,
  g: FloatArray,
  go: number,
  sq: FloatArray,
  so: number,
  buf: FloatArray | null,
  bo: number,
  ga: FloatArray | null,
  ao: number,
  h: RMSpropHyper,
): void {
  const { round, fma } = arithmeticFor(f32);
  const { maximize, hasWeightDecay, weightDecay, alpha, oneMinusAlpha, eps, momentum, negLr } = h;
  const b = h.hasMomentum ? (buf as FloatArray) : null;
  const c = h.centered ? (ga as FloatArray) : null;
  for (let i = 0; i < n; i++) {
    const pi = p[po + i] as number;
    let gi = g[go + i] as number;
    if (maximize) gi = -gi;
    if (hasWeightDecay) gi = fma(pi, weightDecay, gi);
    const si = fma(round(oneMinusAlpha * gi), gi, round((sq[so + i] as number) * alpha));
    sq[so + i] = si;
    let avg: number;
    if (c !== null) {
      const ci = lerp(round, fma, c[ao + i] as number, gi, oneMinusAlpha);
      c[ao + i] = ci;
      avg = round(Math.sqrt(fma(-ci, ci, si)));
    } else {
      avg = round(Math.sqrt(si));
    }
    avg = round(avg + eps);
    if (b !== null) {
      const bi = round(round((b[bo + i] as number) * momentum) + round(gi / avg));
      b[bo + i] = bi;
      p[po + i] = fma(bi, negLr, pi);
    } else {
      p[po + i] = round(pi + round(round(negLr * gi) / avg));
    }
  }
}

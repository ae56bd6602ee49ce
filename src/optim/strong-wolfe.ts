/**
 * The line search LBFGS uses with `lineSearchFn: "strong_wolfe"`: bracketing followed by zoom with
 * cubic interpolation, PyTorch's `_strong_wolfe` and `_cubic_interpolate` (ported there from
 * Torch7's `lswolfe.lua` and `polyinterp.lua`).
 *
 * @example
 * ```ts
 * const { f, g, t, evals } = strongWolfe(obj, x, 1, d, f0, g0, gtd0, { maxLs: 25 });
 * ```
 * @module
 */

import type { FloatArray } from "./kernels/scalar.js";

/** Python's `max(a, b)`: `a` unless `b > a` (so NaN in `b` loses and NaN in `a` wins). */
function pyMax(a: number, b: number): number {
  return b > a ? b : a;
}

/** Python's `min(a, b)`: `a` unless `b < a`. */
function pyMin(a: number, b: number): number {
  return b < a ? b : a;
}

/**
 * The minimiser of the cubic through two points with values and slopes, clamped to `bounds`
 * (default: the interval between the points); the midpoint of the bounds when the cubic has no
 * real minimiser.
 *
 * @example
 * ```ts
 * cubicInterpolate(0, 1, -1, 1, 0.5, 0.2); // a point in [0, 1]
 * ```
 */
export function cubicInterpolate(
  x1: number,
  f1: number,
  g1: number,
  x2: number,
  f2: number,
  g2: number,
  bounds?: readonly [number, number],
): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 ** 2 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos =
      x1 <= x2
        ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return pyMin(pyMax(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

/** Evaluate the objective at `x + t·d` (then restore `x`): the loss and the flat gradient there. */
export type DirectionalObjective = (
  x: readonly FloatArray[],
  t: number,
  d: FloatArray,
) => [number, FloatArray];

/** Constants of the line search; LBFGS passes only `maxLs`. */
export interface StrongWolfeOptions {
  /** Sufficient-decrease constant (default 1e-4). */
  c1?: number;
  /** Curvature constant (default 0.9). */
  c2?: number;
  /** Stop zooming when the bracket is this small along d (default 1e-9). */
  toleranceChange?: number;
  /** At most this many evaluations after the first (default 25). */
  maxLs?: number;
  /** Rounding of values PyTorch keeps as tensors of the parameter dtype (`gtd`). */
  round?: (x: number) => number;
  /** Dot product in the parameter dtype. */
  dot: (a: FloatArray, b: FloatArray) => number;
}

/** What the line search found: loss, gradient and step length at the accepted point, and the cost. */
export interface StrongWolfeResult {
  f: number;
  g: FloatArray;
  t: number;
  evals: number;
}

/**
 * Find a step length `t` along `d` satisfying the strong Wolfe conditions, starting from `t`.
 *
 * `f`, `g` and `gtd` are the loss, gradient and directional derivative at `x`. Returns the point
 * with the lowest loss in the final bracket, as PyTorch does.
 *
 * @example
 * ```ts
 * const res = strongWolfe(obj, xInit, t, d, loss, flatGrad, gtd, { maxLs: maxEval - evals, dot });
 * ```
 */
export function strongWolfe(
  obj: DirectionalObjective,
  x: readonly FloatArray[],
  tInit: number,
  d: FloatArray,
  f: number,
  gInit: FloatArray,
  gtd: number,
  options: StrongWolfeOptions,
): StrongWolfeResult {
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const toleranceChange = options.toleranceChange ?? 1e-9;
  const maxLs = options.maxLs ?? 25;
  const round = options.round ?? ((v: number) => v);
  const dot = options.dot;
  let t = tInit;
  let dNorm = 0;
  for (let i = 0; i < d.length; i++) dNorm = pyMax(dNorm, Math.abs(d[i] as number));
  const g = gInit.slice();
  let [fNew, gNew] = obj(x, t, d);
  let evals = 1;
  let gtdNew = round(dot(gNew, d));

  let tPrev = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] | undefined;
  let bracketF: number[] = [];
  let bracketG: FloatArray[] = [];
  let bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew.slice()];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      bracket = [t];
      bracketF = [fNew];
      bracketG = [gNew];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew.slice()];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew.slice();
    gtdPrev = gtdNew;
    [fNew, gNew] = obj(x, t, d);
    evals += 1;
    gtdNew = round(dot(gNew, d));
    lsIter += 1;
  }
  // Out of evaluations while extrapolating: bracket [0, t] without slopes (zoom will not run).
  if (lsIter >= maxLs) {
    bracket = [0, t];
    bracketF = [f, fNew];
    bracketG = [g, gNew];
  }
  const b = bracket as number[];

  let insufficientProgress = false;
  let [low, high] = (bracketF[0] as number) <= (bracketF[bracketF.length - 1] as number) ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    const b0 = b[0] as number;
    const b1 = b[1] as number;
    if (Math.abs(b1 - b0) * dNorm < toleranceChange) break;
    t = cubicInterpolate(
      b0,
      bracketF[0] as number,
      bracketGtd[0] as number,
      b1,
      bracketF[1] as number,
      bracketGtd[1] as number,
    );
    const bMax = pyMax(b0, b1);
    const bMin = pyMin(b0, b1);
    const eps = 0.1 * (bMax - bMin);
    if (pyMin(bMax - t, t - bMin) < eps) {
      if (insufficientProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufficientProgress = false;
      } else {
        insufficientProgress = true;
      }
    } else {
      insufficientProgress = false;
    }
    [fNew, gNew] = obj(x, t, d);
    evals += 1;
    gtdNew = round(dot(gNew, d));
    lsIter += 1;
    if (fNew > f + c1 * t * gtd || fNew >= (bracketF[low] as number)) {
      b[high] = t;
      bracketF[high] = fNew;
      bracketG[high] = gNew.slice();
      bracketGtd[high] = gtdNew;
      [low, high] = (bracketF[0] as number) <= (bracketF[1] as number) ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        done = true;
      } else if (gtdNew * ((b[high] as number) - (b[low] as number)) >= 0) {
        b[high] = b[low] as number;
        bracketF[high] = bracketF[low] as number;
        bracketG[high] = bracketG[low] as FloatArray;
        bracketGtd[high] = bracketGtd[low] as number;
      }
      b[low] = t;
      bracketF[low] = fNew;
      bracketG[low] = gNew.slice();
      bracketGtd[low] = gtdNew;
    }
  }
  return { f: bracketF[low] as number, g: bracketG[low] as FloatArray, t: b[low] as number, evals };
}

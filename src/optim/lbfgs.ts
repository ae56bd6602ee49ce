/**
 * L-BFGS, PyTorch's `torch.optim.LBFGS`.
 * @module
 */

import { enableGrad, noGrad } from "../autograd/grad-mode.js";
import { allocate } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { RuntimeError, ValueError } from "../util/errors.js";
import { arithmeticFor, type FloatArray } from "./kernels/scalar.js";
import {
  jsTypeName,
  numberOption,
  requireNonNegative,
  resolveOptions,
  type Hyperparameters,
} from "./options.js";
import {
  denseOf,
  finishUpdate,
  groupNumber,
  isFloat32,
  Optimizer,
  type ParamGroup,
  type Params,
} from "./optimizer.js";
import type { OptimizerStateDict, ParamState } from "./state-dict.js";
import { strongWolfe } from "./strong-wolfe.js";

/** Options of {@link LBFGS} (PyTorch's keyword arguments in camelCase). */
export interface LBFGSOptions {
  /** Learning rate: the step length tried first (default 1). */
  lr?: number;
  /** Maximal iterations per `step()` (default 20). */
  maxIter?: number;
  /** Maximal function evaluations per `step()` (default `floor(maxIter·5/4)`). */
  maxEval?: number | null;
  /** Stop when max|gradient| ≤ this (default 1e-7). */
  toleranceGrad?: number;
  /** Stop when the loss or the step changes less than this (default 1e-9). */
  toleranceChange?: number;
  /** Number of curvature pairs kept (default 100). */
  historySize?: number;
  /** `"strong_wolfe"` or null for a fixed step of length lr (default null). */
  lineSearchFn?: "strong_wolfe" | null;
}

const DEFAULTS: Hyperparameters = {
  lr: 1,
  maxIter: 20,
  maxEval: null,
  toleranceGrad: 1e-7,
  toleranceChange: 1e-9,
  historySize: 100,
  lineSearchFn: null,
};

function lbfgsDefaults(options: LBFGSOptions | undefined): Hyperparameters {
  const h = resolveOptions("LBFGS", DEFAULTS, options);
  const lr = numberOption("LBFGS", "lr", h.lr);
  const maxIter = numberOption("LBFGS", "maxIter", h.maxIter);
  if (h.maxEval === null) h.maxEval = Math.floor((maxIter * 5) / 4);
  numberOption("LBFGS", "maxEval", h.maxEval);
  numberOption("LBFGS", "toleranceGrad", h.toleranceGrad);
  numberOption("LBFGS", "toleranceChange", h.toleranceChange);
  numberOption("LBFGS", "historySize", h.historySize);
  if (h.lineSearchFn !== null && typeof h.lineSearchFn !== "string") {
    throw new TypeError(
      `LBFGS: lineSearchFn must be "strong_wolfe" or null, got ${jsTypeName(h.lineSearchFn)}`,
    );
  }
  requireNonNegative("Invalid learning rate", lr);
  return h;
}

/** The loss a closure returned, as a number (`float(closure())`). */
function lossValue(loss: unknown): number {
  if (typeof loss === "number") return loss;
  if (loss instanceof Tensor) return loss.item();
  throw new TypeError(
    `LBFGS: the closure must return the loss as a Tensor or a number, got ${jsTypeName(loss)}`,
  );
}

function maxAbs(a: FloatArray): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i] as number);
    if (v > m || v !== v) m = v;
    if (m !== m) return m;
  }
  return m;
}

function sumAbs(a: FloatArray): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] as number);
  return s;
}

function dotDouble(a: FloatArray, b: FloatArray): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function tensorOf(a: FloatArray): Tensor {
  return new Tensor(a, [a.length]);
}

function arrayOf(t: unknown): FloatArray {
  if (!(t instanceof Tensor)) throw new RuntimeError("LBFGS: corrupt state (expected a tensor)");
  return denseOf(t).data as FloatArray;
}

/**
 * L-BFGS, PyTorch's `torch.optim.LBFGS`: a quasi-Newton method that builds an inverse-Hessian
 * approximation from the last `historySize` steps, optionally with a strong-Wolfe line search.
 * Every `step(closure)` runs up to `maxIter` iterations and `maxEval` closure evaluations.
 *
 * Each iteration, with g the flat gradient of all parameters:
 *
 * ```text
 * first iteration ever:  d ← −g, H₀ ← 1
 * otherwise:             y ← g − g_prev, s ← t·d
 *                        if yᵀs > 1e-10: push (y, s, ρ = 1/yᵀs), drop the oldest beyond historySize,
 *                                        H₀ ← yᵀs / yᵀy
 *                        d ← −H·g by the two-loop recursion (starting from H₀)
 * t ← lr (the very first iteration: min(1, 1/‖g‖₁)·lr)
 * stop if gᵀd > −toleranceChange
 * strong_wolfe: t ← line search along d (at most maxEval − evaluations so far);  θ ← θ + t·d
 * otherwise:    θ ← θ + t·d, then re-evaluate (except on the last iteration)
 * stop on maxIter, maxEval, max|g| ≤ toleranceGrad, max|t·d| ≤ toleranceChange,
 *         |loss − previous loss| < toleranceChange
 * ```
 *
 * There is no weight decay. LBFGS takes exactly one parameter group; its state (`func_evals`,
 * `n_iter`, `d`, `t`, `old_dirs`, `old_stps`, `ro`, `H_diag`, `prev_flat_grad`, `prev_loss`,
 * `al`) is stored under the first parameter and persists across `step()` calls. Scalars PyTorch
 * keeps as 0-dim tensors (`t`, `ro`, `H_diag`, `al`) are numbers here; dot products are summed in
 * order, so results agree with PyTorch to rounding, not bit for bit.
 *
 * @example
 * ```ts
 * const opt = new tg.optim.LBFGS([x], { lineSearchFn: "strong_wolfe" });
 * const loss = opt.step(() => {
 *   opt.zeroGrad();
 *   const l = rosenbrock(x);
 *   l.backward();
 *   return l;
 * });
 * ```
 *
 * References: Nocedal, "Updating Quasi-Newton Matrices with Limited Storage", Math. Comp. 35,
 * 1980; Nocedal & Wright, "Numerical Optimization" (2nd ed.), algorithms 3.5, 3.6 and 7.4;
 * Schmidt, minFunc (2005).
 */
export class LBFGS extends Optimizer {
  /**
   * @throws ValueError for a negative lr or more than one parameter group; TypeError for an
   *   unknown option.
   */
  constructor(params: Params, options: LBFGSOptions = {}) {
    super(params, lbfgsDefaults(options), "LBFGS");
    if (this.paramGroups.length !== 1) {
      throw new ValueError("LBFGS doesn't support per-parameter options (parameter groups)");
    }
  }

  protected override updateGroup(_group: ParamGroup): void {
    throw new RuntimeError("LBFGS updates only through step(closure)");
  }

  /**
   * Run up to `maxIter` L-BFGS iterations, calling `closure` to re-evaluate the loss and
   * gradients, and return the loss of the first evaluation.
   *
   * @throws TypeError without a closure; RuntimeError for an unsupported `lineSearchFn`.
   */
  override step<L>(closure?: () => L): L {
    if (typeof closure !== "function") {
      throw new TypeError("LBFGS.step() requires a closure that re-evaluates the model and returns the loss");
    }
    if (this.paramGroups.length !== 1) {
      throw new RuntimeError(`Expected exactly one param_group, but got ${this.paramGroups.length}`);
    }
    const out = noGrad(() => this.iterate(closure));
    this.stepCount += 1;
    return out;
  }

  private iterate<L>(userClosure: () => L): L {
    const closure = (): L => enableGrad(userClosure);
    const group = this.paramGroups[0] as ParamGroup;
    const params = group.params;
    const first = params[0] as Tensor;
    const f32 = isFloat32(first);
    for (const p of params) {
      if (p.dtype !== first.dtype) throw new TypeError("LBFGS: all parameters must have the same dtype");
    }
    const { round, fma } = arithmeticFor(f32);
    const dtype = first.dtype;
    const numel = params.reduce((n, p) => n + p.numel(), 0);
    const dot = (a: FloatArray, b: FloatArray): number => round(dotDouble(a, b));
    const newVector = (): FloatArray => allocate(dtype, numel) as FloatArray;

    const lr = groupNumber(group, "lr");
    const maxIter = groupNumber(group, "maxIter");
    const maxEval = groupNumber(group, "maxEval");
    const toleranceGrad = groupNumber(group, "toleranceGrad");
    const toleranceChange = groupNumber(group, "toleranceChange");
    const historySize = groupNumber(group, "historySize");
    const lineSearchFn = group.lineSearchFn;

    const flatGrad = (): FloatArray => {
      const out = newVector();
      let offset = 0;
      for (const p of params) {
        if (p.grad !== null) out.set(p.grad.toTypedArray(), offset);
        offset += p.numel();
      }
      return out;
    };
    // p ← p + t·d over the parameters' slices: `add_(d, alpha=t)` is one FMA per element.
    const addGrad = (t: number, d: FloatArray): void => {
      const alpha = round(t);
      let offset = 0;
      for (const p of params) {
        const pd = denseOf(p);
        const data = pd.data as FloatArray;
        const n = p.numel();
        for (let i = 0; i < n; i++)
          data[pd.offset + i] = fma(d[offset + i] as number, alpha, data[pd.offset + i] as number);
        finishUpdate(p, pd);
        offset += n;
      }
    };
    const cloneParams = (): FloatArray[] => params.map((p) => p.toTypedArray() as FloatArray);
    const setParams = (x: readonly FloatArray[]): void => {
      params.forEach((p, i) => p.copy_(new Tensor(x[i] as FloatArray, p.shape)));
    };

    const state = this.state.get(first) ?? {};
    this.state.set(first, state);
    if (state.func_evals === undefined) state.func_evals = 0;
    if (state.n_iter === undefined) state.n_iter = 0;

    const origLoss = closure();
    let loss = lossValue(origLoss);
    let currentEvals = 1;
    state.func_evals = (state.func_evals as number) + 1;
    let g = flatGrad();
    let optCond = maxAbs(g) <= round(toleranceGrad);
    if (optCond) return origLoss;

    let d: FloatArray | null = state.d == null ? null : arrayOf(state.d);
    let t = (state.t as number | null | undefined) ?? 0;
    let oldDirs: FloatArray[] = ((state.old_dirs as unknown[] | undefined) ?? []).map(arrayOf);
    let oldStps: FloatArray[] = ((state.old_stps as unknown[] | undefined) ?? []).map(arrayOf);
    let ro: number[] = [...((state.ro as number[] | undefined) ?? [])];
    let hDiag = (state.H_diag as number | null | undefined) ?? 1;
    let prevFlatGrad: FloatArray | null = state.prev_flat_grad == null ? null : arrayOf(state.prev_flat_grad);
    let prevLoss = (state.prev_loss as number | null | undefined) ?? null;

    let nIter = 0;
    while (nIter < maxIter) {
      nIter += 1;
      state.n_iter = (state.n_iter as number) + 1;

      if (state.n_iter === 1) {
        d = newVector();
        for (let i = 0; i < numel; i++) d[i] = -(g[i] as number);
        oldDirs = [];
        oldStps = [];
        ro = [];
        hDiag = 1;
      } else {
        const prev = prevFlatGrad as FloatArray;
        const dir = d as FloatArray;
        const y = newVector();
        const s = newVector();
        const tCast = round(t);
        for (let i = 0; i < numel; i++) {
          y[i] = round((g[i] as number) - (prev[i] as number));
          s[i] = round((dir[i] as number) * tCast);
        }
        const ys = dot(y, s);
        if (ys > round(1e-10)) {
          if (oldDirs.length === historySize) {
            oldDirs.shift();
            oldStps.shift();
            ro.shift();
          }
          oldDirs.push(y);
          oldStps.push(s);
          ro.push(round(1 / ys));
          hDiag = round(ys / dot(y, y));
        }
        const numOld = oldDirs.length;
        if (!Array.isArray(state.al)) state.al = new Array<number | null>(historySize).fill(null);
        const al = state.al as Array<number | null>;
        const q = newVector();
        for (let i = 0; i < numel; i++) q[i] = -(g[i] as number);
        for (let k = numOld - 1; k >= 0; k--) {
          const a = round(dot(oldStps[k] as FloatArray, q) * (ro[k] as number));
          al[k] = a;
          const od = oldDirs[k] as FloatArray;
          for (let i = 0; i < numel; i++) q[i] = fma(od[i] as number, -a, q[i] as number);
        }
        const r = newVector();
        for (let i = 0; i < numel; i++) r[i] = round((q[i] as number) * hDiag);
        for (let k = 0; k < numOld; k++) {
          const be = round(dot(oldDirs[k] as FloatArray, r) * (ro[k] as number));
          const alpha = round((al[k] as number) - be);
          const os = oldStps[k] as FloatArray;
          for (let i = 0; i < numel; i++) r[i] = fma(os[i] as number, alpha, r[i] as number);
        }
        d = r;
      }
      const dir = d as FloatArray;

      if (prevFlatGrad === null) prevFlatGrad = g.slice();
      else prevFlatGrad.set(g);
      prevLoss = loss;

      if (state.n_iter === 1) {
        const inv = round(1 / sumAbs(g));
        t = inv < 1 ? round(inv * round(lr)) : lr;
      } else {
        t = lr;
      }

      const gtd = dot(g, dir);
      if (gtd > round(-toleranceChange)) break;

      let lsFuncEvals = 0;
      if (lineSearchFn !== null && lineSearchFn !== undefined) {
        if (lineSearchFn !== "strong_wolfe") throw new RuntimeError("only 'strong_wolfe' is supported");
        const xInit = cloneParams();
        const obj = (x: readonly FloatArray[], step: number, direction: FloatArray): [number, FloatArray] => {
          addGrad(step, direction);
          const f = lossValue(closure());
          const grad = flatGrad();
          setParams(x);
          return [f, grad];
        };
        const res = strongWolfe(obj, xInit, t, dir, loss, g, gtd, {
          maxLs: maxEval - currentEvals,
          round,
          dot,
        });
        loss = res.f;
        g = res.g;
        t = res.t;
        lsFuncEvals = res.evals;
        addGrad(t, dir);
        optCond = maxAbs(g) <= round(toleranceGrad);
      } else {
        addGrad(t, dir);
        if (nIter !== maxIter) {
          loss = lossValue(closure());
          g = flatGrad();
          optCond = maxAbs(g) <= round(toleranceGrad);
          lsFuncEvals = 1;
        }
      }

      currentEvals += lsFuncEvals;
      state.func_evals = (state.func_evals as number) + lsFuncEvals;

      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      const tCast = round(t);
      let change = 0;
      for (let i = 0; i < numel; i++) {
        const v = Math.abs(round((dir[i] as number) * tCast));
        if (v > change || v !== v) change = v;
      }
      if (change <= round(toleranceChange)) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }

    state.d = d === null ? null : tensorOf(d);
    state.t = t;
    state.old_dirs = oldDirs.map(tensorOf);
    state.old_stps = oldStps.map(tensorOf);
    state.ro = ro;
    state.H_diag = hDiag;
    state.prev_flat_grad = prevFlatGrad === null ? null : tensorOf(prevFlatGrad);
    state.prev_loss = prevLoss;
    return origLoss;
  }

  /**
   * Restore a state dict; 0-dim tensors PyTorch stores for `t`, `ro`, `H_diag`, `al` and
   * `prev_loss` become numbers.
   *
   * @example
   * ```ts
   * opt.loadStateDict(saved);
   * ```
   */
  override loadStateDict(stateDict: OptimizerStateDict): void {
    super.loadStateDict(stateDict);
    const toNumber = (v: unknown): unknown => (v instanceof Tensor ? v.item() : v);
    for (const s of this.state.values()) {
      const st = s as ParamState;
      for (const key of ["t", "H_diag", "prev_loss", "func_evals", "n_iter"]) {
        if (key in st) st[key] = toNumber(st[key]);
      }
      for (const key of ["ro", "al"]) {
        if (Array.isArray(st[key])) st[key] = (st[key] as unknown[]).map(toNumber);
      }
    }
  }
}

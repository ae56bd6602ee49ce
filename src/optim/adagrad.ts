/**
 * Adagrad, PyTorch's `torch.optim.Adagrad`.
 * @module
 */

import type { Tensor } from "../tensor/tensor.js";
import { adagradKernel, type AdagradHyper } from "./kernels/adagrad.js";
import { arithmeticFor, type FloatArray } from "./kernels/scalar.js";
import {
  booleanOption,
  checkFusedFlags,
  numberOption,
  optionalBooleanOption,
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
  scalarTensor,
  zerosLikeParam,
  type ParamGroup,
  type Params,
} from "./optimizer.js";

/** Options of {@link Adagrad} (PyTorch's keyword arguments in camelCase). */
export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Learning-rate decay: lr_t = lr / (1 + (t − 1)·lrDecay) (default 0). */
  lrDecay?: number;
  /** Coupled L2 penalty λ (default 0). */
  weightDecay?: number;
  /** Starting value of the squared-gradient sum (default 0). */
  initialAccumulatorValue?: number;
  /** Term added to the denominator (default 1e-10). */
  eps?: number;
  /** Accepted and stored as in PyTorch. */
  foreach?: boolean | null;
  /** Maximize the objective (default false). */
  maximize?: boolean;
  /** Accepted and stored; relaxes the leaf-tensor check as in PyTorch. */
  differentiable?: boolean;
  /** Accepted and stored as in PyTorch. */
  fused?: boolean | null;
}

const DEFAULTS: Hyperparameters = {
  lr: 1e-2,
  lrDecay: 0,
  eps: 1e-10,
  weightDecay: 0,
  initialAccumulatorValue: 0,
  foreach: null,
  maximize: false,
  differentiable: false,
  fused: null,
};

function adagradDefaults(options: AdagradOptions | undefined): Hyperparameters {
  const h = resolveOptions("Adagrad", DEFAULTS, options);
  const lr = numberOption("Adagrad", "lr", h.lr);
  const lrDecay = numberOption("Adagrad", "lrDecay", h.lrDecay);
  const weightDecay = numberOption("Adagrad", "weightDecay", h.weightDecay);
  const iav = numberOption("Adagrad", "initialAccumulatorValue", h.initialAccumulatorValue);
  const eps = numberOption("Adagrad", "eps", h.eps);
  booleanOption("Adagrad", "maximize", h.maximize);
  booleanOption("Adagrad", "differentiable", h.differentiable);
  optionalBooleanOption("Adagrad", "foreach", h.foreach);
  optionalBooleanOption("Adagrad", "fused", h.fused);
  requireNonNegative("Invalid learning rate", lr);
  requireNonNegative("Invalid lr_decay value", lrDecay);
  requireNonNegative("Invalid weight_decay value", weightDecay);
  requireNonNegative("Invalid initial_accumulator_value value", iav);
  requireNonNegative("Invalid epsilon value", eps);
  checkFusedFlags(h);
  return h;
}

/**
 * Adagrad, PyTorch's `torch.optim.Adagrad`: per-coordinate learning rates from the running sum of
 * squared gradients.
 *
 * For each parameter θ with gradient g, at step t:
 *
 * ```text
 * g ← −g                              if maximize
 * g ← g + λ·θ                         if weightDecay λ ≠ 0   (coupled L2)
 * lr_t ← lr / (1 + (t − 1)·lrDecay)
 * s ← s + g²
 * θ ← θ − lr_t·g / (√s + ε)
 * ```
 *
 * Weight decay is **coupled** (added to the gradient, so it also accumulates into s; equal to a
 * (λ/2)·‖θ‖² term in the loss). State (`step`, `sum`) is created for every parameter at
 * construction, with `sum` filled with the constructor's `initialAccumulatorValue` — as in
 * PyTorch, a per-group value of that option does not change the fill. A parameter added later
 * with `addParamGroup` gets its state at its first step (current PyTorch).
 *
 * @example
 * ```ts
 * const opt = new tg.optim.Adagrad(model.parameters(), { lr: 0.01, initialAccumulatorValue: 0.1 });
 * opt.step();
 * ```
 *
 * References: Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online Learning and
 * Stochastic Optimization", JMLR 12, 2011.
 */
export class Adagrad extends Optimizer {
  private readonly hyper: AdagradHyper = {
    maximize: false,
    hasWeightDecay: false,
    weightDecay: 0,
    eps: 0,
    negClr: 0,
  };

  /**
   * @throws ValueError for a negative lr, lr decay, weight decay, initial accumulator value or eps;
   *   TypeError for an unknown option.
   */
  constructor(params: Params, options: AdagradOptions = {}) {
    super(params, adagradDefaults(options), "Adagrad");
    for (const group of this.paramGroups) for (const p of group.params) this.initState(p);
  }

  private initState(p: Tensor): void {
    const fill = this.defaults.initialAccumulatorValue as number;
    this.state.set(p, { step: scalarTensor(0), sum: zerosLikeParam(p, fill) });
  }

  protected override updateGroup(group: ParamGroup): void {
    const lr = groupNumber(group, "lr");
    const lrDecay = groupNumber(group, "lrDecay");
    const eps = groupNumber(group, "eps");
    const weightDecay = groupNumber(group, "weightDecay");
    const h = this.hyper;
    h.maximize = group.maximize === true;
    h.hasWeightDecay = weightDecay !== 0;
    for (const p of group.params) {
      const g = p.grad;
      if (g === null) continue;
      const f32 = isFloat32(p);
      const { round } = arithmeticFor(f32);
      if (!this.state.has(p)) this.initState(p);
      const state = this.state.get(p) as Record<string, unknown>;
      const t = this.incrementStep(state);
      h.weightDecay = round(weightDecay);
      h.eps = round(eps);
      h.negClr = round(-(lr / (1 + (t - 1) * lrDecay)));
      const sum = this.stateTensor(state, "sum", p);
      const pd = denseOf(p);
      const gd = denseOf(g);
      adagradKernel(
        f32,
        p.numel(),
        pd.data as FloatArray,
        pd.offset,
        gd.data as FloatArray,
        gd.offset,
        sum.data as FloatArray,
        sum.offset,
        h,
      );
      finishUpdate(p, pd);
    }
  }

  protected override scalarStateKeys(): readonly string[] {
    return ["step"];
  }
}

/**
 * Adadelta, PyTorch's `torch.optim.Adadelta`.
 * @module
 */

import { ValueError } from "../util/errors.js";
import { adadeltaKernel, type AdadeltaHyper } from "./kernels/adadelta.js";
import { arithmeticFor, type FloatArray } from "./kernels/scalar.js";
import {
  booleanOption,
  fmt,
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

/** Options of {@link Adadelta} (PyTorch's keyword arguments in camelCase). */
export interface AdadeltaOptions {
  /** Scale of the delta (default 1.0). */
  lr?: number;
  /** Decay ρ of the running averages (default 0.9). */
  rho?: number;
  /** Term added inside both square roots (default 1e-6). */
  eps?: number;
  /** Coupled L2 penalty λ (default 0). */
  weightDecay?: number;
  /** Maximize the objective (default false). */
  maximize?: boolean;
  /** Accepted and stored as in PyTorch. */
  capturable?: boolean;
  /** Accepted and stored as in PyTorch. */
  foreach?: boolean | null;
  /** Accepted and stored; relaxes the leaf-tensor check as in PyTorch. */
  differentiable?: boolean;
}

const DEFAULTS: Hyperparameters = {
  lr: 1.0,
  rho: 0.9,
  eps: 1e-6,
  weightDecay: 0,
  maximize: false,
  capturable: false,
  foreach: null,
  differentiable: false,
};

function adadeltaDefaults(options: AdadeltaOptions | undefined): Hyperparameters {
  const h = resolveOptions("Adadelta", DEFAULTS, options);
  const lr = numberOption("Adadelta", "lr", h.lr);
  const rho = numberOption("Adadelta", "rho", h.rho);
  const eps = numberOption("Adadelta", "eps", h.eps);
  const weightDecay = numberOption("Adadelta", "weightDecay", h.weightDecay);
  for (const flag of ["maximize", "capturable", "differentiable"]) booleanOption("Adadelta", flag, h[flag]);
  optionalBooleanOption("Adadelta", "foreach", h.foreach);
  requireNonNegative("Invalid learning rate", lr);
  if (!(0 <= rho && rho <= 1)) throw new ValueError(`Invalid rho value: ${fmt(rho)}`);
  requireNonNegative("Invalid epsilon value", eps);
  requireNonNegative("Invalid weight_decay value", weightDecay);
  return h;
}

/**
 * Adadelta, PyTorch's `torch.optim.Adadelta`: steps scaled by the ratio of running RMS values of
 * past updates and past gradients.
 *
 * For each parameter θ with gradient g:
 *
 * ```text
 * g ← −g                              if maximize
 * g ← g + λ·θ                         if weightDecay λ ≠ 0   (coupled L2)
 * v ← ρ·v + (1 − ρ)·g²
 * Δ ← √(u + ε) / √(v + ε) · g
 * u ← ρ·u + (1 − ρ)·Δ²
 * θ ← θ − lr·Δ
 * ```
 *
 * Weight decay is **coupled** (added to the gradient, so it enters both running averages; equal
 * to a (λ/2)·‖θ‖² term in the loss). State: `step`, `square_avg` (v), `acc_delta` (u).
 *
 * @example
 * ```ts
 * const opt = new tg.optim.Adadelta(model.parameters(), { rho: 0.95 });
 * opt.step();
 * ```
 *
 * References: Zeiler, "ADADELTA: An Adaptive Learning Rate Method", arXiv:1212.5701, 2012.
 */
export class Adadelta extends Optimizer {
  private readonly hyper: AdadeltaHyper = {
    maximize: false,
    hasWeightDecay: false,
    weightDecay: 0,
    rho: 0,
    oneMinusRho: 0,
    eps: 0,
    negLr: 0,
  };

  /**
   * @throws ValueError for a negative lr, eps or weight decay or ρ outside [0, 1]; TypeError for an
   *   unknown option.
   */
  constructor(params: Params, options: AdadeltaOptions = {}) {
    super(params, adadeltaDefaults(options), "Adadelta");
  }

  protected override updateGroup(group: ParamGroup): void {
    const lr = groupNumber(group, "lr");
    const rho = groupNumber(group, "rho");
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
      const state = this.stateFor(p, () => ({
        step: scalarTensor(0),
        square_avg: zerosLikeParam(p),
        acc_delta: zerosLikeParam(p),
      }));
      this.incrementStep(state);
      h.weightDecay = round(weightDecay);
      h.rho = round(rho);
      h.oneMinusRho = round(1 - rho);
      h.eps = round(eps);
      h.negLr = round(-lr);
      const sq = this.stateTensor(state, "square_avg", p);
      const acc = this.stateTensor(state, "acc_delta", p);
      const pd = denseOf(p);
      const gd = denseOf(g);
      adadeltaKernel(
        f32,
        p.numel(),
        pd.data as FloatArray,
        pd.offset,
        gd.data as FloatArray,
        gd.offset,
        sq.data as FloatArray,
        sq.offset,
        acc.data as FloatArray,
        acc.offset,
        h,
      );
      finishUpdate(p, pd);
    }
  }

  protected override scalarStateKeys(): readonly string[] {
    return ["step"];
  }
}

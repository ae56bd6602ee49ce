/**
 * RMSprop, PyTorch's `torch.optim.RMSprop`.
 * @module
 */

import { KeyError } from "../util/errors.js";
import { rmspropKernel, type RMSpropHyper } from "./kernels/rmsprop.js";
import { arithmeticFor, type FloatArray } from "./kernels/scalar.js";
import {
  booleanOption,
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
import type { Tensor } from "../tensor/tensor.js";

/** Options of {@link RMSprop} (PyTorch's keyword arguments in camelCase). */
export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Smoothing constant α of the squared-gradient average (default 0.99). */
  alpha?: number;
  /** Term added to the root mean square (default 1e-8). */
  eps?: number;
  /** Normalise by the estimated variance instead of the second moment (default false). */
  centered?: boolean;
  /** Coupled L2 penalty λ (default 0). */
  weightDecay?: number;
  /** Accepted and stored as in PyTorch. */
  capturable?: boolean;
  /** Accepted and stored as in PyTorch. */
  foreach?: boolean | null;
  /** Maximize the objective (default false). */
  maximize?: boolean;
  /** Accepted and stored; relaxes the leaf-tensor check as in PyTorch. */
  differentiable?: boolean;
}

const DEFAULTS: Hyperparameters = {
  lr: 1e-2,
  momentum: 0,
  alpha: 0.99,
  eps: 1e-8,
  centered: false,
  weightDecay: 0,
  capturable: false,
  foreach: null,
  maximize: false,
  differentiable: false,
};

function rmspropDefaults(options: RMSpropOptions | undefined): Hyperparameters {
  const h = resolveOptions("RMSprop", DEFAULTS, options);
  const lr = numberOption("RMSprop", "lr", h.lr);
  const momentum = numberOption("RMSprop", "momentum", h.momentum);
  const alpha = numberOption("RMSprop", "alpha", h.alpha);
  const eps = numberOption("RMSprop", "eps", h.eps);
  const weightDecay = numberOption("RMSprop", "weightDecay", h.weightDecay);
  for (const flag of ["centered", "capturable", "maximize", "differentiable"])
    booleanOption("RMSprop", flag, h[flag]);
  optionalBooleanOption("RMSprop", "foreach", h.foreach);
  requireNonNegative("Invalid learning rate", lr);
  requireNonNegative("Invalid epsilon value", eps);
  requireNonNegative("Invalid momentum value", momentum);
  requireNonNegative("Invalid weight_decay value", weightDecay);
  requireNonNegative("Invalid alpha value", alpha);
  return h;
}

/**
 * RMSprop, PyTorch's `torch.optim.RMSprop` (Hinton's unpublished method; PyTorch's variant adds ε
 * after the square root, and its momentum buffer starts at zero).
 *
 * For each parameter θ with gradient g:
 *
 * ```text
 * g ← −g                              if maximize
 * g ← g + λ·θ                         if weightDecay λ ≠ 0   (coupled L2)
 * v ← α·v + (1 − α)·g²
 * if centered: ḡ ← ḡ + (1 − α)·(g − ḡ)  (lerp);  a ← √(v − ḡ²) + ε
 * else:        a ← √v + ε
 * if momentum μ > 0:  b ← μ·b + g/a;  θ ← θ − lr·b
 * else:               θ ← θ − lr·g/a
 * ```
 *
 * Weight decay is **coupled** (added to the gradient, so it enters v, ḡ and the momentum; equal
 * to a (λ/2)·‖θ‖² term in the loss). State: `step`, `square_avg`, plus `momentum_buffer` when
 * momentum > 0 and `grad_avg` when centered (decided when the state is created).
 *
 * @example
 * ```ts
 * const opt = new tg.optim.RMSprop(model.parameters(), { lr: 1e-3, alpha: 0.9, centered: true });
 * opt.step();
 * ```
 *
 * References: Hinton, Srivastava & Swersky, "Neural Networks for Machine Learning", lecture 6e
 * (2012); Graves, "Generating Sequences With Recurrent Neural Networks", arXiv:1308.0850 (the
 * centered form).
 */
export class RMSprop extends Optimizer {
  private readonly hyper: RMSpropHyper = {
    maximize: false,
    hasWeightDecay: false,
    weightDecay: 0,
    alpha: 0,
    oneMinusAlpha: 0,
    eps: 0,
    centered: false,
    hasMomentum: false,
    momentum: 0,
    negLr: 0,
  };

  /**
   * @throws ValueError for a negative lr, eps, momentum, weight decay or alpha; TypeError for an
   *   unknown option.
   */
  constructor(params: Params, options: RMSpropOptions = {}) {
    super(params, rmspropDefaults(options), "RMSprop");
  }

  protected override updateGroup(group: ParamGroup): void {
    const lr = groupNumber(group, "lr");
    const momentum = groupNumber(group, "momentum");
    const alpha = groupNumber(group, "alpha");
    const eps = groupNumber(group, "eps");
    const weightDecay = groupNumber(group, "weightDecay");
    const centered = group.centered === true;
    const h = this.hyper;
    h.maximize = group.maximize === true;
    h.hasWeightDecay = weightDecay !== 0;
    h.centered = centered;
    h.hasMomentum = momentum > 0;
    for (const p of group.params) {
      const g = p.grad;
      if (g === null) continue;
      const f32 = isFloat32(p);
      const { round } = arithmeticFor(f32);
      const state = this.stateFor(p, () => {
        const s: Record<string, unknown> = { step: scalarTensor(0), square_avg: zerosLikeParam(p) };
        if (momentum > 0) s.momentum_buffer = zerosLikeParam(p);
        if (centered) s.grad_avg = zerosLikeParam(p);
        return s;
      });
      this.incrementStep(state);
      h.weightDecay = round(weightDecay);
      h.alpha = round(alpha);
      h.oneMinusAlpha = round(1 - alpha);
      h.eps = round(eps);
      h.momentum = round(momentum);
      h.negLr = round(-lr);
      const sq = this.stateTensor(state, "square_avg", p);
      const buf = h.hasMomentum ? this.optionalState(state, "momentum_buffer", p) : null;
      const ga = centered ? this.optionalState(state, "grad_avg", p) : null;
      const pd = denseOf(p);
      const gd = denseOf(g);
      rmspropKernel(
        f32,
        p.numel(),
        pd.data as FloatArray,
        pd.offset,
        gd.data as FloatArray,
        gd.offset,
        sq.data as FloatArray,
        sq.offset,
        buf === null ? null : (buf.data as FloatArray),
        buf === null ? 0 : buf.offset,
        ga === null ? null : (ga.data as FloatArray),
        ga === null ? 0 : ga.offset,
        h,
      );
      finishUpdate(p, pd);
    }
  }

  /** A buffer that exists only if its flag was on when the state was created (PyTorch: KeyError). */
  private optionalState(state: Record<string, unknown>, key: string, p: Tensor): Tensor {
    if (!(key in state)) throw new KeyError(`'${key}'`);
    return this.stateTensor(state, key, p);
  }

  protected override scalarStateKeys(): readonly string[] {
    return ["step"];
  }
}

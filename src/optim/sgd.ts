/**
 * Stochastic gradient descent with momentum, PyTorch's `torch.optim.SGD`.
 * @module
 */

import { ValueError } from "../util/errors.js";
import {
  checkDecoupledDecayOptions,
  DECOUPLED_DECAY_OPTIONS,
  decoupledDecayFactor,
  isCautious,
  type DecayScale,
} from "./weight-decay.js";
import { sgdKernel, type SgdHyper } from "./kernels/sgd.js";
import { arithmeticFor, type FloatArray } from "./kernels/scalar.js";
import {
  booleanOption,
  checkFusedFlags,
  fmt,
  numberOption,
  optionalBooleanOption,
  resolveOptions,
  type Hyperparameters,
} from "./options.js";
import {
  denseOf,
  finishUpdate,
  groupNumber,
  isFloat32,
  Optimizer,
  zerosLikeParam,
  type ParamGroup,
  type Params,
} from "./optimizer.js";

/** Options of {@link SGD} (PyTorch's keyword arguments in camelCase). */
export interface SGDOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Momentum factor μ (default 0). */
  momentum?: number;
  /** Dampening τ of the momentum (default 0). */
  dampening?: number;
  /** Coupled L2 penalty λ (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (default false; needs momentum > 0 and zero dampening). */
  nesterov?: boolean;
  /** Maximize the objective instead of minimizing (default false). */
  maximize?: boolean;
  /** Accepted and stored as in PyTorch; the numbers are the single-tensor path's either way. */
  foreach?: boolean | null;
  /** Accepted and stored; relaxes the leaf-tensor check as in PyTorch (the step is not recorded). */
  differentiable?: boolean;
  /** Accepted and stored as in PyTorch. */
  fused?: boolean | null;
  /**
   * tsgrad extension (SGDW): shrink the weights by `1 − lr·λ` each step instead of adding λ·θ to
   * the gradient (default false, PyTorch's coupled L2).
   */
  decoupledWeightDecay?: boolean;
  /** tsgrad extension: what multiplies λ in the decoupled shrink (default "lr"); see {@link DecayScale}. */
  decayScale?: DecayScale;
  /** tsgrad extension: decoupled decay only where the update and the weight agree in sign. */
  cautiousWeightDecay?: boolean;
}

const DEFAULTS: Hyperparameters = {
  lr: 1e-3,
  momentum: 0,
  dampening: 0,
  weightDecay: 0,
  nesterov: false,
  maximize: false,
  foreach: null,
  differentiable: false,
  fused: null,
};

function sgdDefaults(options: SGDOptions | undefined): Hyperparameters {
  const h = resolveOptions("SGD", DEFAULTS, options, [
    ...Object.keys(DEFAULTS),
    "decoupledWeightDecay",
    ...DECOUPLED_DECAY_OPTIONS,
  ]);
  if (h.decoupledWeightDecay !== undefined)
    booleanOption("SGD", "decoupledWeightDecay", h.decoupledWeightDecay);
  checkDecoupledDecayOptions("SGD", h);
  const lr = numberOption("SGD", "lr", h.lr);
  const momentum = numberOption("SGD", "momentum", h.momentum);
  const dampening = numberOption("SGD", "dampening", h.dampening);
  const weightDecay = numberOption("SGD", "weightDecay", h.weightDecay);
  const nesterov = booleanOption("SGD", "nesterov", h.nesterov);
  booleanOption("SGD", "maximize", h.maximize);
  booleanOption("SGD", "differentiable", h.differentiable);
  optionalBooleanOption("SGD", "foreach", h.foreach);
  optionalBooleanOption("SGD", "fused", h.fused);
  // PyTorch tests `lr < 0.0` here (not `not 0.0 <= lr`), so a NaN learning rate is accepted.
  if (lr < 0) throw new ValueError(`Invalid learning rate: ${fmt(lr)}`);
  if (momentum < 0) throw new ValueError(`Invalid momentum value: ${fmt(momentum)}`);
  if (weightDecay < 0) throw new ValueError(`Invalid weight_decay value: ${fmt(weightDecay)}`);
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new ValueError("Nesterov momentum requires a momentum and zero dampening");
  }
  checkFusedFlags(h);
  return h;
}

/**
 * Stochastic gradient descent, optionally with (Nesterov) momentum, PyTorch's `torch.optim.SGD`.
 *
 * For each parameter θ with gradient g, at step t:
 *
 * ```text
 * g ← −g                              if maximize
 * g ← g + λ·θ                         if weightDecay λ ≠ 0   (coupled L2)
 * θ ← θ·(1 − s·λ)                     instead, with decoupledWeightDecay (SGDW; s = lr by default)
 * if μ ≠ 0:
 *   b ← g                             at the first step (no dampening yet)
 *   b ← μ·b + (1 − τ)·g               afterwards
 *   g ← g + μ·b  if nesterov, else g ← b
 * θ ← θ − lr·g
 * ```
 *
 * Weight decay is **coupled**: λ·θ is added to the gradient before momentum, so it passes through
 * the momentum buffer. That makes SGD with `weightDecay: λ` the same algorithm as plain SGD on
 * `loss + (λ/2)·‖θ‖²` (the gradient of that term is λ·θ). State: `momentum_buffer` (only when
 * μ ≠ 0). Every operation is rounded as PyTorch's CPU kernels round it (the `add(alpha)` steps
 * are fused multiply-adds), so float32 results match PyTorch bit for bit.
 *
 * @example
 * ```ts
 * const opt = new tg.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, weightDecay: 5e-4 });
 * for (const [x, y] of batches) {
 *   opt.zeroGrad();
 *   lossFn(model.forward(x), y).backward();
 *   opt.step();
 * }
 * ```
 *
 * References: Sutskever, Martens, Dahl, Hinton, "On the importance of initialization and momentum
 * in deep learning", ICML 2013 (the momentum form used here, and Nesterov's variant).
 */
export class SGD extends Optimizer {
  private readonly hyper: SgdHyper = {
    maximize: false,
    hasWeightDecay: false,
    weightDecay: 0,
    hasMomentum: false,
    momentum: 0,
    oneMinusDampening: 1,
    nesterov: false,
    initBuffer: false,
    negLr: 0,
    decoupled: 0,
    decay: 1,
  };

  /**
   * @throws ValueError for a negative lr, momentum or weight decay (`Invalid learning rate: -1`),
   *   or Nesterov without momentum or with dampening; TypeError for an unknown option.
   */
  constructor(params: Params, options: SGDOptions = {}) {
    super(params, sgdDefaults(options), "SGD");
  }

  protected override updateGroup(group: ParamGroup): void {
    const lr = groupNumber(group, "lr");
    const momentum = groupNumber(group, "momentum");
    const dampening = groupNumber(group, "dampening");
    const weightDecay = groupNumber(group, "weightDecay");
    const h = this.hyper;
    h.maximize = group.maximize === true;
    h.nesterov = group.nesterov === true;
    const decoupled = group.decoupledWeightDecay === true && weightDecay !== 0;
    h.hasWeightDecay = weightDecay !== 0 && !decoupled;
    h.decoupled = decoupled ? (isCautious(group) ? 2 : 1) : 0;
    const decay = decoupled ? decoupledDecayFactor(group, weightDecay) : 1;
    h.hasMomentum = momentum !== 0;
    for (const p of group.params) {
      const g = p.grad;
      if (g === null) continue;
      const f32 = isFloat32(p);
      const { round } = arithmeticFor(f32);
      h.weightDecay = round(weightDecay);
      h.momentum = round(momentum);
      h.oneMinusDampening = round(1 - dampening);
      h.negLr = round(-lr);
      h.decay = round(decay);
      let buf = null;
      if (h.hasMomentum) {
        const state = this.state.get(p) ?? {};
        this.state.set(p, state);
        h.initBuffer = !(state.momentum_buffer != null);
        if (h.initBuffer) state.momentum_buffer = zerosLikeParam(p);
        buf = this.stateTensor(state, "momentum_buffer", p);
      }
      const pd = denseOf(p);
      const gd = denseOf(g);
      sgdKernel(
        f32,
        p.numel(),
        pd.data as FloatArray,
        pd.offset,
        gd.data as FloatArray,
        gd.offset,
        buf === null ? null : (buf.data as FloatArray),
        buf === null ? 0 : buf.offset,
        h,
      );
      finishUpdate(p, pd);
    }
  }
}

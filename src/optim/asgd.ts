/**
 * Averaged SGD, PyTorch's `torch.optim.ASGD`.
 * @module
 */

import { getDefaultDtype } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { KeyError } from "../util/errors.js";
import { asgdKernel, type ASGDHyper } from "./kernels/asgd.js";
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
import { pyPow } from "./pow.js";

/** Options of {@link ASGD} (PyTorch's keyword arguments in camelCase). */
export interface ASGDOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Decay term λ (default 1e-4). */
  lambd?: number;
  /** Power α of the η schedule (default 0.75). */
  alpha?: number;
  /** Step after which averaging starts (default 1e6). */
  t0?: number;
  /** Coupled L2 penalty (default 0). */
  weightDecay?: number;
  /** Accepted and stored as in PyTorch. */
  foreach?: boolean | null;
  /** Maximize the objective (default false). */
  maximize?: boolean;
  /** Accepted and stored; relaxes the leaf-tensor check as in PyTorch. */
  differentiable?: boolean;
  /** Accepted and stored as in PyTorch. */
  capturable?: boolean;
}

const DEFAULTS: Hyperparameters = {
  lr: 1e-2,
  lambd: 1e-4,
  alpha: 0.75,
  t0: 1e6,
  weightDecay: 0,
  foreach: null,
  maximize: false,
  differentiable: false,
  capturable: false,
};

function asgdDefaults(options: ASGDOptions | undefined): Hyperparameters {
  const h = resolveOptions("ASGD", DEFAULTS, options);
  const lr = numberOption("ASGD", "lr", h.lr);
  const lambd = numberOption("ASGD", "lambd", h.lambd);
  const alpha = numberOption("ASGD", "alpha", h.alpha);
  numberOption("ASGD", "t0", h.t0);
  const weightDecay = numberOption("ASGD", "weightDecay", h.weightDecay);
  for (const flag of ["maximize", "differentiable", "capturable"]) booleanOption("ASGD", flag, h[flag]);
  optionalBooleanOption("ASGD", "foreach", h.foreach);
  requireNonNegative("Invalid learning rate", lr);
  requireNonNegative("Invalid lambd value", lambd);
  requireNonNegative("Invalid alpha value", alpha);
  requireNonNegative("Invalid weight_decay value", weightDecay);
  return h;
}

function scalarOf(state: Record<string, unknown>, key: string): Tensor {
  const t = state[key];
  if (!(t instanceof Tensor)) throw new KeyError(`'${key}'`);
  return t;
}

/**
 * Averaged stochastic gradient descent, PyTorch's `torch.optim.ASGD`.
 *
 * For each parameter θ with gradient g, at step t (η starts at lr, μ at 1):
 *
 * ```text
 * g ← −g                              if maximize
 * g ← g + w·θ                         if weightDecay w ≠ 0   (coupled L2)
 * θ ← θ·(1 − λ·η)                     (built-in decay, applied every step)
 * θ ← θ − η·g
 * ax ← μ = 1 ? θ : ax + μ·(θ − ax)    (the averaged iterate, kept in state only)
 * η ← lr / (1 + λ·lr·t)^α;   μ ← 1 / max(1, t − t0)
 * ```
 *
 * The `weightDecay` option is **coupled** (added to the gradient; equal to a (w/2)·‖θ‖² term in
 * the loss); λ (`lambd`) is a separate, always-on **decoupled** shrink `θ ← θ·(1 − λη)`. η and μ
 * are float32 scalars in state, so the η used is the float32-rounded value. The average `ax`
 * stays in state (`state.get(p).ax`); parameters are never replaced by it.
 *
 * @example
 * ```ts
 * const opt = new tg.optim.ASGD(model.parameters(), { lr: 0.01, t0: 100 });
 * opt.step();
 * const averaged = opt.state.get(w)!.ax;
 * ```
 *
 * References: Polyak & Juditsky, "Acceleration of Stochastic Approximation by Averaging",
 * SIAM J. Control Optim. 30(4), 1992.
 */
export class ASGD extends Optimizer {
  private readonly hyper: ASGDHyper = {
    maximize: false,
    hasWeightDecay: false,
    weightDecay: 0,
    shrink: 1,
    negEta: 0,
    copyAverage: true,
    mu: 1,
  };

  /**
   * @throws ValueError for a negative lr, lambd, alpha or weight decay; TypeError for an unknown
   *   option.
   */
  constructor(params: Params, options: ASGDOptions = {}) {
    super(params, asgdDefaults(options), "ASGD");
  }

  protected override updateGroup(group: ParamGroup): void {
    const lr = groupNumber(group, "lr");
    const lambd = groupNumber(group, "lambd");
    const alpha = groupNumber(group, "alpha");
    const t0 = groupNumber(group, "t0");
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
        eta: scalarTensor(lr),
        mu: scalarTensor(1),
        ax: zerosLikeParam(p),
      }));
      const t = this.incrementStep(state);
      const eta = scalarOf(state, "eta");
      const muT = scalarOf(state, "mu");
      const e = eta.data[eta.offset] as number;
      const mu = muT.data[muT.offset] as number;
      h.weightDecay = round(weightDecay);
      h.shrink = round(1 - lambd * e);
      h.negEta = round(-e);
      h.copyAverage = mu === 1;
      h.mu = round(mu);
      const ax = this.stateTensor(state, "ax", p);
      const pd = denseOf(p);
      const gd = denseOf(g);
      asgdKernel(
        f32,
        p.numel(),
        pd.data as FloatArray,
        pd.offset,
        gd.data as FloatArray,
        gd.offset,
        ax.data as FloatArray,
        ax.offset,
        h,
      );
      finishUpdate(p, pd);
      // PyTorch builds the new values with `torch.as_tensor(float)` (the default dtype) before copying
      // them into the state, so they are rounded to float32 even when the state holds float64
      // (as it does after loading a state dict for float64 parameters).
      const scalarRound = arithmeticFor(getDefaultDtype() === "float32").round;
      eta.data[eta.offset] = scalarRound(lr / pyPow(1 + lambd * lr * t, alpha));
      muT.data[muT.offset] = scalarRound(1 / Math.max(1, t - t0));
    }
  }

  protected override scalarStateKeys(): readonly string[] {
    return ["step", "eta", "mu"];
  }
}

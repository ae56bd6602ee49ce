/**
 * Adamax, PyTorch's `torch.optim.Adamax` (Adam with the infinity norm).
 * @module
 */

import { adamaxKernel, type AdamaxHyper } from "./kernels/adamax.js";
import { arithmeticFor, type FloatArray } from "./kernels/scalar.js";
import { checkAdamFamily, type Hyperparameters, resolveOptions } from "./options.js";
import {
  denseOf,
  finishUpdate,
  groupNumber,
  groupPair,
  isFloat32,
  Optimizer,
  scalarTensor,
  zerosLikeParam,
  type ParamGroup,
  type Params,
} from "./optimizer.js";
import { pyPow } from "./pow.js";

/** Options of {@link Adamax} (PyTorch's keyword arguments in camelCase). */
export interface AdamaxOptions {
  /** Learning rate (default 2e-3). */
  lr?: number;
  /** (β1, β2) (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Added to |g| inside the maximum (default 1e-8). */
  eps?: number;
  /** Coupled L2 penalty λ (default 0). */
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
  lr: 2e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  foreach: null,
  maximize: false,
  differentiable: false,
  capturable: false,
};

function adamaxDefaults(options: AdamaxOptions | undefined): Hyperparameters {
  const h = resolveOptions("Adamax", DEFAULTS, options);
  checkAdamFamily("Adamax", h, ["maximize", "differentiable", "capturable"]);
  return h;
}

/**
 * Adamax, PyTorch's `torch.optim.Adamax`: Adam whose second moment is an exponentially weighted
 * infinity norm.
 *
 * For each parameter θ with gradient g, at step t:
 *
 * ```text
 * g ← −g                              if maximize
 * g ← g + λ·θ                         if weightDecay λ ≠ 0   (coupled L2)
 * m ← m + (1 − β1)·(g − m)            (lerp)
 * u ← max(β2·u, |g| + ε)              (ε inside the max, not in the denominator)
 * θ ← θ − (lr / (1 − β1^t))·m / u
 * ```
 *
 * Weight decay is **coupled** (added to the gradient, so it enters m and u; equal to a
 * (λ/2)·‖θ‖² term in the loss). State: `step`, `exp_avg`, `exp_inf`.
 *
 * @example
 * ```ts
 * const opt = new tg.optim.Adamax(model.parameters(), { lr: 2e-3 });
 * opt.step();
 * ```
 *
 * References: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, section 7.1.
 */
export class Adamax extends Optimizer {
  private readonly hyper: AdamaxHyper = {
    maximize: false,
    hasWeightDecay: false,
    weightDecay: 0,
    oneMinusBeta1: 0,
    beta2: 0,
    eps: 0,
    negClr: 0,
  };

  /**
   * @throws ValueError for an invalid lr, eps, beta or weight decay; TypeError for an unknown option.
   */
  constructor(params: Params, options: AdamaxOptions = {}) {
    super(params, adamaxDefaults(options), "Adamax");
  }

  protected override updateGroup(group: ParamGroup): void {
    const lr = groupNumber(group, "lr");
    const [beta1, beta2] = groupPair(group, "betas");
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
        exp_avg: zerosLikeParam(p),
        exp_inf: zerosLikeParam(p),
      }));
      const t = this.incrementStep(state);
      h.weightDecay = round(weightDecay);
      h.oneMinusBeta1 = round(1 - beta1);
      h.beta2 = round(beta2);
      h.eps = round(eps);
      h.negClr = round(-(lr / (1 - pyPow(beta1, t))));
      const m = this.stateTensor(state, "exp_avg", p);
      const u = this.stateTensor(state, "exp_inf", p);
      const pd = denseOf(p);
      const gd = denseOf(g);
      adamaxKernel(
        f32,
        p.numel(),
        pd.data as FloatArray,
        pd.offset,
        gd.data as FloatArray,
        gd.offset,
        m.data as FloatArray,
        m.offset,
        u.data as FloatArray,
        u.offset,
        h,
      );
      finishUpdate(p, pd);
    }
  }

  protected override scalarStateKeys(): readonly string[] {
    return ["step"];
  }
}

/**
 * RAdam, PyTorch's `torch.optim.RAdam` (rectified Adam).
 * @module
 */

import {
  checkDecoupledDecayOptions,
  DECOUPLED_DECAY_OPTIONS,
  decoupledDecayFactor,
  weightDecayModeOf,
  type DecayScale,
} from "./weight-decay.js";
import { WeightDecayMode } from "./kernels/adam.js";
import { radamKernel, type RAdamHyper } from "./kernels/radam.js";
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

/** Options of {@link RAdam} (PyTorch's keyword arguments in camelCase). */
export interface RAdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** (β1, β2) (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Term added to √v (default 1e-8). */
  eps?: number;
  /** Weight decay λ (default 0): coupled L2, or decoupled with `decoupledWeightDecay`. */
  weightDecay?: number;
  /** Maximize the objective (default false). */
  maximize?: boolean;
  /** Accepted and stored as in PyTorch. */
  foreach?: boolean | null;
  /** Accepted and stored as in PyTorch. */
  capturable?: boolean;
  /** Apply weight decay to the parameter ("RAdamW") instead of the gradient (default false). */
  decoupledWeightDecay?: boolean;
  /** tsgrad extension: what multiplies λ in the decoupled shrink (default "lr"); see {@link DecayScale}. */
  decayScale?: DecayScale;
  /** tsgrad extension: decoupled decay only where the update and the weight agree in sign. */
  cautiousWeightDecay?: boolean;
  /** Accepted and stored; relaxes the leaf-tensor check as in PyTorch. */
  differentiable?: boolean;
}

const DEFAULTS: Hyperparameters = {
  lr: 1e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  maximize: false,
  foreach: null,
  capturable: false,
  decoupledWeightDecay: false,
  differentiable: false,
};

function radamDefaults(options: RAdamOptions | undefined): Hyperparameters {
  const h = resolveOptions("RAdam", DEFAULTS, options, [
    ...Object.keys(DEFAULTS),
    ...DECOUPLED_DECAY_OPTIONS,
  ]);
  checkDecoupledDecayOptions("RAdam", h);
  checkAdamFamily("RAdam", h, ["maximize", "capturable", "decoupledWeightDecay", "differentiable"]);
  return h;
}

/**
 * RAdam, PyTorch's `torch.optim.RAdam`: Adam with the variance of the adaptive learning rate
 * rectified, falling back to momentum SGD while that variance is intractable.
 *
 * For each parameter θ with gradient g, at step t, with ρ∞ = 2/(1 − β2) − 1 and
 * ρ_t = ρ∞ − 2t·β2^t/(1 − β2^t):
 *
 * ```text
 * g ← −g                                   if maximize
 * if λ ≠ 0:  θ ← θ·(1 − lr·λ)              if decoupledWeightDecay  (RAdamW)
 *            g ← g + λ·θ                   otherwise                (coupled L2)
 * m ← m + (1 − β1)·(g − m);  v ← β2·v + (1 − β2)·g²;  m̂ ← m / (1 − β1^t)
 * if ρ_t > 5:  r ← √(((ρ_t − 4)(ρ_t − 2)ρ∞) / ((ρ∞ − 4)(ρ∞ − 2)ρ_t))
 *              θ ← θ − lr·m̂·(√(1 − β2^t)/(√v + ε))·r
 * else:        θ ← θ − lr·m̂
 * ```
 *
 * With β2 = 0.999 the first rectified step is t = 6. Weight decay is **coupled** by default
 * (added to the gradient, so it enters both moments; equal to a (λ/2)·‖θ‖² term in the loss), or
 * **decoupled** (`θ ← θ·(1 − lr·λ)` before the update) with `decoupledWeightDecay`.
 * State: `step`, `exp_avg`, `exp_avg_sq`.
 *
 * @example
 * ```ts
 * const opt = new tg.optim.RAdam(model.parameters(), { lr: 1e-3 });
 * opt.step();
 * ```
 *
 * References: Liu et al., "On the Variance of the Adaptive Learning Rate and Beyond", ICLR 2020.
 */
export class RAdam extends Optimizer {
  private readonly hyper: RAdamHyper = {
    maximize: false,
    weightDecayMode: WeightDecayMode.None,
    weightDecay: 0,
    decay: 1,
    oneMinusBeta1: 0,
    beta2: 0,
    oneMinusBeta2: 0,
    bc1: 1,
    lr: 0,
    rectified: false,
    bc2Sqrt: 1,
    rect: 1,
    eps: 0,
  };

  /**
   * @throws ValueError for an invalid lr, eps, beta or weight decay; TypeError for an unknown option.
   */
  constructor(params: Params, options: RAdamOptions = {}) {
    super(params, radamDefaults(options), "RAdam");
  }

  protected override updateGroup(group: ParamGroup): void {
    const lr = groupNumber(group, "lr");
    const [beta1, beta2] = groupPair(group, "betas");
    const eps = groupNumber(group, "eps");
    const weightDecay = groupNumber(group, "weightDecay");
    const h = this.hyper;
    h.maximize = group.maximize === true;
    h.weightDecayMode = weightDecayModeOf(group, weightDecay);
    const decay = decoupledDecayFactor(group, weightDecay);
    for (const p of group.params) {
      const g = p.grad;
      if (g === null) continue;
      const f32 = isFloat32(p);
      const { round } = arithmeticFor(f32);
      const state = this.stateFor(p, () => ({
        step: scalarTensor(0),
        exp_avg: zerosLikeParam(p),
        exp_avg_sq: zerosLikeParam(p),
      }));
      const t = this.incrementStep(state);
      const bc1 = 1 - pyPow(beta1, t);
      const bc2 = 1 - pyPow(beta2, t);
      const rhoInf = 2 / (1 - beta2) - 1;
      const rhoT = rhoInf - (2 * t * pyPow(beta2, t)) / bc2;
      h.rectified = rhoT > 5;
      h.rect = h.rectified
        ? round(Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)))
        : 1;
      h.weightDecay = round(weightDecay);
      h.decay = round(decay);
      h.oneMinusBeta1 = round(1 - beta1);
      h.beta2 = round(beta2);
      h.oneMinusBeta2 = round(1 - beta2);
      h.bc1 = round(bc1);
      h.lr = round(lr);
      h.bc2Sqrt = round(Math.sqrt(bc2));
      h.eps = round(eps);
      const m = this.stateTensor(state, "exp_avg", p);
      const v = this.stateTensor(state, "exp_avg_sq", p);
      const pd = denseOf(p);
      const gd = denseOf(g);
      radamKernel(
        f32,
        p.numel(),
        pd.data as FloatArray,
        pd.offset,
        gd.data as FloatArray,
        gd.offset,
        m.data as FloatArray,
        m.offset,
        v.data as FloatArray,
        v.offset,
        h,
      );
      finishUpdate(p, pd);
    }
  }

  protected override scalarStateKeys(): readonly string[] {
    return ["step"];
  }
}

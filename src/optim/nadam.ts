/**
 * NAdam, PyTorch's `torch.optim.NAdam` (Adam with Nesterov momentum and momentum decay).
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
import { nadamKernel, type NAdamHyper } from "./kernels/nadam.js";
import { arithmeticFor, type FloatArray } from "./kernels/scalar.js";
import {
  checkAdamFamily,
  type Hyperparameters,
  numberOption,
  requireNonNegative,
  resolveOptions,
} from "./options.js";
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
import { Tensor } from "../tensor/tensor.js";
import { KeyError } from "../util/errors.js";

/** Options of {@link NAdam} (PyTorch's keyword arguments in camelCase). */
export interface NAdamOptions {
  /** Learning rate (default 2e-3). */
  lr?: number;
  /** (β1, β2) (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Term added to the denominator (default 1e-8). */
  eps?: number;
  /** Weight decay λ (default 0): coupled L2, or decoupled with `decoupledWeightDecay`. */
  weightDecay?: number;
  /** ψ in the momentum schedule μ_t = β1·(1 − 0.5·0.96^(t·ψ)) (default 4e-3). */
  momentumDecay?: number;
  /** Apply weight decay to the parameter ("NAdamW") instead of the gradient (default false). */
  decoupledWeightDecay?: boolean;
  /** tsgrad extension: what multiplies λ in the decoupled shrink (default "lr"); see {@link DecayScale}. */
  decayScale?: DecayScale;
  /** tsgrad extension: decoupled decay only where the update and the weight agree in sign. */
  cautiousWeightDecay?: boolean;
  /** Maximize the objective (default false). */
  maximize?: boolean;
  /** Accepted and stored as in PyTorch. */
  foreach?: boolean | null;
  /** Accepted and stored as in PyTorch. */
  capturable?: boolean;
  /** Accepted and stored; relaxes the leaf-tensor check as in PyTorch. */
  differentiable?: boolean;
}

const DEFAULTS: Hyperparameters = {
  lr: 2e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  momentumDecay: 4e-3,
  decoupledWeightDecay: false,
  maximize: false,
  foreach: null,
  capturable: false,
  differentiable: false,
};

function nadamDefaults(options: NAdamOptions | undefined): Hyperparameters {
  const h = resolveOptions("NAdam", DEFAULTS, options, [
    ...Object.keys(DEFAULTS),
    ...DECOUPLED_DECAY_OPTIONS,
  ]);
  checkDecoupledDecayOptions("NAdam", h);
  checkAdamFamily("NAdam", h, ["decoupledWeightDecay", "maximize", "capturable", "differentiable"]);
  requireNonNegative("Invalid momentum_decay value", numberOption("NAdam", "momentumDecay", h.momentumDecay));
  return h;
}

/**
 * NAdam, PyTorch's `torch.optim.NAdam`: Adam with Nesterov momentum and Dozat's momentum schedule
 * (current semantics, with the corrected product of the momentum coefficients).
 *
 * For each parameter θ with gradient g, at step t, with μ_t = β1·(1 − ½·0.96^(t·ψ)):
 *
 * ```text
 * g ← −g                                   if maximize
 * if λ ≠ 0:  θ ← θ·(1 − lr·λ)              if decoupledWeightDecay  (NAdamW)
 *            g ← g + λ·θ                   otherwise                (coupled L2)
 * Π ← Π·μ_t                                (state mu_product, a float32 scalar)
 * m ← m + (1 − β1)·(g − m);  v ← β2·v + (1 − β2)·g²
 * d ← √(v / (1 − β2^t)) + ε
 * θ ← θ − lr·(1 − μ_t)/(1 − Π)·g/d − lr·μ_{t+1}/(1 − Π·μ_{t+1})·m/d
 * ```
 *
 * Weight decay is **coupled** by default (added to the gradient, so it enters both moments and
 * the Nesterov term; equal to a (λ/2)·‖θ‖² term in the loss), or **decoupled**
 * (`θ ← θ·(1 − lr·λ)` before the update) with `decoupledWeightDecay`. State: `step`,
 * `mu_product`, `exp_avg`, `exp_avg_sq`.
 *
 * @example
 * ```ts
 * const opt = new tg.optim.NAdam(model.parameters(), { lr: 2e-3, momentumDecay: 4e-3 });
 * opt.step();
 * ```
 *
 * References: Dozat, "Incorporating Nesterov Momentum into Adam", ICLR 2016 workshop;
 * Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019.
 */
export class NAdam extends Optimizer {
  private readonly hyper: NAdamHyper = {
    maximize: false,
    weightDecayMode: WeightDecayMode.None,
    weightDecay: 0,
    decay: 1,
    oneMinusBeta1: 0,
    beta2: 0,
    oneMinusBeta2: 0,
    bc2: 1,
    eps: 0,
    gradCoef: 0,
    momentumCoef: 0,
  };

  /**
   * @throws ValueError for an invalid lr, eps, beta, weight decay or momentum decay; TypeError for
   *   an unknown option.
   */
  constructor(params: Params, options: NAdamOptions = {}) {
    super(params, nadamDefaults(options), "NAdam");
  }

  protected override updateGroup(group: ParamGroup): void {
    const lr = groupNumber(group, "lr");
    const [beta1, beta2] = groupPair(group, "betas");
    const eps = groupNumber(group, "eps");
    const weightDecay = groupNumber(group, "weightDecay");
    const momentumDecay = groupNumber(group, "momentumDecay");
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
        mu_product: scalarTensor(1),
        exp_avg: zerosLikeParam(p),
        exp_avg_sq: zerosLikeParam(p),
      }));
      const t = this.incrementStep(state);
      const bc2 = 1 - pyPow(beta2, t);
      const mu = beta1 * (1 - 0.5 * pyPow(0.96, t * momentumDecay));
      const muNext = beta1 * (1 - 0.5 * pyPow(0.96, (t + 1) * momentumDecay));
      // mu_product is a scalar-dtype tensor: the product is rounded to it at every step.
      const muProduct = state.mu_product;
      if (!(muProduct instanceof Tensor)) throw new KeyError("'mu_product'");
      const scalarRound = arithmeticFor(muProduct.dtype === "float32").round;
      muProduct.data[muProduct.offset] = (muProduct.data[muProduct.offset] as number) * scalarRound(mu);
      const product = muProduct.data[muProduct.offset] as number;
      const productNext = product * muNext;
      h.weightDecay = round(weightDecay);
      h.decay = round(decay);
      h.oneMinusBeta1 = round(1 - beta1);
      h.beta2 = round(beta2);
      h.oneMinusBeta2 = round(1 - beta2);
      h.bc2 = round(bc2);
      h.eps = round(eps);
      h.gradCoef = round((-lr * (1 - mu)) / (1 - product));
      h.momentumCoef = round((-lr * muNext) / (1 - productNext));
      const m = this.stateTensor(state, "exp_avg", p);
      const v = this.stateTensor(state, "exp_avg_sq", p);
      const pd = denseOf(p);
      const gd = denseOf(g);
      nadamKernel(
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
    return ["step", "mu_product"];
  }
}

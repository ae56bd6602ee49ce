/**
 * Adam, PyTorch's `torch.optim.Adam` (with AMSGrad and decoupled weight decay).
 * @module
 */

import { ValueError } from "../util/errors.js";
import {
  checkDecoupledDecayOptions,
  DECOUPLED_DECAY_OPTIONS,
  decoupledDecayFactor,
  weightDecayModeOf,
  type DecayScale,
} from "./weight-decay.js";
import { adamKernel, WeightDecayMode, type AdamHyper } from "./kernels/adam.js";
import { arithmeticFor, type FloatArray } from "./kernels/scalar.js";
import {
  checkAdamFamily,
  checkFusedFlags,
  type Hyperparameters,
  optionalBooleanOption,
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

/** Options of {@link Adam} (PyTorch's keyword arguments in camelCase). */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates (β1, β2) of the first and second moment estimates (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Term added to the denominator (default 1e-8). */
  eps?: number;
  /** Weight decay λ (default 0): coupled L2, or decoupled with `decoupledWeightDecay`. */
  weightDecay?: number;
  /** Use AMSGrad's running maximum of the second moment (default false). */
  amsgrad?: boolean;
  /** Maximize the objective (default false). */
  maximize?: boolean;
  /** Accepted and stored as in PyTorch. */
  foreach?: boolean | null;
  /** Accepted and stored as in PyTorch. */
  capturable?: boolean;
  /** Accepted and stored; relaxes the leaf-tensor check as in PyTorch. */
  differentiable?: boolean;
  /** Accepted and stored as in PyTorch. */
  fused?: boolean | null;
  /** Apply weight decay to the parameter (AdamW) instead of the gradient (default false). */
  decoupledWeightDecay?: boolean;
  /** tsgrad extension: what multiplies λ in the decoupled shrink (default "lr"); see {@link DecayScale}. */
  decayScale?: DecayScale;
  /** tsgrad extension: decoupled decay only where the update and the weight agree in sign. */
  cautiousWeightDecay?: boolean;
}

/**
 * Adam's defaults, in PyTorch's order.
 * @example const DEFAULTS = { ...ADAM_DEFAULTS, weightDecay: 1e-2, decoupledWeightDecay: true }; // AdamW's
 */
export const ADAM_DEFAULTS: Hyperparameters = {
  lr: 1e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  amsgrad: false,
  maximize: false,
  foreach: null,
  capturable: false,
  differentiable: false,
  fused: null,
  decoupledWeightDecay: false,
};

/**
 * Validate Adam-style options (shared by AdamW) with PyTorch's messages, in PyTorch's order.
 *
 * @internal
 * @example
 * ```ts
 * adamDefaults("Adam", ADAM_DEFAULTS, { lr: 0.01 }, Adam.optionNames).lr; // 0.01
 * adamDefaults("Adam", ADAM_DEFAULTS, { betas: [1, 0.999] }, Adam.optionNames); // ValueError
 * ```
 */
export function adamDefaults(
  owner: string,
  defaults: Hyperparameters,
  options: unknown,
  allowed: readonly string[],
): Hyperparameters {
  const h = resolveOptions(owner, defaults, options, allowed);
  if (h.foreach === true && h.capturable !== true && typeof h.lr === "object" && h.lr !== null) {
    throw new ValueError("lr as a Tensor is not supported for capturable=False and foreach=True");
  }
  optionalBooleanOption(owner, "fused", h.fused);
  checkAdamFamily(owner, h, ["amsgrad", "maximize", "capturable", "differentiable", "decoupledWeightDecay"]);
  checkFusedFlags(h);
  checkDecoupledDecayOptions(owner, h);
  return h;
}

/**
 * Adam, PyTorch's `torch.optim.Adam` (current semantics: first moment by `lerp`, optional
 * decoupled weight decay).
 *
 * For each parameter θ with gradient g, at step t (counted per parameter):
 *
 * ```text
 * g ← −g                                   if maximize
 * if λ ≠ 0:  θ ← θ·(1 − lr·λ)              if decoupledWeightDecay  (AdamW)
 *            g ← g + λ·θ                   otherwise                (coupled L2)
 * m ← m + (1 − β1)·(g − m)                 (lerp)
 * v ← β2·v + (1 − β2)·g²
 * v_max ← max(v_max, v)                    if amsgrad (raw second moments)
 * denom ← √(amsgrad ? v_max : v) / √(1 − β2^t) + ε
 * θ ← θ − (lr / (1 − β1^t))·m / denom
 * ```
 *
 * Weight decay is **coupled** by default: λ·θ is added to the gradient, so it enters both moment
 * estimates and is divided by √v like the rest of the gradient — which is why Adam's weight decay
 * is not equivalent to shrinking the weights, and why AdamW exists. With
 * `decoupledWeightDecay: true` it is applied directly to θ before the update (exactly {@link AdamW}).
 * State: `step` (0-dim float32 tensor), `exp_avg`, `exp_avg_sq`, and `max_exp_avg_sq` with amsgrad.
 *
 * @example
 * ```ts
 * const opt = new tg.optim.Adam(model.parameters(), { lr: 3e-4, betas: [0.9, 0.999] });
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * ```
 *
 * References: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015;
 * Reddi, Kale & Kumar, "On the Convergence of Adam and Beyond", ICLR 2018 (AMSGrad);
 * Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019.
 */
export class Adam extends Optimizer {
  private readonly hyper: AdamHyper = {
    maximize: false,
    weightDecayMode: WeightDecayMode.None,
    weightDecay: 0,
    decay: 1,
    oneMinusBeta1: 0,
    beta2: 0,
    oneMinusBeta2: 0,
    bc2Sqrt: 1,
    eps: 0,
    negStepSize: 0,
    amsgrad: false,
  };

  /**
   * @throws ValueError `Invalid learning rate: …`, `Invalid epsilon value: …`,
   *   `Invalid beta parameter at index 0: …`, `Invalid weight_decay value: …`; TypeError for an
   *   unknown option.
   */
  constructor(params: Params, options: AdamOptions = {}) {
    // AdamW reuses this constructor with its own defaults, option names and name (PyTorch's AdamW
    // is a subclass of Adam that only changes these).
    const cls = new.target as unknown as typeof Adam;
    super(
      params,
      adamDefaults(cls.optimizerName, cls.defaultOptions, options, cls.optionNames),
      cls.optimizerName,
    );
  }

  /** The name in messages. @internal */
  static readonly optimizerName: string = "Adam";
  /** Defaults in PyTorch's order. @internal */
  static readonly defaultOptions: Hyperparameters = ADAM_DEFAULTS;
  /** The options a user may pass. @internal */
  static readonly optionNames: readonly string[] = [
    ...Object.keys(ADAM_DEFAULTS),
    ...DECOUPLED_DECAY_OPTIONS,
  ];

  protected override updateGroup(group: ParamGroup): void {
    const lr = groupNumber(group, "lr");
    const [beta1, beta2] = groupPair(group, "betas");
    const eps = groupNumber(group, "eps");
    const weightDecay = groupNumber(group, "weightDecay");
    const amsgrad = group.amsgrad === true;
    const h = this.hyper;
    h.maximize = group.maximize === true;
    h.amsgrad = amsgrad;
    h.weightDecayMode = weightDecayModeOf(group, weightDecay);
    const decay = decoupledDecayFactor(group, weightDecay);
    for (const p of group.params) {
      const g = p.grad;
      if (g === null) continue;
      const f32 = isFloat32(p);
      const { round } = arithmeticFor(f32);
      const state = this.stateFor(p, () => {
        const s: Record<string, unknown> = {
          step: scalarTensor(0),
          exp_avg: zerosLikeParam(p),
          exp_avg_sq: zerosLikeParam(p),
        };
        if (amsgrad) s.max_exp_avg_sq = zerosLikeParam(p);
        return s;
      });
      const t = this.incrementStep(state);
      const bc1 = 1 - pyPow(beta1, t);
      const bc2 = 1 - pyPow(beta2, t);
      const stepSize = lr / bc1;
      h.weightDecay = round(weightDecay);
      h.decay = round(decay);
      h.oneMinusBeta1 = round(1 - beta1);
      h.beta2 = round(beta2);
      h.oneMinusBeta2 = round(1 - beta2);
      h.bc2Sqrt = round(Math.sqrt(bc2));
      h.eps = round(eps);
      h.negStepSize = round(-stepSize);
      const m = this.stateTensor(state, "exp_avg", p);
      const v = this.stateTensor(state, "exp_avg_sq", p);
      const vmax = amsgrad ? this.stateTensor(state, "max_exp_avg_sq", p) : null;
      const pd = denseOf(p);
      const gd = denseOf(g);
      adamKernel(
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
        vmax === null ? null : (vmax.data as FloatArray),
        vmax === null ? 0 : vmax.offset,
        h,
      );
      finishUpdate(p, pd);
    }
  }

  protected override scalarStateKeys(): readonly string[] {
    return ["step"];
  }
}

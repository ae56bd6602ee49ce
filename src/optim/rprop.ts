/**
 * Resilient backpropagation, PyTorch's `torch.optim.Rprop`.
 * @module
 */

import { ValueError } from "../util/errors.js";
import { rpropKernel, type RpropHyper } from "./kernels/rprop.js";
import { arithmeticFor, type FloatArray } from "./kernels/scalar.js";
import {
  booleanOption,
  fmt,
  numberOption,
  optionalBooleanOption,
  pairOption,
  requireNonNegative,
  resolveOptions,
  type Hyperparameters,
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

/** Options of {@link Rprop} (PyTorch's keyword arguments in camelCase). */
export interface RpropOptions {
  /** Initial step size (default 1e-2). */
  lr?: number;
  /** Multiplicative decrease and increase factors (η−, η+) (default [0.5, 1.2]). */
  etas?: readonly [number, number];
  /** Minimal and maximal step sizes (default [1e-6, 50]). */
  stepSizes?: readonly [number, number];
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
  etas: [0.5, 1.2],
  stepSizes: [1e-6, 50],
  foreach: null,
  maximize: false,
  differentiable: false,
  capturable: false,
};

function rpropDefaults(options: RpropOptions | undefined): Hyperparameters {
  const h = resolveOptions("Rprop", DEFAULTS, options);
  const lr = numberOption("Rprop", "lr", h.lr);
  const [etaMinus, etaPlus] = pairOption("Rprop", "etas", h.etas);
  pairOption("Rprop", "stepSizes", h.stepSizes);
  for (const flag of ["maximize", "differentiable", "capturable"]) booleanOption("Rprop", flag, h[flag]);
  optionalBooleanOption("Rprop", "foreach", h.foreach);
  requireNonNegative("Invalid learning rate", lr);
  if (!(0 < etaMinus && etaMinus < 1 && 1 < etaPlus)) {
    throw new ValueError(`Invalid eta values: ${fmt(etaMinus)}, ${fmt(etaPlus)}`);
  }
  return h;
}

/**
 * Resilient backpropagation, PyTorch's `torch.optim.Rprop`: per-coordinate step sizes that grow
 * while the gradient keeps its sign and shrink when it flips; only the gradient's sign is used.
 *
 * For each parameter θ with gradient g (step sizes start at lr, the previous gradient at 0):
 *
 * ```text
 * g ← −g                                   if maximize
 * s ← sign(g·g_prev)
 * step ← clamp(step·(s > 0 ? η+ : s < 0 ? η− : 1), stepSizes[0], stepSizes[1])
 * g ← 0 where s < 0                        (after a sign flip: no step, and forget g)
 * θ ← θ − sign(g)·step
 * g_prev ← g
 * ```
 *
 * There is no weight decay option (neither coupled nor decoupled). State: `step`, `prev`,
 * `step_size`. A NaN gradient has sign 0 on CPU, so it leaves θ and the step size unchanged.
 *
 * @example
 * ```ts
 * const opt = new tg.optim.Rprop(model.parameters(), { lr: 0.01, etas: [0.5, 1.2] });
 * opt.step();
 * ```
 *
 * References: Riedmiller & Braun, "A Direct Adaptive Method for Faster Backpropagation Learning:
 * The RPROP Algorithm", IEEE ICNN 1993.
 */
export class Rprop extends Optimizer {
  private readonly hyper: RpropHyper = {
    maximize: false,
    etaMinus: 0,
    etaPlus: 0,
    stepSizeMin: 0,
    stepSizeMax: 0,
  };

  /**
   * @throws ValueError for a negative lr or etas outside 0 < η− < 1 < η+; TypeError for an unknown
   *   option.
   */
  constructor(params: Params, options: RpropOptions = {}) {
    super(params, rpropDefaults(options), "Rprop");
  }

  protected override updateGroup(group: ParamGroup): void {
    const lr = groupNumber(group, "lr");
    const [etaMinus, etaPlus] = groupPair(group, "etas");
    const [stepMin, stepMax] = groupPair(group, "stepSizes");
    const h = this.hyper;
    h.maximize = group.maximize === true;
    for (const p of group.params) {
      const g = p.grad;
      if (g === null) continue;
      const f32 = isFloat32(p);
      const { round } = arithmeticFor(f32);
      const state = this.stateFor(p, () => ({
        step: scalarTensor(0),
        prev: zerosLikeParam(p),
        step_size: zerosLikeParam(p, round(lr)),
      }));
      this.incrementStep(state);
      h.etaMinus = round(etaMinus);
      h.etaPlus = round(etaPlus);
      h.stepSizeMin = round(stepMin);
      h.stepSizeMax = round(stepMax);
      const prev = this.stateTensor(state, "prev", p);
      const stepSize = this.stateTensor(state, "step_size", p);
      const pd = denseOf(p);
      const gd = denseOf(g);
      rpropKernel(
        f32,
        p.numel(),
        pd.data as FloatArray,
        pd.offset,
        gd.data as FloatArray,
        gd.offset,
        prev.data as FloatArray,
        prev.offset,
        stepSize.data as FloatArray,
        stepSize.offset,
        h,
      );
      finishUpdate(p, pd);
    }
  }

  protected override scalarStateKeys(): readonly string[] {
    return ["step"];
  }
}

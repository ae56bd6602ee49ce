/**
 * Every `torch.optim` optimizer with PyTorch's options in camelCase, the base class, and the
 * learning-rate schedulers as `lrScheduler`.
 *
 * @example
 * ```ts
 * import { optim } from "tsgrad";
 * const opt = new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
 * const sched = new optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 100 });
 * ```
 * @module
 */

export {
  Optimizer,
  type Closure,
  type OptimizerStateDict,
  type PackedParamGroup,
  type ParamGroup,
  type ParamGroupInput,
  type Params,
  type ParamState,
} from "./optimizer.js";
export { SGD, type SGDOptions } from "./sgd.js";
export { Adam, type AdamOptions } from "./adam.js";
export { AdamW, type AdamWOptions } from "./adamw.js";
export { Adagrad, type AdagradOptions } from "./adagrad.js";
export { RMSprop, type RMSpropOptions } from "./rmsprop.js";
export { Adadelta, type AdadeltaOptions } from "./adadelta.js";
export { Adamax, type AdamaxOptions } from "./adamax.js";
export { NAdam, type NAdamOptions } from "./nadam.js";
export { RAdam, type RAdamOptions } from "./radam.js";
export { ASGD, type ASGDOptions } from "./asgd.js";
export { Rprop, type RpropOptions } from "./rprop.js";
export { LBFGS, type LBFGSOptions } from "./lbfgs.js";
export * as lrScheduler from "./lr-scheduler/index.js";
export { DECAY_SCALES, decayScaleFactor, decoupledDecayFactor, type DecayScale } from "./weight-decay.js";
export { WeightDecayScheduler, type DrivenScheduler } from "./weight-decay-scheduler.js";
export { weightDecayFromTimescale, type TimescaleOptions, type TimescaleResult } from "./timescale.js";
export { explain, type Explanation, type GroupExplanation, type DecayKind } from "./explain.js";

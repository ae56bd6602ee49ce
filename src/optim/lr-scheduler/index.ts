/**
 * Every PyTorch learning-rate scheduler (`torch.optim.lr_scheduler`), with camelCase options.
 *
 * @example
 * ```ts
 * const sched = new tg.optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * ```
 * @module
 */

export {
  LRScheduler,
  assertOptimizer,
  isSchedulableOptimizer,
  type ParamGroup,
  type SchedulableOptimizer,
  type SchedulerStateDict,
} from "./lr-scheduler.js";
export { LambdaLR, type LambdaLROptions } from "./lambda-lr.js";
export { MultiplicativeLR, type MultiplicativeLROptions } from "./multiplicative-lr.js";
export type { LrLambda } from "./lr-lambdas.js";
export { StepLR, type StepLROptions } from "./step-lr.js";
export { MultiStepLR, type MultiStepLROptions } from "./multi-step-lr.js";
export { ConstantLR, type ConstantLROptions } from "./constant-lr.js";
export { LinearLR, type LinearLROptions } from "./linear-lr.js";
export { ExponentialLR, type ExponentialLROptions } from "./exponential-lr.js";
export { PolynomialLR, type PolynomialLROptions } from "./polynomial-lr.js";
export { CosineAnnealingLR, type CosineAnnealingLROptions } from "./cosine-annealing-lr.js";
export { ChainedScheduler } from "./chained-scheduler.js";
export { SequentialLR, type SequentialLROptions } from "./sequential-lr.js";
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions, type Metric } from "./reduce-lr-on-plateau.js";
export { CyclicLR, type CyclicLROptions, type ScaleFn } from "./cyclic-lr.js";
export { OneCycleLR, type OneCycleLROptions, type SchedulePhase } from "./one-cycle-lr.js";
export {
  CosineAnnealingWarmRestarts,
  type CosineAnnealingWarmRestartsOptions,
} from "./cosine-annealing-warm-restarts.js";
export { SWALR, type SWALROptions } from "./swalr.js";
export { EPOCH_DEPRECATION_WARNING, GET_LR_OUTSIDE_STEP_WARNING, STEP_ORDER_WARNING, warn } from "./warn.js";

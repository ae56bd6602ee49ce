/**
 * LambdaLR: set every group's learning rate to its base times a function of the epoch.
 *
 * @module
 */

import { type SchedulableOptimizer, type SchedulerStateDict, LRScheduler } from "./lr-scheduler.js";
import { type LrLambda, loadLrLambdas, lrLambdas, saveLrLambdas } from "./lr-lambdas.js";
import { checkOptions, numberOption } from "./options.js";

/**
 * Options of {@link LambdaLR} (PyTorch's keyword arguments in camelCase).
 *
 * @example
 * ```ts
 * const opts: LambdaLROptions = { lrLambda: (epoch) => 0.95 ** epoch };
 * ```
 */
export interface LambdaLROptions {
  /** A function of the epoch giving the factor, or one such function per parameter group. */
  lrLambda: LrLambda | readonly LrLambda[];
  /** Index of the last epoch when resuming. Default -1 (a fresh start). */
  lastEpoch?: number;
}

/**
 * Set the learning rate of each parameter group to its base learning rate times `lrLambda(epoch)`
 * (PyTorch's `torch.optim.lr_scheduler.LambdaLR`). Not chainable: it always starts from the base.
 *
 * ```
 * lr = base_lr · λ(L)
 * ```
 *
 * @example
 * ```ts
 * const sched = new LambdaLR(opt, { lrLambda: [(epoch) => Math.floor(epoch / 30), (epoch) => 0.95 ** epoch] });
 * ```
 */
export class LambdaLR extends LRScheduler {
  /** One function per parameter group. */
  lrLambdas: LrLambda[];

  /**
   * @throws ValueError `"Expected {n} lr_lambdas, but got {m}"` for a list of the wrong length.
   */
  constructor(optimizer: SchedulableOptimizer, options: LambdaLROptions) {
    const opts = checkOptions("LambdaLR", options, ["lrLambda", "lastEpoch"]);
    super(optimizer);
    this.lrLambdas = lrLambdas("LambdaLR", opts.lrLambda, optimizer.paramGroups.length);
    this.initialize(numberOption("LambdaLR", opts, "lastEpoch", -1));
  }

  override getLr(): number[] {
    this.warnIfOutsideStep();
    return this.baseLrs.map((base, i) => base * (this.lrLambdas[i] as LrLambda)(this.lastEpoch));
  }

  /** As the base, plus `lr_lambdas` (null per plain function, own properties otherwise). */
  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), lr_lambdas: saveLrLambdas(this.lrLambdas) };
  }

  override loadStateDict(stateDict: SchedulerStateDict): void {
    const { lr_lambdas: saved, ...rest } = stateDict;
    super.loadStateDict(rest);
    if (saved !== undefined) loadLrLambdas("LambdaLR", this.lrLambdas, saved);
  }
}

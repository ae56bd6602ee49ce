/**
 * MultiplicativeLR: multiply every group's learning rate by a function of the epoch, every epoch.
 *
 * @module
 */

import { type SchedulableOptimizer, type SchedulerStateDict, LRScheduler } from "./lr-scheduler.js";
import { type LrLambda, loadLrLambdas, lrLambdas, saveLrLambdas } from "./lr-lambdas.js";
import { checkOptions, numberOption } from "./options.js";

/**
 * Options of {@link MultiplicativeLR} (PyTorch's keyword arguments in camelCase).
 *
 * @example
 * ```ts
 * const opts: MultiplicativeLROptions = { lrLambda: () => 0.95 };
 * ```
 */
export interface MultiplicativeLROptions {
  /** A function of the epoch giving the factor, or one such function per parameter group. */
  lrLambda: LrLambda | readonly LrLambda[];
  /** Index of the last epoch when resuming. Default -1 (a fresh start). */
  lastEpoch?: number;
}

/**
 * Multiply the learning rate of each parameter group by `lrLambda(epoch)` at every step
 * (PyTorch's `torch.optim.lr_scheduler.MultiplicativeLR`).
 *
 * ```
 * initial step: unchanged; else lr ← lr · λ(L)
 * ```
 *
 * @example
 * ```ts
 * const sched = new MultiplicativeLR(opt, { lrLambda: () => 0.95 });
 * ```
 */
export class MultiplicativeLR extends LRScheduler {
  /** One function per parameter group. */
  lrLambdas: LrLambda[];

  /**
   * @throws ValueError for a list of the wrong length; TypeError `"lr_lambda should be a function, but got {type}"`.
   */
  constructor(optimizer: SchedulableOptimizer, options: MultiplicativeLROptions) {
    const opts = checkOptions("MultiplicativeLR", options, ["lrLambda", "lastEpoch"]);
    super(optimizer);
    this.lrLambdas = lrLambdas("MultiplicativeLR", opts.lrLambda, optimizer.paramGroups.length);
    this.initialize(numberOption("MultiplicativeLR", opts, "lastEpoch", -1));
  }

  override getLr(): number[] {
    this.warnIfOutsideStep();
    if (this._isInitial) return this.groupValues("lr");
    return this.optimizer.paramGroups.map(
      (group, i) => group.lr * (this.lrLambdas[i] as LrLambda)(this.lastEpoch),
    );
  }

  /** As the base, plus `lr_lambdas` (null per plain function, own properties otherwise). */
  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), lr_lambdas: saveLrLambdas(this.lrLambdas) };
  }

  override loadStateDict(stateDict: SchedulerStateDict): void {
    const { lr_lambdas: saved, ...rest } = stateDict;
    super.loadStateDict(rest);
    if (saved !== undefined) loadLrLambdas("MultiplicativeLR", this.lrLambdas, saved);
  }
}

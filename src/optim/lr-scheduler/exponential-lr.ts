/**
 * ExponentialLR: decay every group's learning rate by `gamma` every epoch.
 *
 * @module
 */

import { type SchedulableOptimizer, LRScheduler } from "./lr-scheduler.js";
import { checkOptions, numberOption } from "./options.js";

/**
 * Options of {@link ExponentialLR} (PyTorch's keyword arguments in camelCase).
 *
 * @example
 * ```ts
 * const opts: ExponentialLROptions = { gamma: 0.95 };
 * ```
 */
export interface ExponentialLROptions {
  /** Multiplicative factor of the decay. */
  gamma: number;
  /** Index of the last epoch when resuming. Default -1 (a fresh start). */
  lastEpoch?: number;
}

/**
 * Decay the learning rate of each parameter group by `gamma` every epoch
 * (PyTorch's `torch.optim.lr_scheduler.ExponentialLR`).
 *
 * ```
 * chainable:   initial step: unchanged; else lr ← lr·γ
 * closed form: lr = base_lr · γ^L
 * ```
 * The initial step leaves the learning rates alone, so resuming with `lastEpoch = k` keeps the
 * loaded learning rate (current PyTorch; 1.13 applied one extra decay there).
 *
 * @example
 * ```ts
 * const sched = new ExponentialLR(opt, { gamma: 0.95 });
 * ```
 */
export class ExponentialLR extends LRScheduler {
  /** Multiplicative factor of the decay. */
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: ExponentialLROptions) {
    const opts = checkOptions("ExponentialLR", options, ["gamma", "lastEpoch"]);
    super(optimizer);
    this.gamma = numberOption("ExponentialLR", opts, "gamma");
    this.initialize(numberOption("ExponentialLR", opts, "lastEpoch", -1));
  }

  override getLr(): number[] {
    this.warnIfOutsideStep();
    if (this._isInitial) return this.groupValues("lr");
    return this.optimizer.paramGroups.map((group) => group.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** this.lastEpoch);
  }

  protected override stateKeys(): Array<[string, string]> {
    return [["gamma", "gamma"], ...super.stateKeys()];
  }
}

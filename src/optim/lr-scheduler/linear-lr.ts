/**
 * LinearLR: ramp every group's learning rate factor linearly from `startFactor` to `endFactor`.
 *
 * @module
 */

import { ValueError } from "../../util/errors.js";
import { type SchedulableOptimizer, LRScheduler } from "./lr-scheduler.js";
import { checkOptions, numberOption } from "./options.js";

/**
 * Options of {@link LinearLR} (PyTorch's keyword arguments in camelCase).
 *
 * @example
 * ```ts
 * const opts: LinearLROptions = { startFactor: 0.1, totalIters: 10 };
 * ```
 */
export interface LinearLROptions {
  /** Factor at epoch 0, in (0, 1]. Default 1/3. */
  startFactor?: number;
  /** Factor from epoch `totalIters` on, in [0, 1]. Default 1. */
  endFactor?: number;
  /** Number of epochs the ramp takes. Default 5. */
  totalIters?: number;
  /** Index of the last epoch when resuming. Default -1 (a fresh start). */
  lastEpoch?: number;
}

/**
 * Scale the learning rate of each parameter group by a factor that changes linearly from
 * `startFactor` to `endFactor` over `totalIters` epochs (PyTorch's `torch.optim.lr_scheduler.LinearLR`).
 *
 * ```
 * chainable:   L = 0: lr ← lr·start
 *              initial step of a resumed run, or L > totalIters: unchanged
 *              else lr ← lr·(1 + (end − start) / (totalIters·start + (L − 1)·(end − start)))
 * closed form: lr = base_lr · (start + (end − start)·min(totalIters, L) / totalIters)
 * ```
 *
 * @example
 * ```ts
 * // warm up from 0.05·0.25 to 0.05 over 4 epochs
 * const sched = new LinearLR(opt, { startFactor: 0.25, totalIters: 4 });
 * ```
 */
export class LinearLR extends LRScheduler {
  /** Factor at epoch 0. */
  startFactor: number;
  /** Factor from epoch `totalIters` on. */
  endFactor: number;
  /** Number of epochs the ramp takes. */
  totalIters: number;

  /**
   * @throws ValueError when `startFactor` is not in (0, 1] or `endFactor` is not in [0, 1].
   */
  constructor(optimizer: SchedulableOptimizer, options: LinearLROptions = {}) {
    const opts = checkOptions("LinearLR", options, ["startFactor", "endFactor", "totalIters", "lastEpoch"]);
    const startFactor = numberOption("LinearLR", opts, "startFactor", 1.0 / 3);
    const endFactor = numberOption("LinearLR", opts, "endFactor", 1.0);
    // Current PyTorch rejects a start factor of 0 (1.13 accepted it and then divided by zero).
    if (startFactor > 1.0 || startFactor <= 0) {
      throw new ValueError(
        "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.",
      );
    }
    if (endFactor > 1.0 || endFactor < 0) {
      throw new ValueError("Ending multiplicative factor expected to be between 0 and 1.");
    }
    super(optimizer);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = numberOption("LinearLR", opts, "totalIters", 5);
    this.initialize(numberOption("LinearLR", opts, "lastEpoch", -1));
  }

  override getLr(): number[] {
    this.warnIfOutsideStep();
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((group) => group.lr * this.startFactor);
    if (this._isInitial || this.lastEpoch > this.totalIters) return this.groupValues("lr");
    const delta = this.endFactor - this.startFactor;
    return groups.map(
      (group) =>
        group.lr * (1.0 + delta / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * delta)),
    );
  }

  protected override closedFormLr(): number[] {
    const progress = Math.min(this.totalIters, this.lastEpoch);
    return this.baseLrs.map(
      (base) =>
        base * (this.startFactor + ((this.endFactor - this.startFactor) * progress) / this.totalIters),
    );
  }

  protected override stateKeys(): Array<[string, string]> {
    return [
      ["start_factor", "startFactor"],
      ["end_factor", "endFactor"],
      ["total_iters", "totalIters"],
      ...super.stateKeys(),
    ];
  }
}

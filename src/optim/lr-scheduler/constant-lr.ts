/**
 * ConstantLR: scale every group's learning rate by a constant factor for the first `totalIters` epochs.
 *
 * @module
 */

import { RuntimeError, ValueError } from "../../util/errors.js";
import { type SchedulableOptimizer, LRScheduler } from "./lr-scheduler.js";
import { checkOptions, numberOption } from "./options.js";

/**
 * Options of {@link ConstantLR} (PyTorch's keyword arguments in camelCase).
 *
 * @example
 * ```ts
 * const opts: ConstantLROptions = { factor: 0.5, totalIters: 4 };
 * ```
 */
export interface ConstantLROptions {
  /** The factor applied until the milestone, in [0, 1]. Default 1/3. */
  factor?: number;
  /** Number of epochs the factor applies for. Default 5. */
  totalIters?: number;
  /** Index of the last epoch when resuming. Default -1 (a fresh start). */
  lastEpoch?: number;
}

/**
 * Multiply the learning rate of each parameter group by `factor` until epoch `totalIters`, then
 * restore it (PyTorch's `torch.optim.lr_scheduler.ConstantLR`).
 *
 * ```
 * chainable:   L = 0: lr ← lr·factor;  L = totalIters: lr ← lr·(1/factor);  otherwise unchanged
 * closed form: lr = base_lr · (factor + [L ≥ totalIters]·(1 − factor))
 * ```
 *
 * @example
 * ```ts
 * // lr = 0.025 for epochs 0–3, 0.05 from epoch 4 on (base lr 0.05)
 * const sched = new ConstantLR(opt, { factor: 0.5, totalIters: 4 });
 * ```
 */
export class ConstantLR extends LRScheduler {
  /** The factor applied until the milestone. */
  factor: number;
  /** Number of epochs the factor applies for. */
  totalIters: number;

  /**
   * @throws ValueError `"Constant multiplicative factor expected to be between 0 and 1."`
   */
  constructor(optimizer: SchedulableOptimizer, options: ConstantLROptions = {}) {
    const opts = checkOptions("ConstantLR", options, ["factor", "totalIters", "lastEpoch"]);
    const factor = numberOption("ConstantLR", opts, "factor", 1.0 / 3);
    if (factor > 1.0 || factor < 0) {
      throw new ValueError("Constant multiplicative factor expected to be between 0 and 1.");
    }
    super(optimizer);
    this.factor = factor;
    this.totalIters = numberOption("ConstantLR", opts, "totalIters", 5);
    this.initialize(numberOption("ConstantLR", opts, "lastEpoch", -1));
  }

  override getLr(): number[] {
    this.warnIfOutsideStep();
    if (this.lastEpoch === 0) return this.optimizer.paramGroups.map((group) => group.lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return this.groupValues("lr");
    // Python raises ZeroDivisionError on 1.0 / 0.
    if (this.factor === 0) throw new RuntimeError("float division by zero");
    return this.optimizer.paramGroups.map((group) => group.lr * (1.0 / this.factor));
  }

  protected override closedFormLr(): number[] {
    const after = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((base) => base * (this.factor + after * (1 - this.factor)));
  }

  protected override stateKeys(): Array<[string, string]> {
    return [["factor", "factor"], ["total_iters", "totalIters"], ...super.stateKeys()];
  }
}

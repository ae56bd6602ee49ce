/**
 * StepLR: decay every group's learning rate by `gamma` every `stepSize` epochs.
 *
 * @module
 */

import { RuntimeError } from "../../util/errors.js";
import { type SchedulableOptimizer, LRScheduler } from "./lr-scheduler.js";
import { checkOptions, numberOption } from "./options.js";
import { floorDiv, pyMod } from "./python.js";

/**
 * Options of {@link StepLR} (PyTorch's keyword arguments in camelCase).
 *
 * @example
 * ```ts
 * const opts: StepLROptions = { stepSize: 30, gamma: 0.1 };
 * ```
 */
export interface StepLROptions {
  /** Period of the decay, in epochs (`step_size`). */
  stepSize: number;
  /** Multiplicative factor of the decay. Default 0.1. */
  gamma?: number;
  /** Index of the last epoch when resuming. Default -1 (a fresh start). */
  lastEpoch?: number;
}

/**
 * Decay the learning rate of each parameter group by `gamma` every `stepSize` epochs
 * (PyTorch's `torch.optim.lr_scheduler.StepLR`).
 *
 * ```
 * chainable:   lr ← lr·γ   when L > 0 and L mod stepSize = 0, else unchanged
 * closed form: lr = base_lr · γ^⌊L / stepSize⌋                 (used by the deprecated step(epoch))
 * ```
 *
 * @example
 * ```ts
 * // lr = 0.05 for epochs 0–29, 0.005 for 30–59, 0.0005 for 60–89, ...
 * const sched = new StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   train();
 *   sched.step();
 * }
 * ```
 */
export class StepLR extends LRScheduler {
  /** Period of the decay, in epochs. */
  stepSize: number;
  /** Multiplicative factor of the decay. */
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: StepLROptions) {
    const opts = checkOptions("StepLR", options, ["stepSize", "gamma", "lastEpoch"]);
    super(optimizer);
    this.stepSize = numberOption("StepLR", opts, "stepSize");
    this.gamma = numberOption("StepLR", opts, "gamma", 0.1);
    this.initialize(numberOption("StepLR", opts, "lastEpoch", -1));
  }

  override getLr(): number[] {
    this.warnIfOutsideStep();
    // Python raises ZeroDivisionError on `last_epoch % 0` (epoch 0 short-circuits before it).
    if (this.stepSize === 0 && this.lastEpoch !== 0)
      throw new RuntimeError("integer division or modulo by zero");
    if (this.lastEpoch === 0 || pyMod(this.lastEpoch, this.stepSize) !== 0) return this.groupValues("lr");
    return this.optimizer.paramGroups.map((group) => group.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** floorDiv(this.lastEpoch, this.stepSize));
  }

  protected override stateKeys(): Array<[string, string]> {
    return [["step_size", "stepSize"], ["gamma", "gamma"], ...super.stateKeys()];
  }
}

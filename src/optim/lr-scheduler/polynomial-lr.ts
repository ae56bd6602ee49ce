/**
 * PolynomialLR: decay every group's learning rate polynomially to zero over `totalIters` epochs.
 *
 * @module
 */

import { type SchedulableOptimizer, LRScheduler } from "./lr-scheduler.js";
import { checkOptions, numberOption } from "./options.js";

/**
 * Options of {@link PolynomialLR} (PyTorch's keyword arguments in camelCase).
 *
 * @example
 * ```ts
 * const opts: PolynomialLROptions = { totalIters: 50, power: 0.9 };
 * ```
 */
export interface PolynomialLROptions {
  /** Number of epochs over which the learning rate decays to 0. Default 5. */
  totalIters?: number;
  /** Power of the polynomial. Default 1. */
  power?: number;
  /** Index of the last epoch when resuming. Default -1 (a fresh start). */
  lastEpoch?: number;
}

/**
 * Decay the learning rate of each parameter group with a polynomial that reaches 0 at epoch
 * `totalIters` (PyTorch's `torch.optim.lr_scheduler.PolynomialLR`).
 *
 * ```
 * chainable:   initial step or L > T: unchanged
 *              else lr ← lr · ((1 − L/T) / (1 − (L − 1)/T))^power
 * closed form: lr = base_lr · (1 − min(T, L)/T)^power
 * ```
 *
 * @example
 * ```ts
 * const sched = new PolynomialLR(opt, { totalIters: 50, power: 0.9 });
 * ```
 */
export class PolynomialLR extends LRScheduler {
  /** Number of epochs over which the learning rate decays to 0. */
  totalIters: number;
  /** Power of the polynomial. */
  power: number;

  constructor(optimizer: SchedulableOptimizer, options: PolynomialLROptions = {}) {
    const opts = checkOptions("PolynomialLR", options, ["totalIters", "power", "lastEpoch"]);
    super(optimizer);
    this.totalIters = numberOption("PolynomialLR", opts, "totalIters", 5);
    this.power = numberOption("PolynomialLR", opts, "power", 1.0);
    this.initialize(numberOption("PolynomialLR", opts, "lastEpoch", -1));
  }

  override getLr(): number[] {
    this.warnIfOutsideStep();
    if (this._isInitial || this.lastEpoch > this.totalIters) return this.groupValues("lr");
    const T = this.totalIters;
    const L = this.lastEpoch;
    const decay = ((1.0 - L / T) / (1.0 - (L - 1) / T)) ** this.power;
    return this.optimizer.paramGroups.map((group) => group.lr * decay);
  }

  protected override closedFormLr(): number[] {
    const T = this.totalIters;
    return this.baseLrs.map((base) => base * (1.0 - Math.min(T, this.lastEpoch) / T) ** this.power);
  }

  protected override stateKeys(): Array<[string, string]> {
    return [["total_iters", "totalIters"], ["power", "power"], ...super.stateKeys()];
  }
}

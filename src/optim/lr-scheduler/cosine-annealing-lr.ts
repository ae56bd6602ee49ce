/**
 * CosineAnnealingLR: anneal every group's learning rate along a cosine from its base to `etaMin`.
 *
 * @module
 */

import { type SchedulableOptimizer, LRScheduler } from "./lr-scheduler.js";
import { checkOptions, numberOption } from "./options.js";
import { pyMod } from "./python.js";

/**
 * Options of {@link CosineAnnealingLR} (PyTorch's keyword arguments in camelCase).
 *
 * @example
 * ```ts
 * const opts: CosineAnnealingLROptions = { tMax: 100, etaMin: 1e-5 };
 * ```
 */
export interface CosineAnnealingLROptions {
  /** Half-period of the cosine, in epochs (`T_max`). */
  tMax: number;
  /** Minimum learning rate. Default 0. */
  etaMin?: number;
  /** Index of the last epoch when resuming. Default -1 (a fresh start). */
  lastEpoch?: number;
}

/**
 * Set the learning rate of each parameter group with cosine annealing, computed recursively from
 * the current learning rate as PyTorch does (`torch.optim.lr_scheduler.CosineAnnealingLR`). There are
 * no restarts: past `tMax` the learning rate follows the cosine back up.
 *
 * ```
 * initial step:                 unchanged
 * first step after a resume:    η_min + (base − η_min)·(1 + cos(L·π/T))/2
 * (L − 1 − T) mod 2T = 0:       lr + (base − η_min)·(1 − cos(π/T))/2
 * otherwise:                    (1 + cos(π·L/T)) / (1 + cos(π·(L − 1)/T)) · (lr − η_min) + η_min
 * closed form:                  η_min + (base − η_min)·(1 + cos(π·L/T))/2
 * ```
 *
 * @example
 * ```ts
 * const sched = new CosineAnnealingLR(opt, { tMax: 100, etaMin: 1e-5 });
 * ```
 * References: Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts",
 * https://arxiv.org/abs/1608.03983
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half-period of the cosine, in epochs. */
  tMax: number;
  /** Minimum learning rate. */
  etaMin: number;

  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingLROptions) {
    const opts = checkOptions("CosineAnnealingLR", options, ["tMax", "etaMin", "lastEpoch"]);
    super(optimizer);
    this.tMax = numberOption("CosineAnnealingLR", opts, "tMax");
    this.etaMin = numberOption("CosineAnnealingLR", opts, "etaMin", 0.0);
    this.initialize(numberOption("CosineAnnealingLR", opts, "lastEpoch", -1));
  }

  override getLr(): number[] {
    this.warnIfOutsideStep();
    const L = this.lastEpoch;
    const T = this.tMax;
    const etaMin = this.etaMin;
    const groups = this.optimizer.paramGroups;
    if (this._isInitial) return this.groupValues("lr");
    // Each branch keeps Python's evaluation order so the doubles match.
    if (this._stepCount === 1 && L > 0) {
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((L * Math.PI) / T))) / 2);
    }
    if (pyMod(L - 1 - T, 2 * T) === 0) {
      return groups.map(
        (group, i) => group.lr + (((this.baseLrs[i] as number) - etaMin) * (1 - Math.cos(Math.PI / T))) / 2,
      );
    }
    const ratio = (1 + Math.cos((Math.PI * L) / T)) / (1 + Math.cos((Math.PI * (L - 1)) / T));
    return groups.map((group) => ratio * (group.lr - etaMin) + etaMin);
  }

  protected override closedFormLr(): number[] {
    const L = this.lastEpoch;
    return this.baseLrs.map(
      (base) => this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * L) / this.tMax))) / 2,
    );
  }

  protected override stateKeys(): Array<[string, string]> {
    return [["T_max", "tMax"], ["eta_min", "etaMin"], ...super.stateKeys()];
  }
}

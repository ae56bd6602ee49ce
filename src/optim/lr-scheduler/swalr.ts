/**
 * PyTorch's `torch.optim.swa_utils.SWALR`: anneal to a constant SWA learning rate. It is an LR
 * scheduler, so it lives here; `tg.optim.swaUtils.SWALR` re-exports it beside AveragedModel.
 * @module
 */

import { ValueError } from "../../util/errors.js";
import { LRScheduler, type SchedulableOptimizer } from "./lr-scheduler.js";
import { checkOptions } from "./options.js";

/** Options of {@link SWALR}, with PyTorch's defaults. */
export interface SWALROptions {
  /** The SWA learning rate, one for all groups or one per group. */
  swaLr: number | readonly number[];
  /** Epochs of annealing from the current lr to `swaLr` (default 10). */
  annealEpochs?: number;
  /** `"cos"` (default) or `"linear"` annealing. */
  annealStrategy?: "cos" | "linear";
  /** Index of the last epoch when resuming (default -1). */
  lastEpoch?: number;
}

/**
 * Anneal each group's learning rate to a fixed SWA learning rate over `annealEpochs` epochs and
 * hold it there (PyTorch's `SWALR`). Each step:
 *
 * ```
 * t = clamp(step / max(1, annealEpochs), 0, 1);  α = anneal(t)   (cos: (1 − cos πt)/2)
 * lr = swaLr·α + initial·(1 − α), where initial is recovered from the previous step's lr
 * ```
 *
 * @example
 * ```ts
 * const sched = new SWALR(opt, { swaLr: 0.05, annealEpochs: 5, annealStrategy: "linear" });
 * ```
 */
export class SWALR extends LRScheduler {
  /** Epochs of annealing. */
  annealEpochs: number;
  /** `"cos"` or `"linear"`. */
  annealStrategy: "cos" | "linear";

  constructor(optimizer: SchedulableOptimizer, options: SWALROptions) {
    const o = checkOptions("SWALR", options, [
      "swaLr",
      "annealEpochs",
      "annealStrategy",
      "lastEpoch",
    ]) as unknown as SWALROptions;
    super(optimizer);
    const groups = optimizer.paramGroups;
    let swaLrs: readonly number[];
    if (Array.isArray(o.swaLr)) {
      if (o.swaLr.length !== groups.length) {
        throw new ValueError(
          `swa_lr must have the same length as optimizer.param_groups: swa_lr has ${o.swaLr.length}, optimizer.param_groups has ${groups.length}`,
        );
      }
      swaLrs = o.swaLr;
    } else {
      if (typeof o.swaLr !== "number") throw new TypeError("SWALR missing required option swaLr");
      swaLrs = groups.map(() => o.swaLr as number);
    }
    groups.forEach((g, i) => (g.swaLr = swaLrs[i]));
    const strategy = o.annealStrategy ?? "cos";
    if (strategy !== "cos" && strategy !== "linear") {
      throw new ValueError(
        `anneal_strategy must by one of 'cos' or 'linear', instead got ${String(strategy)}`,
      );
    }
    this.annealStrategy = strategy;
    const epochs = o.annealEpochs ?? 10;
    if (!Number.isInteger(epochs) || epochs < 0) {
      throw new ValueError(`anneal_epochs must be equal or greater than 0, got ${epochs}`);
    }
    this.annealEpochs = epochs;
    this.initialize(o.lastEpoch ?? -1);
  }

  private anneal(t: number): number {
    return this.annealStrategy === "cos" ? (1 - Math.cos(Math.PI * t)) / 2 : t;
  }

  override getLr(): number[] {
    this.warnIfOutsideStep();
    let step = this._stepCount - 1;
    if (this.annealEpochs === 0) step = Math.max(1, step);
    const prevT = Math.max(0, Math.min(1, (step - 1) / Math.max(1, this.annealEpochs)));
    const prevAlpha = this.anneal(prevT);
    const groups = this.optimizer.paramGroups;
    const prevLrs = groups.map((g) => {
      const swa = g.swaLr as number;
      return prevAlpha === 1 ? swa : (g.lr - prevAlpha * swa) / (1 - prevAlpha);
    });
    const t = Math.max(0, Math.min(1, step / Math.max(1, this.annealEpochs)));
    const alpha = this.anneal(t);
    return groups.map((g, i) => (g.swaLr as number) * alpha + (prevLrs[i] as number) * (1 - alpha));
  }

  protected override stateKeys(): Array<[string, string]> {
    return [["anneal_epochs", "annealEpochs"], ...super.stateKeys()];
  }
}

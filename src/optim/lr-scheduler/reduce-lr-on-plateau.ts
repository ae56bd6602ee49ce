/**
 * ReduceLROnPlateau: cut every group's learning rate when a monitored metric stops improving.
 *
 * @module
 */

import { RuntimeError, ValueError } from "../../util/errors.js";
import {
  type SchedulableOptimizer,
  type SchedulerStateDict,
  LRScheduler,
  assertOptimizer,
} from "./lr-scheduler.js";
import { checkOptions, numberOption, stringOption } from "./options.js";
import { typeName } from "./python.js";
import { EPOCH_DEPRECATION_WARNING, warn } from "./warn.js";

/**
 * Options of {@link ReduceLROnPlateau} (PyTorch's keyword arguments in camelCase).
 *
 * @example
 * ```ts
 * const opts: ReduceLROnPlateauOptions = { mode: "max", patience: 3, minLr: [1e-5, 1e-4] };
 * ```
 */
export interface ReduceLROnPlateauOptions {
  /** `"min"`: reduce when the metric stops decreasing; `"max"`: when it stops increasing. Default "min". */
  mode?: "min" | "max";
  /** Factor by which the learning rate is reduced, < 1. Default 0.1. */
  factor?: number;
  /** Number of bad epochs tolerated before reducing. Default 10. */
  patience?: number;
  /** Threshold for a significant improvement. Default 1e-4. */
  threshold?: number;
  /** `"rel"`: improvement relative to the best; `"abs"`: absolute. Default "rel". */
  thresholdMode?: "rel" | "abs";
  /** Epochs to wait after a reduction before counting bad epochs again. Default 0. */
  cooldown?: number;
  /** Lower bound on the learning rate, one for all groups or one per group. Default 0. */
  minLr?: number | readonly number[];
  /** Reductions smaller than this are skipped. Default 1e-8. */
  eps?: number;
}

/**
 * A metric: a number, or anything with `item()` such as a one-element tensor.
 *
 * @example
 * ```ts
 * sched.step(0.42); // or a one-element tensor: sched.step(loss)
 * ```
 */
export type Metric = number | { item(): number };

/**
 * Reduce the learning rate when a metric has stopped improving
 * (PyTorch's `torch.optim.lr_scheduler.ReduceLROnPlateau`).
 *
 * ```
 * step(metric):
 *   better = metric < best·(1 − threshold)   (min, rel)     metric < best − threshold   (min, abs)
 *            metric > best·(1 + threshold)   (max, rel)     metric > best + threshold   (max, abs)
 *   if better: best ← metric, bad ← 0 else bad ← bad + 1
 *   if cooling down: cooldownCounter ← cooldownCounter − 1, bad ← 0
 *   if bad > patience: for each group new = max(lr·factor, minLr[i]); set it if lr − new > eps;
 *                      cooldownCounter ← cooldown, bad ← 0
 * ```
 * The constructor leaves the learning rates untouched.
 *
 * @example
 * ```ts
 * const sched = new ReduceLROnPlateau(opt, { mode: "min", patience: 5 });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   train();
 *   sched.step(validationLoss());
 * }
 * ```
 */
export class ReduceLROnPlateau extends LRScheduler {
  /** Factor by which the learning rate is reduced. */
  factor: number;
  /** The scalar `minLr` when one was given (re-expanded if groups are added), else null. */
  defaultMinLr: number | null;
  /** Lower bound on each group's learning rate. */
  minLrs: number[];
  /** Number of bad epochs tolerated before reducing. */
  patience: number;
  /** Epochs to wait after a reduction. */
  cooldown: number;
  /** Reductions smaller than this are skipped. */
  eps: number;
  /** The worst possible metric for the mode (+∞ for min, −∞ for max). */
  modeWorse = Infinity;
  /** `"min"` or `"max"`. */
  mode = "min";
  /** Threshold for a significant improvement. */
  threshold = 1e-4;
  /** `"rel"` or `"abs"`. */
  thresholdMode = "rel";
  /** Best metric seen so far. */
  best = Infinity;
  /** Epochs left in the current cooldown. */
  cooldownCounter = 0;
  /** Consecutive epochs without improvement. */
  numBadEpochs = 0;

  /**
   * @throws ValueError `"Factor should be < 1.0."`, `"expected {n} min_lrs, got {m}"`,
   *   `"mode {mode} is unknown!"`, `"threshold mode {mode} is unknown!"`.
   */
  constructor(optimizer: SchedulableOptimizer, options: ReduceLROnPlateauOptions = {}) {
    const opts = checkOptions("ReduceLROnPlateau", options, [
      "mode",
      "factor",
      "patience",
      "threshold",
      "thresholdMode",
      "cooldown",
      "minLr",
      "eps",
    ]);
    const factor = numberOption("ReduceLROnPlateau", opts, "factor", 0.1);
    if (factor >= 1.0) throw new ValueError("Factor should be < 1.0.");
    assertOptimizer(optimizer);
    super(optimizer);
    this.factor = factor;
    const minLr = opts.minLr ?? 0;
    const groups = optimizer.paramGroups.length;
    if (Array.isArray(minLr)) {
      if (minLr.length !== groups) throw new ValueError(`expected ${groups} min_lrs, got ${minLr.length}`);
      if (!minLr.every((v) => typeof v === "number")) {
        throw new TypeError("ReduceLROnPlateau option minLr must be a number or an array of numbers");
      }
      this.defaultMinLr = null;
      this.minLrs = [...(minLr as number[])];
    } else if (typeof minLr === "number") {
      this.defaultMinLr = minLr;
      this.minLrs = new Array<number>(groups).fill(minLr);
    } else {
      throw new TypeError(
        `ReduceLROnPlateau option minLr must be a number or an array of numbers, got ${typeName(minLr)}`,
      );
    }
    this.patience = numberOption("ReduceLROnPlateau", opts, "patience", 10);
    this.cooldown = numberOption("ReduceLROnPlateau", opts, "cooldown", 0);
    this.eps = numberOption("ReduceLROnPlateau", opts, "eps", 1e-8);
    this.lastEpoch = 0;
    this._lastLr = this.groupValues("lr");
    this.initIsBetter(
      stringOption("ReduceLROnPlateau", opts, "mode", "min"),
      numberOption("ReduceLROnPlateau", opts, "threshold", 1e-4),
      stringOption("ReduceLROnPlateau", opts, "thresholdMode", "rel"),
    );
    this.reset();
  }

  private reset(): void {
    this.best = this.modeWorse;
    this.cooldownCounter = 0;
    this.numBadEpochs = 0;
  }

  private initIsBetter(mode: string, threshold: number, thresholdMode: string): void {
    if (mode !== "min" && mode !== "max") throw new ValueError("mode " + mode + " is unknown!");
    if (thresholdMode !== "rel" && thresholdMode !== "abs") {
      throw new ValueError("threshold mode " + thresholdMode + " is unknown!");
    }
    this.modeWorse = mode === "min" ? Infinity : -Infinity;
    this.mode = mode;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
  }

  /** Whether `a` is a significant improvement over `best` under the mode and threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === "min" && this.thresholdMode === "rel") return a < best * (1.0 - this.threshold);
    if (this.mode === "min" && this.thresholdMode === "abs") return a < best - this.threshold;
    if (this.mode === "max" && this.thresholdMode === "rel") return a > best * (this.threshold + 1.0);
    return a > best + this.threshold;
  }

  /** Whether a cooldown after a reduction is running. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /**
   * Record one epoch's metric and reduce the learning rates if it has plateaued.
   *
   * @param metrics The monitored quantity (a number or a one-element tensor).
   * @param epoch Deprecated, as in PyTorch: sets `lastEpoch`. Warns once.
   */
  override step(metrics: Metric | null | undefined, epoch?: number | null): void {
    let current: number;
    if (typeof metrics === "number") current = metrics;
    else if (metrics !== null && typeof metrics === "object" && typeof metrics.item === "function") {
      current = Number(metrics.item());
    } else {
      throw new TypeError(`float() argument must be a string or a real number, not '${typeName(metrics)}'`);
    }
    if (epoch === undefined || epoch === null) epoch = this.lastEpoch + 1;
    else if (typeof epoch !== "number") throw new TypeError(`epoch must be a number, got ${typeName(epoch)}`);
    else warn(this, EPOCH_DEPRECATION_WARNING);
    this.lastEpoch = epoch;

    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs during a cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this._lastLr = this.groupValues("lr");
  }

  private reduceLr(): void {
    const groups = this.optimizer.paramGroups;
    if (groups.length !== this.minLrs.length) {
      if (this.defaultMinLr === null) {
        throw new RuntimeError(
          `The number of param groups in the \`optimizer\` (${groups.length}) differs from when ` +
            `\`ReduceLROnPlateau\` was initialized (${this.minLrs.length}), usually due to a new param group ` +
            "being added to the optimizer. Please modify the `min_lrs` field to match the length of the " +
            "`optimizer` param groups.",
        );
      }
      this.minLrs = new Array<number>(groups.length).fill(this.defaultMinLr);
    }
    groups.forEach((group, i) => {
      const oldLr = group.lr;
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i] as number);
      if (oldLr - newLr > this.eps) group.lr = newLr;
    });
  }

  protected override stateKeys(): Array<[string, string]> {
    return [
      ["factor", "factor"],
      ["default_min_lr", "defaultMinLr"],
      ["min_lrs", "minLrs"],
      ["patience", "patience"],
      ["cooldown", "cooldown"],
      ["eps", "eps"],
      ["last_epoch", "lastEpoch"],
      ["_last_lr", "_lastLr"],
      ["mode_worse", "modeWorse"],
      ["mode", "mode"],
      ["threshold", "threshold"],
      ["threshold_mode", "thresholdMode"],
      ["best", "best"],
      ["cooldown_counter", "cooldownCounter"],
      ["num_bad_epochs", "numBadEpochs"],
    ];
  }

  protected override isNullable(key: string): boolean {
    return key === "default_min_lr";
  }

  /** As the base, then re-derive and re-check the comparison mode, as PyTorch does. */
  override loadStateDict(stateDict: SchedulerStateDict): void {
    super.loadStateDict(stateDict);
    this.initIsBetter(this.mode, this.threshold, this.thresholdMode);
  }
}

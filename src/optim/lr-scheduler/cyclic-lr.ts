/**
 * CyclicLR: cycle every group's learning rate (and momentum) between two bounds.
 *
 * @module
 */

import { ValueError } from "../../util/errors.js";
import { type SchedulableOptimizer, type SchedulerStateDict, LRScheduler } from "./lr-scheduler.js";
import { formatParam, momentumKey, setMomentum } from "./momentum.js";
import { booleanOption, checkOptions, numberOption, numberOrListOption, stringOption } from "./options.js";
import { typeName } from "./python.js";

/**
 * A custom amplitude scaling: cycle number or iteration → factor in [0, 1].
 *
 * @example
 * ```ts
 * const halving: ScaleFn = (cycle) => 1 / 2 ** (cycle - 1);
 * ```
 */
export type ScaleFn = (x: number) => number;

/**
 * Options of {@link CyclicLR} (PyTorch's keyword arguments in camelCase).
 *
 * @example
 * ```ts
 * const opts: CyclicLROptions = { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2000, mode: "triangular2" };
 * ```
 */
export interface CyclicLROptions {
  /** Lower learning-rate bound, one for all groups or one per group. */
  baseLr: number | readonly number[];
  /** Upper learning-rate bound, one for all groups or one per group. */
  maxLr: number | readonly number[];
  /** Iterations in the increasing half of a cycle. Default 2000. */
  stepSizeUp?: number;
  /** Iterations in the decreasing half; defaults to `stepSizeUp`. */
  stepSizeDown?: number | null;
  /** `"triangular"`, `"triangular2"` or `"exp_range"`; ignored when `scaleFn` is given. Default "triangular". */
  mode?: "triangular" | "triangular2" | "exp_range";
  /** Base of the `"exp_range"` scaling `gamma^iteration`. Default 1. */
  gamma?: number;
  /** Custom amplitude scaling; replaces `mode`. */
  scaleFn?: ScaleFn | null;
  /** Whether `scaleFn` receives the cycle number (`"cycle"`) or the iteration (`"iterations"`). Default "cycle". */
  scaleMode?: "cycle" | "iterations";
  /** Cycle momentum inversely to the learning rate. Default true. */
  cycleMomentum?: boolean;
  /** Lower momentum bound (reached at the learning-rate peak). Default 0.8. */
  baseMomentum?: number | readonly number[];
  /** Upper momentum bound (at the cycle start). Default 0.9. */
  maxMomentum?: number | readonly number[];
  /** Index of the last batch when resuming. Default -1 (a fresh start). */
  lastEpoch?: number;
}

const MODES = ["triangular", "triangular2", "exp_range"];

/**
 * Cyclical learning rates: each group's learning rate moves between `baseLr` and `maxLr` in
 * triangles of `stepSizeUp + stepSizeDown` iterations, the amplitude scaled per cycle or per
 * iteration; momentum (or Adam's β1) moves the opposite way between `maxMomentum` and
 * `baseMomentum` (PyTorch's `torch.optim.lr_scheduler.CyclicLR`). Step it after every batch.
 *
 * ```
 * cycle = ⌊1 + L/total⌋,  x = 1 + L/total − cycle
 * s     = x/ratio if x ≤ ratio else (x − 1)/(ratio − 1)          ratio = up/total
 * f     = scaleFn(cycle) (scale mode "cycle") or scaleFn(L) ("iterations")
 *         triangular: 1; triangular2: 1/2^(cycle − 1); exp_range: γ^L
 * lr    = base_lr + (max_lr − base_lr)·s·f
 * m     = max_m − (max_m − base_m)·s·f                          (written into the group)
 * ```
 * Unlike PyTorch, an unknown `scaleMode` is an error rather than meaning "iterations".
 *
 * @example
 * ```ts
 * const sched = new CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 10 });
 * for (const batch of batches) {
 *   trainBatch(batch);
 *   sched.step();
 * }
 * ```
 * References: Smith, "Cyclical Learning Rates for Training Neural Networks",
 * https://arxiv.org/abs/1506.01186
 */
export class CyclicLR extends LRScheduler {
  /** Upper learning-rate bound per group. */
  maxLrs: number[];
  /** Iterations in one cycle. */
  totalSize: number;
  /** Fraction of the cycle spent increasing. */
  stepRatio: number;
  /** The built-in policy name. */
  mode: string;
  /** Base of the `"exp_range"` scaling. */
  gamma: number;
  /** `"cycle"` or `"iterations"`. */
  scaleMode: string;
  /** Whether momentum is cycled. */
  cycleMomentum: boolean;
  /** Whether the cycled momentum is `betas[0]` rather than `momentum`. */
  useBeta1 = false;
  /** Lower momentum bound per group. */
  baseMomentums: number[] = [];
  /** Upper momentum bound per group. */
  maxMomentums: number[] = [];
  private scaleFnCustom: ScaleFn | null;

  /**
   * @throws ValueError `"mode is invalid and scale_fn is None"`, per-group list length mismatches, and
   *   `"optimizer must support momentum or beta1 with \`cycle_momentum\` option enabled"`.
   */
  constructor(optimizer: SchedulableOptimizer, options: CyclicLROptions) {
    const opts = checkOptions("CyclicLR", options, [
      "baseLr",
      "maxLr",
      "stepSizeUp",
      "stepSizeDown",
      "mode",
      "gamma",
      "scaleFn",
      "scaleMode",
      "cycleMomentum",
      "baseMomentum",
      "maxMomentum",
      "lastEpoch",
    ]);
    super(optimizer);
    const lastEpoch = numberOption("CyclicLR", opts, "lastEpoch", -1);
    const baseLrs = formatParam("base_lr", optimizer, numberOrListOption("CyclicLR", opts, "baseLr"));
    if (lastEpoch === -1) optimizer.paramGroups.forEach((group, i) => (group.lr = baseLrs[i] as number));
    this.maxLrs = formatParam("max_lr", optimizer, numberOrListOption("CyclicLR", opts, "maxLr"));

    const up = numberOption("CyclicLR", opts, "stepSizeUp", 2000);
    const down =
      opts.stepSizeDown === undefined || opts.stepSizeDown === null
        ? up
        : numberOption("CyclicLR", opts, "stepSizeDown");
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;

    const mode = stringOption("CyclicLR", opts, "mode", "triangular");
    const scaleFn = opts.scaleFn ?? null;
    if (scaleFn !== null && typeof scaleFn !== "function") {
      throw new TypeError(`CyclicLR option scaleFn must be a function, got ${typeName(scaleFn)}`);
    }
    if (!MODES.includes(mode) && scaleFn === null)
      throw new ValueError("mode is invalid and scale_fn is None");
    this.mode = mode;
    this.gamma = numberOption("CyclicLR", opts, "gamma", 1.0);
    this.scaleFnCustom = scaleFn as ScaleFn | null;
    this.scaleMode = stringOption("CyclicLR", opts, "scaleMode", "cycle");
    if (this.scaleMode !== "cycle" && this.scaleMode !== "iterations") {
      throw new ValueError(
        `scale_mode must be one of 'cycle' or 'iterations', instead got ${this.scaleMode}`,
      );
    }
    this.initScaleFn();

    this.cycleMomentum = booleanOption("CyclicLR", opts, "cycleMomentum", true);
    if (this.cycleMomentum) {
      this.useBeta1 = momentumKey(optimizer);
      this.baseMomentums = formatParam(
        "base_momentum",
        optimizer,
        numberOrListOption("CyclicLR", opts, "baseMomentum", 0.8),
      );
      this.maxMomentums = formatParam(
        "max_momentum",
        optimizer,
        numberOrListOption("CyclicLR", opts, "maxMomentum", 0.9),
      );
      if (lastEpoch === -1) {
        optimizer.paramGroups.forEach((group, i) => {
          setMomentum(group, this.maxMomentums[i] as number, this.useBeta1);
          group.maxMomentum = this.maxMomentums[i];
          group.baseMomentum = this.baseMomentums[i];
        });
      }
    }
    this.initialize(lastEpoch);
    this.baseLrs = baseLrs;
  }

  // Built-in modes fix the scale mode, as PyTorch's _init_scale_fn does (also after loading state).
  private initScaleFn(): void {
    if (this.scaleFnCustom !== null) return;
    if (this.mode === "triangular" || this.mode === "triangular2") this.scaleMode = "cycle";
    else if (this.mode === "exp_range") this.scaleMode = "iterations";
  }

  /** The amplitude scaling at `x` (a cycle number or an iteration, per `scaleMode`). */
  scaleFn(x: number): number {
    if (this.scaleFnCustom !== null) return this.scaleFnCustom(x);
    if (this.mode === "triangular") return 1.0;
    if (this.mode === "triangular2") return 1 / 2.0 ** (x - 1);
    return this.gamma ** x;
  }

  /** The learning rates at `lastEpoch`; also writes the cycled momentum into the groups. */
  override getLr(): number[] {
    this.warnIfOutsideStep();
    const L = this.lastEpoch;
    const cycle = Math.floor(1 + L / this.totalSize);
    const x = 1.0 + L / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scaleAt = this.scaleMode === "cycle" ? cycle : L;

    const lrs = this.baseLrs.map((base, i) => {
      const baseHeight = ((this.maxLrs[i] as number) - base) * scaleFactor;
      return base + baseHeight * this.scaleFn(scaleAt);
    });
    if (this.cycleMomentum) {
      const momentums = this.baseMomentums.map((baseM, i) => {
        const maxM = this.maxMomentums[i] as number;
        const baseHeight = (maxM - baseM) * scaleFactor;
        return maxM - baseHeight * this.scaleFn(scaleAt);
      });
      this.optimizer.paramGroups.forEach((group, i) =>
        setMomentum(group, momentums[i] as number, this.useBeta1),
      );
    }
    return lrs;
  }

  protected override stateKeys(): Array<[string, string]> {
    return [
      ["max_lrs", "maxLrs"],
      ["total_size", "totalSize"],
      ["step_ratio", "stepRatio"],
      ["mode", "mode"],
      ["gamma", "gamma"],
      ["scale_mode", "scaleMode"],
      ["cycle_momentum", "cycleMomentum"],
      ...(this.cycleMomentum
        ? ([
            ["use_beta1", "useBeta1"],
            ["base_momentums", "baseMomentums"],
            ["max_momentums", "maxMomentums"],
          ] as Array<[string, string]>)
        : []),
      ...super.stateKeys(),
    ];
  }

  /** As the base, plus `_scale_fn_custom`: null, or a custom function's own properties. */
  override stateDict(): SchedulerStateDict {
    const fn = this.scaleFnCustom;
    const custom =
      fn === null || Object.keys(fn).length === 0 ? null : { ...(fn as unknown as Record<string, unknown>) };
    return { ...super.stateDict(), _scale_fn_custom: custom };
  }

  override loadStateDict(stateDict: SchedulerStateDict): void {
    const {
      _scale_fn_custom: custom,
      use_beta1: useBeta1,
      base_momentums: baseMomentums,
      max_momentums: maxMomentums,
      ...rest
    } = stateDict;
    super.loadStateDict(rest);
    // PyTorch updates __dict__ wholesale, so momentum entries load even when this instance was built
    // without momentum cycling (the loaded cycle_momentum then says whether they are used).
    if (typeof useBeta1 === "boolean") this.useBeta1 = useBeta1;
    if (Array.isArray(baseMomentums)) this.baseMomentums = [...(baseMomentums as number[])];
    if (Array.isArray(maxMomentums)) this.maxMomentums = [...(maxMomentums as number[])];
    if (custom !== null && custom !== undefined && this.scaleFnCustom !== null)
      Object.assign(this.scaleFnCustom, custom);
    this.initScaleFn();
  }
}

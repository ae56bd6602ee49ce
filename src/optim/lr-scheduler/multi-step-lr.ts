/**
 * MultiStepLR: decay every group's learning rate by `gamma` at each milestone epoch.
 *
 * @module
 */

import { type SchedulableOptimizer, type SchedulerStateDict, LRScheduler } from "./lr-scheduler.js";
import { checkOptions, numberOption } from "./options.js";
import { bisectRight, typeName } from "./python.js";

/**
 * Options of {@link MultiStepLR} (PyTorch's keyword arguments in camelCase).
 *
 * @example
 * ```ts
 * const opts: MultiStepLROptions = { milestones: [30, 80], gamma: 0.1 };
 * ```
 */
export interface MultiStepLROptions {
  /** Epoch indices at which to decay; a milestone listed n times decays by γⁿ. */
  milestones: readonly number[];
  /** Multiplicative factor of the decay. Default 0.1. */
  gamma?: number;
  /** Index of the last epoch when resuming. Default -1 (a fresh start). */
  lastEpoch?: number;
}

/**
 * Decay the learning rate of each parameter group by `gamma` once the epoch reaches each milestone
 * (PyTorch's `torch.optim.lr_scheduler.MultiStepLR`). Milestones are kept as a multiset, like
 * PyTorch's `Counter`.
 *
 * ```
 * chainable:   lr ← lr·γ^count(L)   when L is a milestone, else unchanged
 * closed form: lr = base_lr · γ^(number of milestones ≤ L)
 * ```
 *
 * @example
 * ```ts
 * // lr = 0.05 for epochs 0–29, 0.005 for 30–79, 0.0005 from 80 on
 * const sched = new MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 * ```
 */
export class MultiStepLR extends LRScheduler {
  /** Milestone epoch → how many times it was listed. */
  milestones: Map<number, number>;
  /** Multiplicative factor of the decay. */
  gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: MultiStepLROptions) {
    const opts = checkOptions("MultiStepLR", options, ["milestones", "gamma", "lastEpoch"]);
    super(optimizer);
    const milestones = opts.milestones;
    if (!Array.isArray(milestones) || !milestones.every((m) => typeof m === "number")) {
      throw new TypeError(
        `MultiStepLR option milestones must be an array of numbers, got ${typeName(milestones)}`,
      );
    }
    this.milestones = countMilestones(milestones as number[]);
    this.gamma = numberOption("MultiStepLR", opts, "gamma", 0.1);
    this.initialize(numberOption("MultiStepLR", opts, "lastEpoch", -1));
  }

  override getLr(): number[] {
    this.warnIfOutsideStep();
    const count = this.milestones.get(this.lastEpoch);
    if (count === undefined) return this.groupValues("lr");
    return this.optimizer.paramGroups.map((group) => group.lr * this.gamma ** count);
  }

  protected override closedFormLr(): number[] {
    const sorted: number[] = [];
    for (const [m, count] of this.milestones) for (let i = 0; i < count; i++) sorted.push(m);
    sorted.sort((a, b) => a - b);
    const passed = bisectRight(sorted, this.lastEpoch);
    return this.baseLrs.map((base) => base * this.gamma ** passed);
  }

  protected override stateKeys(): Array<[string, string]> {
    return [["milestones", "milestones"], ["gamma", "gamma"], ...super.stateKeys()];
  }

  /** As the base, with `milestones` as PyTorch's Counter would serialise: `{ "30": 1, "80": 1 }`. */
  override stateDict(): SchedulerStateDict {
    const out = super.stateDict();
    out.milestones = Object.fromEntries([...this.milestones].map(([m, c]) => [String(m), c]));
    return out;
  }

  /** As the base; `milestones` may be a `{ epoch: count }` object (PyTorch's Counter) or a Map. */
  override loadStateDict(stateDict: SchedulerStateDict): void {
    const { milestones, ...rest } = stateDict;
    super.loadStateDict(rest);
    if (milestones === undefined) return;
    if (milestones instanceof Map) {
      this.milestones = new Map(milestones as Map<number, number>);
    } else if (milestones !== null && typeof milestones === "object" && !Array.isArray(milestones)) {
      this.milestones = new Map(Object.entries(milestones).map(([m, c]) => [Number(m), Number(c)]));
    } else {
      throw new TypeError(
        `state dict entry milestones of MultiStepLR should be an object, got ${typeName(milestones)}`,
      );
    }
  }
}

function countMilestones(milestones: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const m of milestones) counts.set(m, (counts.get(m) ?? 0) + 1);
  return counts;
}

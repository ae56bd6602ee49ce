/**
 * SequentialLR: hand the learning rate from one scheduler to the next at milestone epochs.
 *
 * @module
 */

import { KeyError, ValueError } from "../../util/errors.js";
import { checkChildren } from "./composite.js";
import { type SchedulableOptimizer, type SchedulerStateDict, LRScheduler } from "./lr-scheduler.js";
import { checkOptions, numberOption } from "./options.js";
import { bisectRight, typeName } from "./python.js";

/**
 * Options of {@link SequentialLR} (PyTorch's keyword arguments in camelCase).
 *
 * @example
 * ```ts
 * const opts: SequentialLROptions = { schedulers: [warmup, decay], milestones: [5] };
 * ```
 */
export interface SequentialLROptions {
  /** The schedulers to run one after the other, all on the same optimizer. */
  schedulers: readonly LRScheduler[];
  /** The epochs at which the next scheduler takes over; one fewer than `schedulers`. */
  milestones: readonly number[];
  /** Index of the last epoch when resuming. Default -1 (a fresh start). */
  lastEpoch?: number;
}

/**
 * Run schedulers one after another, switching at the milestone epochs
 * (PyTorch's `torch.optim.lr_scheduler.SequentialLR`).
 *
 * Construction resets every group's `lr` to its `initialLr`, undoes the initial step the children
 * took when they were built, and re-runs the initial step of the scheduler active at epoch 0. At a
 * milestone the next scheduler restarts at its epoch 0 (closed form where it has one); between
 * milestones the active scheduler's `step()` runs.
 *
 * @example
 * ```ts
 * // lr = 0.005 for epochs 0–19 (factor 0.1), then 0.05·0.9^(epoch − 20)
 * const warmup = new ConstantLR(opt, { factor: 0.1, totalIters: 20 });
 * const decay = new ExponentialLR(opt, { gamma: 0.9 });
 * const sched = new SequentialLR(opt, { schedulers: [warmup, decay], milestones: [20] });
 * ```
 */
export class SequentialLR extends LRScheduler {
  private readonly schedulers: LRScheduler[];
  /** The epochs at which the next scheduler takes over. */
  milestones: number[];

  /**
   * @throws ValueError for no schedulers, a ReduceLROnPlateau child, children of another optimizer,
   *   or a milestone count that is not one less than the scheduler count; TypeError for a child
   *   without `optimizer`; KeyError for a group without `initialLr`.
   */
  constructor(optimizer: SchedulableOptimizer, options: SequentialLROptions) {
    const opts = checkOptions("SequentialLR", options, ["schedulers", "milestones", "lastEpoch"]);
    const schedulers = opts.schedulers;
    const milestones = opts.milestones;
    if (!Array.isArray(schedulers)) {
      throw new TypeError(`SequentialLR option schedulers must be an array, got ${typeName(schedulers)}`);
    }
    if (!Array.isArray(milestones) || !milestones.every((m) => typeof m === "number")) {
      throw new TypeError(
        `SequentialLR option milestones must be an array of numbers, got ${typeName(milestones)}`,
      );
    }
    if (schedulers.length < 1) {
      throw new ValueError("SequentialLR expects at least one scheduler, but got no scheduler.");
    }
    super(optimizer);
    checkChildren("SequentialLR", schedulers, optimizer);
    if (milestones.length !== schedulers.length - 1) {
      throw new ValueError(
        "Sequential Schedulers expects number of schedulers provided to be one more than the number of " +
          `milestone points, but got number of schedulers ${schedulers.length} and the number of milestones ` +
          `to be equal to ${milestones.length}`,
      );
    }
    this.schedulers = [...(schedulers as LRScheduler[])];
    this.milestones = [...(milestones as number[])];
    this.lastEpoch = numberOption("SequentialLR", opts, "lastEpoch", -1) + 1;

    for (const group of optimizer.paramGroups) group.lr = this.groupInitialLr(group);
    this.recursiveUndo(this);
    const active = this.schedulers[bisectRight(this.milestones, 0)] as LRScheduler;
    active.initialStep();
    this._lastLr = active.getLastLr();
  }

  private groupInitialLr(group: { [key: string]: unknown }): number {
    if (!("initialLr" in group)) throw new KeyError("'initialLr'");
    return group.initialLr as number;
  }

  // Children built before this scheduler each took an initial step; step their epochs back so the
  // schedule starts at epoch 0 for all of them (nested composites are walked, not decremented).
  private recursiveUndo(scheduler: LRScheduler): void {
    const children = scheduler.childSchedulers;
    if (children !== undefined) for (const child of children) this.recursiveUndo(child);
    else scheduler.lastEpoch -= 1;
  }

  override get childSchedulers(): readonly LRScheduler[] {
    return this.schedulers;
  }

  /** Advance one epoch: restart the next scheduler at a milestone, else step the active one. */
  override step(...args: never[]): void {
    if (args.length > 0) throw new TypeError("SequentialLR.step() takes no arguments");
    this.lastEpoch += 1;
    const idx = bisectRight(this.milestones, this.lastEpoch);
    const scheduler = this.schedulers[idx] as LRScheduler;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.updateLr(0);
    else scheduler.step();
    this._lastLr = scheduler.getLastLr();
  }

  protected override stateKeys(): Array<[string, string]> {
    return [
      ["_milestones", "milestones"],
      ["last_epoch", "lastEpoch"],
      ["_last_lr", "_lastLr"],
    ];
  }

  /** As the base, plus `_schedulers`: each child's own state dict. */
  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), _schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  override loadStateDict(stateDict: SchedulerStateDict): void {
    const { _schedulers: children, ...rest } = stateDict;
    super.loadStateDict(rest);
    if (children === undefined) return;
    if (!Array.isArray(children)) {
      throw new TypeError(
        `state dict entry _schedulers of SequentialLR should be an array, got ${typeName(children)}`,
      );
    }
    children.forEach((child, i) => {
      const scheduler = this.schedulers[i];
      if (scheduler === undefined) {
        throw new ValueError(
          `state dict has ${children.length} schedulers, SequentialLR has ${this.schedulers.length}`,
        );
      }
      scheduler.loadStateDict(child as SchedulerStateDict);
    });
  }
}

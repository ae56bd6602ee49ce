/**
 * ChainedScheduler: step several schedulers together, each applying its change in turn.
 *
 * @module
 */

import { ValueError } from "../../util/errors.js";
import { checkChildren } from "./composite.js";
import { type SchedulableOptimizer, type SchedulerStateDict, LRScheduler } from "./lr-scheduler.js";
import { typeName } from "./python.js";

/**
 * Chain schedulers: one `step()` steps each of them in order, so chainable schedulers multiply
 * their effects (PyTorch's `torch.optim.lr_scheduler.ChainedScheduler`).
 *
 * `lastEpoch` and `baseLrs` are not PyTorch attributes of a chain: here `lastEpoch` mirrors the
 * last child's and `baseLrs` is empty.
 *
 * @example
 * ```ts
 * const warmup = new ConstantLR(opt, { factor: 0.1, totalIters: 2 });
 * const decay = new ExponentialLR(opt, { gamma: 0.9 });
 * const sched = new ChainedScheduler([warmup, decay], opt);
 * ```
 */
export class ChainedScheduler extends LRScheduler {
  private readonly schedulers: LRScheduler[];

  /**
   * @param schedulers The chained schedulers, all on the same optimizer.
   * @param optimizer Defaults to the first scheduler's optimizer.
   * @throws ValueError for no schedulers, a ReduceLROnPlateau child or children of another optimizer;
   *   TypeError for a child without `optimizer`.
   */
  constructor(schedulers: readonly LRScheduler[], optimizer?: SchedulableOptimizer) {
    if (!Array.isArray(schedulers)) {
      throw new TypeError(`ChainedScheduler expects an array of schedulers, got ${typeName(schedulers)}`);
    }
    if (schedulers.length < 1) {
      throw new ValueError(
        "ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.",
      );
    }
    const opt = optimizer ?? (schedulers[0] as { optimizer?: SchedulableOptimizer }).optimizer;
    checkChildren("ChainedScheduler", schedulers, opt as SchedulableOptimizer);
    super(opt as SchedulableOptimizer);
    this.schedulers = [...schedulers];
    this.lastEpoch = (this.schedulers[this.schedulers.length - 1] as LRScheduler).lastEpoch;
    this._lastLr = this.lastChildLrs();
  }

  private lastChildLrs(): number[] {
    return (this.schedulers[this.schedulers.length - 1] as LRScheduler).optimizer.paramGroups.map(
      (g) => g.lr,
    );
  }

  override get childSchedulers(): readonly LRScheduler[] {
    return this.schedulers;
  }

  /** Step every chained scheduler, in order. */
  override step(...args: never[]): void {
    if (args.length > 0) throw new TypeError("ChainedScheduler.step() takes no arguments");
    for (const scheduler of this.schedulers) scheduler.step();
    this.lastEpoch = (this.schedulers[this.schedulers.length - 1] as LRScheduler).lastEpoch;
    this._lastLr = this.lastChildLrs();
  }

  protected override stateKeys(): Array<[string, string]> {
    return [["_last_lr", "_lastLr"]];
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
        `state dict entry _schedulers of ChainedScheduler should be an array, got ${typeName(children)}`,
      );
    }
    children.forEach((child, i) => {
      const scheduler = this.schedulers[i];
      if (scheduler === undefined) {
        throw new ValueError(
          `state dict has ${children.length} schedulers, ChainedScheduler has ${this.schedulers.length}`,
        );
      }
      scheduler.loadStateDict(child as SchedulerStateDict);
    });
    this.lastEpoch = (this.schedulers[this.schedulers.length - 1] as LRScheduler).lastEpoch;
  }
}

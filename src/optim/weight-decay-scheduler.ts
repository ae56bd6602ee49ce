/**
 * Weight decay driven by a schedule, the way an LR scheduler drives the learning rate: any
 * scheduler from `optim.lrScheduler` can be pointed at the groups' `weightDecay` instead of their
 * `lr`. PyTorch has no such thing (its schedulers only touch `lr`); optax allows a schedule for
 * the decay coefficient.
 * @module
 */

import type { ParamGroup, SchedulableOptimizer, SchedulerStateDict } from "./lr-scheduler/lr-scheduler.js";

/** What {@link WeightDecayScheduler} drives: any LR scheduler (`step`, `getLastLr`, state dicts). */
export interface DrivenScheduler {
  step(...args: never[]): void;
  getLastLr(): number[];
  stateDict(): SchedulerStateDict;
  loadStateDict(stateDict: SchedulerStateDict): void;
}

// The view maps the scheduler's `lr` onto the real group's `weightDecay` and `initialLr` onto
// `initialWeightDecay` (so the two schedules keep separate bases); every other key a scheduler
// writes (e.g. OneCycleLR's `maxLr`) stays on the view instead of touching the real group.
function weightDecayView(group: ParamGroup): ParamGroup {
  const local: Record<string, unknown> = {};
  const real = group as Record<string, unknown>;
  const target = (key: string | symbol): [Record<string, unknown>, string | symbol] => {
    if (key === "lr") return [real, "weightDecay"];
    if (key === "initialLr") return [real, "initialWeightDecay"];
    if (key === "params") return [real, "params"];
    return [local, key];
  };
  return new Proxy(local, {
    get: (_t, key) => {
      const [obj, k] = target(key);
      return obj[k as string];
    },
    set: (_t, key, value) => {
      const [obj, k] = target(key);
      obj[k as string] = value;
      return true;
    },
    has: (_t, key) => {
      const [obj, k] = target(key);
      return obj[k as string] !== undefined;
    },
  }) as ParamGroup;
}

/**
 * Drive every group's `weightDecay` with an LR scheduler. The factory receives a view of the
 * optimizer whose groups' `lr` *is* their weight decay; the scheduler then behaves exactly as it
 * would for the learning rate (its base values are the initial weight decays; groups with decay 0
 * stay at 0 under multiplicative schedules). Step it alongside the LR scheduler.
 *
 * @example
 * ```ts
 * const opt = new tg.optim.AdamW(params, { lr: 1e-3, weightDecay: 0.1 });
 * const lrSched = new tg.optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 100 });
 * const wdSched = new tg.optim.WeightDecayScheduler(opt, (view) =>
 *   new tg.optim.lrScheduler.LinearLR(view, { startFactor: 0.1, totalIters: 10 }));
 * for (let step = 0; step < 100; step++) { ...; opt.step(); lrSched.step(); wdSched.step(); }
 * ```
 */
export class WeightDecayScheduler<S extends DrivenScheduler = DrivenScheduler> {
  /** The scheduler that computes the values (it sees weight decay as `lr`). */
  readonly scheduler: S;

  constructor(optimizer: SchedulableOptimizer, makeScheduler: (view: SchedulableOptimizer) => S) {
    if (typeof makeScheduler !== "function") {
      throw new TypeError(
        "WeightDecayScheduler expects a function that builds a scheduler from the optimizer view",
      );
    }
    for (const [i, group] of optimizer.paramGroups.entries()) {
      if (typeof group.weightDecay !== "number") {
        throw new TypeError(`param_groups[${i}] has no numeric weightDecay to schedule`);
      }
    }
    const groups = optimizer.paramGroups.map(weightDecayView);
    const view: SchedulableOptimizer = {
      paramGroups: groups,
      get stepCount() {
        return optimizer.stepCount;
      },
    };
    this.scheduler = makeScheduler(view);
  }

  /** Advance the schedule (arguments go to the scheduler, e.g. a metric for ReduceLROnPlateau). */
  step(...args: Parameters<S["step"]>): void {
    this.scheduler.step(...args);
  }

  /** The weight decay of each group after the last step. @example wdSched.getLastWeightDecay() */
  getLastWeightDecay(): number[] {
    return this.scheduler.getLastLr();
  }

  /** The scheduler's state dict (its `base_lrs` are the initial weight decays). */
  stateDict(): SchedulerStateDict {
    return this.scheduler.stateDict();
  }

  /** Restore the scheduler's state. */
  loadStateDict(stateDict: SchedulerStateDict): void {
    this.scheduler.loadStateDict(stateDict);
  }
}

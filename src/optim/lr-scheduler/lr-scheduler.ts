/**
 * The base class of every learning-rate scheduler, PyTorch's `torch.optim.lr_scheduler.LRScheduler`,
 * and the small optimizer contract the schedulers need.
 *
 * @example
 * ```ts
 * const opt = new tg.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const sched = new tg.optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   train(); // calls opt.step()
 *   sched.step();
 * }
 * ```
 * @module
 */

import { KeyError, RuntimeError, ValueError } from "../../util/errors.js";
import { pyStr, typeName } from "./python.js";
import { EPOCH_DEPRECATION_WARNING, GET_LR_OUTSIDE_STEP_WARNING, STEP_ORDER_WARNING, warn } from "./warn.js";

/**
 * One optimizer parameter group as the schedulers see it: the learning rate plus any other
 * hyperparameters under camelCase keys (`momentum`, `betas`, `weightDecay`, and the keys schedulers
 * add: `initialLr`, `maxLr`, `minLr`, `maxMomentum`, `baseMomentum`).
 *
 * @example
 * ```ts
 * const group: ParamGroup = { params: [], lr: 0.1, momentum: 0.9 };
 * ```
 */
export interface ParamGroup {
  params: readonly unknown[];
  lr: number;
  [hyper: string]: unknown;
}

/**
 * What a scheduler needs from an optimizer: its parameter groups, and how many times `step()` has
 * run (read to warn when `scheduler.step()` comes first; nothing is monkey-patched). Every tsgrad
 * optimizer satisfies it, and so does any object of this shape.
 *
 * @example
 * ```ts
 * const fake: SchedulableOptimizer = { paramGroups: [{ params: [], lr: 0.1 }], stepCount: 0 };
 * new StepLR(fake, { stepSize: 2 });
 * ```
 */
export interface SchedulableOptimizer {
  paramGroups: ParamGroup[];
  stepCount: number;
}

/**
 * A scheduler's state: PyTorch's attribute names (snake_case) mapped to plain data.
 *
 * @example
 * ```ts
 * const saved: SchedulerStateDict = sched.stateDict(); // { step_size: 30, gamma: 0.1, base_lrs: [0.1], ... }
 * ```
 */
export type SchedulerStateDict = Record<string, unknown>;

/**
 * Whether `x` satisfies {@link SchedulableOptimizer}.
 *
 * @example
 * ```ts
 * isSchedulableOptimizer({ paramGroups: [], stepCount: 0 }); // true
 * ```
 */
export function isSchedulableOptimizer(x: unknown): x is SchedulableOptimizer {
  if (x === null || typeof x !== "object") return false;
  const o = x as { paramGroups?: unknown; stepCount?: unknown };
  return Array.isArray(o.paramGroups) && typeof o.stepCount === "number";
}

/**
 * Throw PyTorch's `TypeError("<name> is not an Optimizer")` unless `x` is optimizer-like.
 *
 * @example
 * ```ts
 * assertOptimizer(42); // TypeError: number is not an Optimizer
 * ```
 */
export function assertOptimizer(x: unknown): asserts x is SchedulableOptimizer {
  if (!isSchedulableOptimizer(x)) throw new TypeError(`${typeName(x)} is not an Optimizer`);
}

/**
 * How an optimizer reads in a message: its own `toString()` when it has one (PyTorch prints the
 * optimizer's repr), else its class name.
 *
 * @example
 * ```ts
 * describeOptimizer({ paramGroups: [], stepCount: 0 }); // "Object"
 * ```
 */
export function describeOptimizer(optimizer: unknown): string {
  if (optimizer !== null && typeof optimizer === "object") {
    const toString = (optimizer as { toString?: unknown }).toString;
    if (typeof toString === "function" && toString !== Object.prototype.toString) return String(optimizer);
  }
  return typeName(optimizer);
}

// PyTorch patches `optimizer.step` once, when the first scheduler attaches, and from then on records
// that the optimizer has stepped. The step count at that first attachment plays the same role here.
const stepCountAtAttach = new WeakMap<object, number>();

function optimizerHasStepped(optimizer: SchedulableOptimizer): boolean {
  return optimizer.stepCount > (stepCountAtAttach.get(optimizer) ?? 0);
}

// Keys that PyTorch 1.13 wrote into state dicts and that current PyTorch no longer has; loading
// such a state dict ignores them rather than failing.
const LEGACY_KEYS = new Set(["verbose", "_scale_fn_ref", "anneal_func"]);

// JSON has no infinities: accept the strings Python's json module and our fixtures use for them.
function decodeSpecial(value: unknown): unknown {
  if (value === "inf" || value === "Infinity") return Infinity;
  if (value === "-inf" || value === "-Infinity") return -Infinity;
  if (value === "nan" || value === "NaN") return NaN;
  return value;
}

function clonePlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clonePlain);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = clonePlain(v);
    return out;
  }
  return value;
}

/**
 * Base class of the learning-rate schedulers (PyTorch's `LRScheduler`).
 *
 * Construction (done by each subclass through {@link LRScheduler.initialize}): with `lastEpoch = -1`
 * every group gets `initialLr = lr` unless it already has one; otherwise every group must already
 * have `initialLr` (a resumed run). `baseLrs` are the groups' `initialLr`s. Then one initial
 * `step()` runs, so after construction `lastEpoch` is `lastEpoch + 1` and the groups hold the
 * schedule's first learning rates.
 *
 * `step()` advances `lastEpoch` and writes `getLr()` into the groups. Chainable schedulers compute
 * from the groups' current `lr`, so they compose with each other and with manual edits; the
 * deprecated `step(epoch)` sets `lastEpoch = epoch` and uses the closed form where there is one.
 *
 * Subclass it for a custom schedule: call `super(optimizer)`, set your fields, call
 * `this.initialize(lastEpoch)`, and override `getLr()`.
 *
 * @example
 * ```ts
 * class HalvingLR extends LRScheduler {
 *   constructor(optimizer: SchedulableOptimizer) {
 *     super(optimizer);
 *     this.initialize(-1);
 *   }
 *   override getLr(): number[] {
 *     return this.baseLrs.map((b) => b * 0.5 ** this.lastEpoch);
 *   }
 * }
 * ```
 */
export class LRScheduler {
  /** The optimizer whose parameter groups this scheduler writes. */
  optimizer: SchedulableOptimizer;
  /** The learning rates the schedule starts from (each group's `initialLr`). */
  baseLrs: number[] = [];
  /** Index of the last epoch whose learning rate has been set; `-1` before the initial step. */
  lastEpoch = -1;
  /** How many times `step()` has run, the constructor's initial step included. */
  protected _stepCount = 0;
  /** True only during the constructor's initial step (current PyTorch's `_is_initial`). */
  protected _isInitial = false;
  /** True while `step()` calls `getLr()`; a `getLr()` call outside it warns. */
  protected _getLrCalledWithinStep = false;
  /** The learning rates written by the most recent step, one per group. */
  protected _lastLr: number[] = [];

  /**
   * Attach to `optimizer`. Subclasses then set their own fields and call {@link initialize}.
   *
   * @throws TypeError `"<name> is not an Optimizer"` when `optimizer` is not optimizer-like.
   */
  constructor(optimizer: SchedulableOptimizer) {
    assertOptimizer(optimizer);
    this.optimizer = optimizer;
  }

  /**
   * The second half of PyTorch's base constructor: `initialLr`/`baseLrs`, `lastEpoch`, step-order
   * tracking and the initial step.
   *
   * @throws KeyError when resuming (`lastEpoch >= 0`) and a group has no `initialLr`.
   */
  protected initialize(lastEpoch: number): void {
    const groups = this.optimizer.paramGroups;
    if (lastEpoch === -1) {
      for (const group of groups) if (!("initialLr" in group)) group.initialLr = group.lr;
    } else {
      groups.forEach((group, i) => {
        if (!("initialLr" in group)) {
          throw new KeyError(
            `param 'initial_lr' is not specified in param_groups[${i}] when resuming scheduler with last_epoch >= 0.\n` +
              "This typically happens when:\n" +
              "1. You're trying to resume training from a checkpoint but haven't properly loaded the optimizer state\n" +
              "2. You're using last_epoch >= 0 for a fresh training run (not recommended)",
          );
        }
      });
    }
    this.baseLrs = groups.map((group) => group.initialLr as number);
    this.lastEpoch = lastEpoch;
    if (!stepCountAtAttach.has(this.optimizer))
      stepCountAtAttach.set(this.optimizer, this.optimizer.stepCount);
    this.initialStep();
  }

  /**
   * Reset the step count and run the constructor's step in "initial" mode.
   *
   * @internal SequentialLR re-runs it on the scheduler that is active at epoch 0.
   */
  initialStep(): void {
    this._stepCount = 0;
    this._isInitial = true;
    try {
      this.step();
    } finally {
      this._isInitial = false;
    }
  }

  /**
   * Advance the schedule by one epoch (or batch) and write the new learning rates into the groups.
   * Call it after `optimizer.step()`.
   *
   * @param epoch Deprecated, as in PyTorch: jump to this epoch, using the closed form where the
   *   scheduler has one. Warns once.
   */
  step(epoch?: number | null): void {
    if (epoch === null) epoch = undefined; // Python's None
    if (this._stepCount === 1 && !optimizerHasStepped(this.optimizer)) warn(this, STEP_ORDER_WARNING);
    this._stepCount += 1;
    if (epoch !== undefined) {
      if (typeof epoch !== "number") throw new TypeError(`epoch must be a number, got ${typeName(epoch)}`);
      warn(this, EPOCH_DEPRECATION_WARNING);
    }
    this.updateLr(epoch);
  }

  /**
   * Set `lastEpoch` (next, or `epoch`), compute the learning rates and write them into the groups.
   *
   * @internal PyTorch's `_update_lr`; SequentialLR calls it with 0 at a milestone.
   */
  updateLr(epoch?: number): void {
    let values: number[];
    this._getLrCalledWithinStep = true;
    try {
      if (epoch === undefined) {
        this.lastEpoch += 1;
        values = this.getLr();
      } else {
        this.lastEpoch = epoch;
        values = this.closedFormLr?.() ?? this.getLr();
      }
    } finally {
      this._getLrCalledWithinStep = false;
    }
    const groups = this.optimizer.paramGroups;
    if (values.length !== groups.length) {
      throw new ValueError(
        `${this.constructor.name} computed ${values.length} learning rates for ${groups.length} param groups`,
      );
    }
    groups.forEach((group, i) => (group.lr = values[i] as number));
    this._lastLr = groups.map((group) => group.lr);
  }

  /**
   * The learning rates for the current `lastEpoch`, one per group. Called by `step()`; calling it
   * yourself warns (use {@link getLastLr}) and, for CyclicLR and OneCycleLR, also writes momentum.
   */
  getLr(): number[] {
    throw new RuntimeError(`${this.constructor.name} does not implement getLr()`);
  }

  /** The closed form used by the deprecated `step(epoch)`, for schedulers that have one. */
  protected closedFormLr?(): number[];

  /**
   * The learning rates the most recent step wrote, one per parameter group.
   *
   * @example
   * ```ts
   * sched.step();
   * console.log(sched.getLastLr()); // [0.05, 0.5]
   * ```
   */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** Warn (once) when `getLr()` runs outside `step()`, as PyTorch does. */
  protected warnIfOutsideStep(): void {
    if (!this._getLrCalledWithinStep) warn(this, GET_LR_OUTSIDE_STEP_WARNING);
  }

  /**
   * The groups' current values under `key`, copied (PyTorch's `_param_groups_val_list`).
   *
   * @throws KeyError when a group has no `key`.
   */
  protected groupValues(key: string): number[] {
    return this.optimizer.paramGroups.map((group) => {
      if (!(key in group)) throw new KeyError(`'${key}'`);
      return group[key] as number;
    });
  }

  /**
   * The state entries as `[snake_case key, property name]` pairs in PyTorch's order.
   * Subclasses prepend their own fields.
   */
  protected stateKeys(): Array<[string, string]> {
    return [
      ["base_lrs", "baseLrs"],
      ["last_epoch", "lastEpoch"],
      ["_step_count", "_stepCount"],
      ["_is_initial", "_isInitial"],
      ["_get_lr_called_within_step", "_getLrCalledWithinStep"],
      ["_last_lr", "_lastLr"],
    ];
  }

  /**
   * The scheduler's state under PyTorch's keys (snake_case), as plain data: everything PyTorch's
   * `state_dict()` holds except what cannot be serialised (functions).
   *
   * @example
   * ```ts
   * const saved = sched.stateDict(); // { step_size: 3, gamma: 0.1, base_lrs: [...], last_epoch: 4, ... }
   * ```
   */
  stateDict(): SchedulerStateDict {
    const self = this as unknown as Record<string, unknown>;
    const out: SchedulerStateDict = {};
    for (const [key, prop] of this.stateKeys()) out[key] = clonePlain(self[prop]);
    return out;
  }

  /**
   * Restore state saved by {@link stateDict} (ours or PyTorch's, including 1.13's). Build the
   * scheduler and load the optimizer's state first, then call this. Where a number is expected, the
   * strings `"inf"`, `"-inf"` and `"nan"` stand for the values JSON cannot hold (`best` of
   * ReduceLROnPlateau starts at ±Infinity).
   *
   * @throws KeyError for a key this scheduler does not have; TypeError for a value of the wrong type.
   * @example
   * ```ts
   * const fresh = new StepLR(opt, { stepSize: 3 });
   * fresh.loadStateDict(saved);
   * ```
   */
  loadStateDict(stateDict: SchedulerStateDict): void {
    if (stateDict === null || typeof stateDict !== "object" || Array.isArray(stateDict)) {
      throw new TypeError(`state dict must be an object, got ${typeName(stateDict)}`);
    }
    const props = new Map(this.stateKeys());
    const self = this as unknown as Record<string, unknown>;
    for (const [key, raw] of Object.entries(stateDict)) {
      const prop = props.get(key);
      if (prop === undefined) {
        if (LEGACY_KEYS.has(key)) continue;
        throw new KeyError(`unexpected key '${key}' in the state dict of ${this.constructor.name}`);
      }
      const current = self[prop];
      const value = typeof current === "number" ? decodeSpecial(raw) : raw;
      const sameKind =
        current === null ||
        (value === null && this.isNullable(key)) ||
        (value !== null && (Array.isArray(current) ? Array.isArray(value) : typeof current === typeof value));
      if (!sameKind) {
        throw new TypeError(
          `state dict entry ${key} of ${this.constructor.name} should be ${
            Array.isArray(current) ? "an array" : `a ${typeof current}`
          }, got ${typeName(value)} ${pyStr(value)}` +
            (value === null && typeof current === "number"
              ? ' (JSON.stringify turns Infinity into null; save it as "inf")'
              : ""),
        );
      }
      self[prop] = clonePlain(value);
    }
  }

  /** Whether a state entry may be null although its current value is not (PyTorch's `None`). */
  protected isNullable(_key: string): boolean {
    return false;
  }

  /**
   * The schedulers a composite scheduler (SequentialLR, ChainedScheduler) drives.
   *
   * @internal SequentialLR's recursive undo walks them.
   */
  get childSchedulers(): readonly LRScheduler[] | undefined {
    return undefined;
  }
}

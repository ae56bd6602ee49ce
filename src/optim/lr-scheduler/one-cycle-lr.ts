/**
 * OneCycleLR: the 1cycle policy — warm the learning rate up to `maxLr`, then anneal it far below
 * the start, cycling momentum the opposite way.
 *
 * @module
 */

import { KeyError, ValueError } from "../../util/errors.js";
import {
  type ParamGroup,
  type SchedulableOptimizer,
  type SchedulerStateDict,
  LRScheduler,
} from "./lr-scheduler.js";
import { formatParam, momentumKey, setMomentum } from "./momentum.js";
import { booleanOption, checkOptions, numberOption, numberOrListOption, stringOption } from "./options.js";
import { pyFloatRepr, pyStr } from "./python.js";

/**
 * Options of {@link OneCycleLR} (PyTorch's keyword arguments in camelCase).
 *
 * @example
 * ```ts
 * const opts: OneCycleLROptions = { maxLr: 0.01, epochs: 10, stepsPerEpoch: 100, threePhase: true };
 * ```
 */
export interface OneCycleLROptions {
  /** Peak learning rate, one for all groups or one per group. */
  maxLr: number | readonly number[];
  /** Total number of steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number | null;
  /** Number of epochs (with `stepsPerEpoch`, when `totalSteps` is not given). */
  epochs?: number | null;
  /** Steps per epoch (with `epochs`, when `totalSteps` is not given). */
  stepsPerEpoch?: number | null;
  /** Fraction of the cycle spent increasing the learning rate. Default 0.3. */
  pctStart?: number;
  /** `"cos"` or `"linear"` annealing. Default "cos". */
  annealStrategy?: "cos" | "linear";
  /** Cycle momentum inversely to the learning rate. Default true. */
  cycleMomentum?: boolean;
  /** Lower momentum bound (at the learning-rate peak). Default 0.85. */
  baseMomentum?: number | readonly number[];
  /** Upper momentum bound (at the start and end). Default 0.95. */
  maxMomentum?: number | readonly number[];
  /** The initial learning rate is `maxLr / divFactor`. Default 25. */
  divFactor?: number;
  /** The final learning rate is `initialLr / finalDivFactor`. Default 1e4. */
  finalDivFactor?: number;
  /** Use three phases (up, back down to the initial lr, then annihilate) as in the paper. Default false. */
  threePhase?: boolean;
  /** Index of the last batch when resuming. Default -1 (a fresh start). */
  lastEpoch?: number;
}

/**
 * One phase of the schedule: up to `end_step`, anneal between the named group keys (PyTorch's names).
 *
 * @example
 * ```ts
 * const warmup: SchedulePhase = { end_step: 29, start_lr: "initial_lr", end_lr: "max_lr", start_momentum: "max_momentum", end_momentum: "base_momentum" };
 * ```
 */
export interface SchedulePhase {
  end_step: number;
  start_lr: string;
  end_lr: string;
  start_momentum: string;
  end_momentum: string;
}

// Phase entries name group keys in PyTorch's spelling (they appear in state dicts); groups here use camelCase.
const GROUP_KEY: Record<string, string> = {
  initial_lr: "initialLr",
  max_lr: "maxLr",
  min_lr: "minLr",
  max_momentum: "maxMomentum",
  base_momentum: "baseMomentum",
};

function groupValue(group: ParamGroup, pyKey: string): number {
  const key = GROUP_KEY[pyKey] ?? pyKey;
  if (!(key in group)) throw new KeyError(`'${key}'`);
  return group[key] as number;
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new ValueError(`Expected positive integer ${name}, but got ${pyStr(value)}`);
  }
  return value;
}

/**
 * The 1cycle learning-rate policy (PyTorch's `torch.optim.lr_scheduler.OneCycleLR`). Step it after
 * every batch; stepping past `totalSteps` is an error. Not chainable.
 *
 * ```
 * initial = maxLr/divFactor, min = initial/finalDivFactor       (stored in each group)
 * two phases:   [0, pct·N − 1]: initial → max,  momentum max_m → base_m
 *               [.., N − 1]:    max → min,      momentum base_m → max_m
 * three phases: [0, pct·N − 1]: initial → max;  [.., 2·pct·N − 2]: max → initial;
 *               [.., N − 1]: initial → min (momentum held at max_m)
 * in a phase from s to e at pct = (L − start)/(end − start):
 *   cos:    e + (s − e)/2 · (cos(π·pct) + 1)        linear: (e − s)·pct + s
 * ```
 * With `cycleMomentum` the groups' `momentum` (or Adam's `betas[0]`) is written on every step.
 * JavaScript has one number type, so `pctStart` 0 and 1 are accepted (PyTorch rejects the ints 0/1).
 *
 * @example
 * ```ts
 * const sched = new OneCycleLR(opt, { maxLr: 0.01, epochs: 10, stepsPerEpoch: batches.length });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const batch of batches) {
 *     trainBatch(batch);
 *     sched.step();
 *   }
 * }
 * ```
 * References: Smith & Topin, "Super-Convergence: Very Fast Training of Neural Networks Using Large
 * Learning Rates", https://arxiv.org/abs/1708.07120
 */
export class OneCycleLR extends LRScheduler {
  /** Total number of steps in the cycle. */
  totalSteps: number;
  /** The phases of the schedule. */
  schedulePhases: SchedulePhase[];
  /** `"cos"` or `"linear"`. */
  annealFuncType: string;
  /** Whether momentum is cycled. */
  cycleMomentum: boolean;
  /** Whether the cycled momentum is `betas[0]` rather than `momentum`. */
  useBeta1 = false;

  /**
   * @throws ValueError for invalid `totalSteps`/`epochs`/`stepsPerEpoch`/`pctStart`/`annealStrategy`,
   *   per-group list length mismatches, and momentum cycling without momentum or betas.
   */
  constructor(optimizer: SchedulableOptimizer, options: OneCycleLROptions) {
    const opts = checkOptions("OneCycleLR", options, [
      "maxLr",
      "totalSteps",
      "epochs",
      "stepsPerEpoch",
      "pctStart",
      "annealStrategy",
      "cycleMomentum",
      "baseMomentum",
      "maxMomentum",
      "divFactor",
      "finalDivFactor",
      "threePhase",
      "lastEpoch",
    ]);
    super(optimizer);
    const totalSteps = opts.totalSteps ?? null;
    const epochs = opts.epochs ?? null;
    const stepsPerEpoch = opts.stepsPerEpoch ?? null;
    if (totalSteps !== null) {
      this.totalSteps = positiveInteger("total_steps", totalSteps);
    } else if (epochs !== null && stepsPerEpoch !== null) {
      this.totalSteps = positiveInteger("epochs", epochs) * positiveInteger("steps_per_epoch", stepsPerEpoch);
    } else {
      throw new ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)");
    }

    const pctStart = numberOption("OneCycleLR", opts, "pctStart", 0.3);
    const N = this.totalSteps;
    this.schedulePhases = booleanOption("OneCycleLR", opts, "threePhase", false)
      ? [
          phase(pctStart * N - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
          phase(2 * pctStart * N - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
          phase(N - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
        ]
      : [
          phase(pctStart * N - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
          phase(N - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
        ];
    if (pctStart < 0 || pctStart > 1 || Number.isNaN(pctStart)) {
      throw new ValueError(`Expected float between 0 and 1 pct_start, but got ${pyFloatRepr(pctStart)}`);
    }
    const annealStrategy = stringOption("OneCycleLR", opts, "annealStrategy", "cos");
    if (annealStrategy !== "cos" && annealStrategy !== "linear") {
      throw new ValueError(`anneal_strategy must be one of 'cos' or 'linear', instead got ${annealStrategy}`);
    }
    this.annealFuncType = annealStrategy;

    const lastEpoch = numberOption("OneCycleLR", opts, "lastEpoch", -1);
    const divFactor = numberOption("OneCycleLR", opts, "divFactor", 25.0);
    const finalDivFactor = numberOption("OneCycleLR", opts, "finalDivFactor", 1e4);
    const maxLrs = formatParam("max_lr", optimizer, numberOrListOption("OneCycleLR", opts, "maxLr"));
    if (lastEpoch === -1) {
      optimizer.paramGroups.forEach((group, i) => {
        const initialLr = (maxLrs[i] as number) / divFactor;
        group.initialLr = initialLr;
        group.maxLr = maxLrs[i];
        group.minLr = initialLr / finalDivFactor;
      });
    }

    this.cycleMomentum = booleanOption("OneCycleLR", opts, "cycleMomentum", true);
    if (this.cycleMomentum) {
      this.useBeta1 = momentumKey(optimizer);
      const maxMomentums = formatParam(
        "max_momentum",
        optimizer,
        numberOrListOption("OneCycleLR", opts, "maxMomentum", 0.95),
      );
      const baseMomentums = formatParam(
        "base_momentum",
        optimizer,
        numberOrListOption("OneCycleLR", opts, "baseMomentum", 0.85),
      );
      if (lastEpoch === -1) {
        optimizer.paramGroups.forEach((group, i) => {
          setMomentum(group, maxMomentums[i] as number, this.useBeta1);
          group.maxMomentum = maxMomentums[i];
          group.baseMomentum = baseMomentums[i];
        });
      }
    }
    this.initialize(lastEpoch);
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealFuncType === "cos") {
      const cosOut = Math.cos(Math.PI * pct) + 1;
      return end + ((start - end) / 2.0) * cosOut;
    }
    if (this.annealFuncType === "linear") return (end - start) * pct + start;
    throw new ValueError(`Unknown _anneal_func_type: ${this.annealFuncType}`);
  }

  /** The learning rates at `lastEpoch`; also writes the cycled momentum into the groups. */
  override getLr(): number[] {
    this.warnIfOutsideStep();
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new ValueError(
        `Tried to step ${stepNum} times. The specified number of total steps is ${this.totalSteps}`,
      );
    }
    const phases = this.schedulePhases;
    return this.optimizer.paramGroups.map((group) => {
      let startStep = 0.0;
      for (let i = 0; i < phases.length; i++) {
        const ph = phases[i] as SchedulePhase;
        const endStep = ph.end_step;
        if (stepNum <= endStep || i === phases.length - 1) {
          const pct = (stepNum - startStep) / (endStep - startStep);
          const lr = this.anneal(groupValue(group, ph.start_lr), groupValue(group, ph.end_lr), pct);
          if (this.cycleMomentum) {
            const m = this.anneal(
              groupValue(group, ph.start_momentum),
              groupValue(group, ph.end_momentum),
              pct,
            );
            setMomentum(group, m, this.useBeta1);
          }
          return lr;
        }
        startStep = endStep;
      }
      throw new ValueError("OneCycleLR has no schedule phases");
    });
  }

  protected override stateKeys(): Array<[string, string]> {
    return [
      ["total_steps", "totalSteps"],
      ["_schedule_phases", "schedulePhases"],
      ["_anneal_func_type", "annealFuncType"],
      ["cycle_momentum", "cycleMomentum"],
      ...(this.cycleMomentum ? ([["use_beta1", "useBeta1"]] as Array<[string, string]>) : []),
      ...super.stateKeys(),
    ];
  }

  override loadStateDict(stateDict: SchedulerStateDict): void {
    // PyTorch updates __dict__ wholesale: use_beta1 loads even if this instance does not cycle momentum.
    const { use_beta1: useBeta1, ...rest } = stateDict;
    super.loadStateDict(rest);
    if (useBeta1 !== undefined) {
      if (typeof useBeta1 !== "boolean")
        throw new TypeError("state dict entry use_beta1 of OneCycleLR should be a boolean");
      this.useBeta1 = useBeta1;
    }
  }
}

function phase(endStep: number, startLr: string, endLr: string, startM: string, endM: string): SchedulePhase {
  return { end_step: endStep, start_lr: startLr, end_lr: endLr, start_momentum: startM, end_momentum: endM };
}

/**
 * Momentum cycling shared by CyclicLR and OneCycleLR: which group key carries the momentum
 * (`momentum`, or the first entry of Adam-style `betas`), per-group option lists, and writing it.
 *
 * @example
 * ```ts
 * const useBeta1 = momentumKey(opt); // false for SGD, true for Adam
 * setMomentum(opt.paramGroups[0], 0.9, useBeta1);
 * ```
 * @module
 */

import { ValueError } from "../../util/errors.js";
import type { ParamGroup, SchedulableOptimizer } from "./lr-scheduler.js";

/**
 * Whether momentum cycling writes `betas[0]` (true) or `momentum` (false).
 *
 * @throws ValueError PyTorch's "optimizer must support momentum or beta1 ..." when the groups have neither.
 * @example
 * ```ts
 * momentumKey({ paramGroups: [{ params: [], lr: 1, betas: [0.9, 0.999] }], stepCount: 0 }); // true
 * ```
 */
export function momentumKey(optimizer: SchedulableOptimizer): boolean {
  const groups = optimizer.paramGroups;
  // PyTorch looks at optimizer.defaults; every group carries the defaults, so the groups tell the same.
  if (groups.length > 0 && groups.every((group) => Array.isArray(group.betas))) return true;
  if (groups.every((group) => "momentum" in group)) return false;
  throw new ValueError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled");
}

/**
 * Write one momentum value into a group: `momentum`, or `betas = [m, betas[1]]`.
 *
 * @example
 * ```ts
 * setMomentum(group, 0.85, true); // group.betas = [0.85, 0.999]
 * ```
 */
export function setMomentum(group: ParamGroup, value: number, useBeta1: boolean): void {
  if (useBeta1) {
    const betas = group.betas as readonly number[];
    group.betas = [value, ...betas.slice(1)];
  } else {
    group.momentum = value;
  }
}

/**
 * One value per group from a number or a per-group list (PyTorch's `_format_param`).
 *
 * @throws ValueError `"{name} must have the same length as optimizer.param_groups. ..."`
 * @example
 * ```ts
 * formatParam("max_lr", opt, 0.1); // [0.1, 0.1] for two groups
 * ```
 */
export function formatParam(
  name: string,
  optimizer: SchedulableOptimizer,
  param: number | readonly number[],
): number[] {
  const n = optimizer.paramGroups.length;
  if (Array.isArray(param)) {
    if (param.length !== n) {
      throw new ValueError(
        `${name} must have the same length as optimizer.param_groups. ${name} has ${param.length} values, param_groups has ${n}.`,
      );
    }
    return [...param];
  }
  return new Array<number>(n).fill(param as number);
}

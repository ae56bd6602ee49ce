/**
 * Validation shared by SequentialLR and ChainedScheduler: the children must be schedulers of the
 * same optimizer, and none may be a ReduceLROnPlateau.
 *
 * @example
 * ```ts
 * checkChildren("ChainedScheduler", [warmup, decay], opt);
 * ```
 * @module
 */

import { ValueError } from "../../util/errors.js";
import { type LRScheduler, type SchedulableOptimizer, describeOptimizer } from "./lr-scheduler.js";
import { typeName } from "./python.js";
import { ReduceLROnPlateau } from "./reduce-lr-on-plateau.js";

/**
 * Check a composite scheduler's children with PyTorch's messages.
 *
 * @throws TypeError when a child has no `optimizer`; ValueError for a ReduceLROnPlateau child or a
 *   child of another optimizer.
 * @example
 * ```ts
 * checkChildren("SequentialLR", schedulers, opt);
 * ```
 */
export function checkChildren(
  owner: string,
  schedulers: readonly unknown[],
  optimizer: SchedulableOptimizer,
): void {
  schedulers.forEach((scheduler, i) => {
    if (scheduler === null || typeof scheduler !== "object" || !("optimizer" in scheduler)) {
      throw new TypeError(`${owner} at index ${i} should have \`optimizer\` as its attribute.`);
    }
    if (scheduler instanceof ReduceLROnPlateau) {
      throw new ValueError(
        `${owner} does not support \`ReduceLROnPlateau\` scheduler as it requires additional kwargs to be ` +
          `specified when calling \`step\`, but got one at index ${i} in the given schedulers sequence.`,
      );
    }
    const childOptimizer = (scheduler as LRScheduler).optimizer;
    if (childOptimizer !== optimizer) {
      throw new ValueError(
        `${owner} expects all schedulers to belong to the same optimizer, but got scheduler ` +
          `${typeName(scheduler)} at index ${i} has ${describeOptimizer(childOptimizer)}, ` +
          `which is different from ${typeName(optimizer)}.`,
      );
    }
  });
}

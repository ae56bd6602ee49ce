/**
 * The per-group functions of LambdaLR and MultiplicativeLR: option parsing and their state-dict
 * form (PyTorch saves `None` for plain functions and `fn.__dict__` for callable objects; here a
 * function's own enumerable properties play the part of `__dict__`).
 *
 * @example
 * ```ts
 * const fns = lrLambdas("LambdaLR", (epoch: number) => 0.95 ** epoch, 2); // one per group
 * ```
 * @module
 */

import { ValueError } from "../../util/errors.js";
import { typeName } from "./python.js";

/**
 * A function from the epoch index to a multiplicative factor.
 *
 * @example
 * ```ts
 * const warmup: LrLambda = (epoch) => Math.min(1, (epoch + 1) / 10);
 * ```
 */
export type LrLambda = (epoch: number) => number;

/**
 * One function per group from a single function or a list (PyTorch's `lr_lambda`).
 *
 * @throws ValueError `"Expected {n} lr_lambdas, but got {m}"`; TypeError for a non-function.
 * @example
 * ```ts
 * lrLambdas("MultiplicativeLR", [(e) => 0.9, (e) => 0.8], 2);
 * ```
 */
export function lrLambdas(owner: string, lrLambda: unknown, groups: number): LrLambda[] {
  if (lrLambda === undefined) throw new TypeError(`${owner} missing required option lrLambda`);
  let fns: unknown[];
  if (Array.isArray(lrLambda)) {
    if (lrLambda.length !== groups) {
      throw new ValueError(`Expected ${groups} lr_lambdas, but got ${lrLambda.length}`);
    }
    fns = [...lrLambda];
  } else {
    fns = new Array<unknown>(groups).fill(lrLambda);
  }
  for (const fn of fns) {
    if (typeof fn !== "function")
      throw new TypeError(`lr_lambda should be a function, but got ${typeName(fn)}`);
  }
  return fns as LrLambda[];
}

/**
 * The state-dict form: `null` for a function without own properties, else a copy of them.
 *
 * @example
 * ```ts
 * saveLrLambdas([(e) => 1]); // [null]
 * ```
 */
export function saveLrLambdas(fns: readonly LrLambda[]): Array<Record<string, unknown> | null> {
  return fns.map((fn) =>
    Object.keys(fn).length === 0 ? null : { ...(fn as unknown as Record<string, unknown>) },
  );
}

/**
 * Restore saved own properties onto the functions (PyTorch's `fn.__dict__.update(saved)`).
 *
 * @example
 * ```ts
 * loadLrLambdas(fns, [null, { scale: 2 }]);
 * ```
 */
export function loadLrLambdas(owner: string, fns: readonly LrLambda[], saved: unknown): void {
  if (!Array.isArray(saved)) {
    throw new TypeError(`state dict entry lr_lambdas of ${owner} should be an array, got ${typeName(saved)}`);
  }
  saved.forEach((entry, i) => {
    const fn = fns[i];
    if (entry !== null && entry !== undefined && fn !== undefined) Object.assign(fn, entry);
  });
}

/**
 * The optimizers' way to warn, modelled on Python's `warnings.warn(message, UserWarning)`. In Node
 * the warning goes through `process.emitWarning` (so `--no-warnings`, `process.on("warning")` and
 * test spies work); elsewhere through `console.warn`.
 *
 * @example
 * ```ts
 * warnUser(DUPLICATE_PARAMS_WARNING);
 * ```
 * @module
 */

/**
 * PyTorch's text when one parameter group lists the same tensor twice.
 * @example if (new Set(params).size !== params.length) warnUser(DUPLICATE_PARAMS_WARNING);
 */
export const DUPLICATE_PARAMS_WARNING =
  "optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; " +
  "see github.com/pytorch/pytorch/issues/40967 for more information";

export { warnUser } from "../util/warn.js";

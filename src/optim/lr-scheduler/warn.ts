/**
 * The schedulers' single way to warn, modelled on Python's `warnings.warn` with the default filter:
 * each distinct message is shown once per scheduler. In Node the warning goes through
 * `process.emitWarning` (so `--no-warnings`, `process.on("warning")` and test spies work); elsewhere
 * through `console.warn`.
 *
 * @example
 * ```ts
 * warn(scheduler, "To get the last learning rate computed by the scheduler, please use `get_last_lr()`.");
 * ```
 * @module
 */

import { warnOnce } from "../../util/warn.js";

/**
 * Emit `message` as a `UserWarning` unless `owner` has already emitted the same message.
 *
 * @example
 * ```ts
 * warn(scheduler, EPOCH_DEPRECATION_WARNING); // shown
 * warn(scheduler, EPOCH_DEPRECATION_WARNING); // silent: once per scheduler
 * ```
 */
export function warn(owner: object, message: string): void {
  warnOnce(message, owner);
}

/**
 * PyTorch's text when `step(epoch)` is called with the deprecated `epoch` argument.
 *
 * @example
 * ```ts
 * process.on("warning", (w) => { if (w.message === EPOCH_DEPRECATION_WARNING) migrate(); });
 * ```
 */
export const EPOCH_DEPRECATION_WARNING =
  "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. " +
  "Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different " +
  "from None, the closed form is used instead of the new chainable form, where available. Please open an " +
  "issue if you are unable to replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose.";

/**
 * PyTorch's text when the first `scheduler.step()` comes before any `optimizer.step()`.
 *
 * @example
 * ```ts
 * process.on("warning", (w) => { if (w.message === STEP_ORDER_WARNING) throw w; });
 * ```
 */
export const STEP_ORDER_WARNING =
  "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you " +
  "should call them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to " +
  "do this will result in PyTorch skipping the first value of the learning rate schedule. See more " +
  "details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate";

/**
 * PyTorch's text when `getLr()` is called by user code instead of from inside `step()`.
 *
 * @example
 * ```ts
 * process.on("warning", (w) => { if (w.message === GET_LR_OUTSIDE_STEP_WARNING) console.trace(); });
 * ```
 */
export const GET_LR_OUTSIDE_STEP_WARNING =
  "To get the last learning rate computed by the scheduler, please use `get_last_lr()`.";

/**
 * Python's `warnings.warn(message)` for `tg.data`: `process.emitWarning` in Node (so
 * `--no-warnings`, `process.on("warning")` and test spies work), `console.warn` elsewhere.
 *
 * @module
 */

/**
 * Emit `message` as a `UserWarning`.
 * @example warnUser("Length of split at index 1 is 0. This might result in an empty dataset.")
 */
export function warnUser(message: string): void {
  const proc = (globalThis as { process?: { emitWarning?: (message: string, type: string) => void } })
    .process;
  if (typeof proc?.emitWarning === "function") proc.emitWarning(message, "UserWarning");
  else console.warn(`UserWarning: ${message}`);
}

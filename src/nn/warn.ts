/**
 * How `nn` warns, modelled on Python's `warnings.warn(message, UserWarning)` with its default
 * "once per location" filter: each distinct message is emitted once per process. In Node the
 * warning goes through `process.emitWarning` (so `--no-warnings` and `process.on("warning")`
 * work); elsewhere through `console.warn`.
 *
 * @example
 * ```ts
 * warnOnce("Initializing zero-element tensors is a no-op");
 * ```
 * @module
 */

const seen = new Set<string>();

/**
 * Emit `message` as a `UserWarning`, once per distinct message.
 *
 * @example
 * ```ts
 * warnOnce("Implicit dimension choice for softmax has been deprecated.");
 * ```
 */
export function warnOnce(message: string): void {
  if (seen.has(message)) return;
  seen.add(message);
  const proc = (globalThis as { process?: { emitWarning?: (message: string, type: string) => void } })
    .process;
  if (typeof proc?.emitWarning === "function") proc.emitWarning(message, "UserWarning");
  else console.warn(`UserWarning: ${message}`);
}

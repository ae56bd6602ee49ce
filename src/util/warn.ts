/**
 * Python's `warnings.warn(message, category)` for tsgrad. In Node a warning goes through
 * `process.emitWarning` (so `--no-warnings`, `process.on("warning")` and test spies work);
 * elsewhere through `console.warn`.
 */

/** The Python warning classes tsgrad emits. */
export type WarningCategory = "UserWarning" | "DeprecationWarning";

/**
 * Emit `message` now.
 * @example warnUser("Length of split at index 1 is 0. This might result in an empty dataset.")
 */
export function warnUser(message: string, category: WarningCategory = "UserWarning"): void {
  const proc = (globalThis as { process?: { emitWarning?: (message: string, type: string) => void } })
    .process;
  if (typeof proc?.emitWarning === "function") proc.emitWarning(message, category);
  else console.warn(`${category}: ${message}`);
}

const shownGlobally = new Set<string>();
const shownPerOwner = new WeakMap<object, Set<string>>();

/**
 * Emit `message` once — once per process, or once per `owner` object when one is given — like
 * Python's default warning filter, which shows a warning once per call site.
 * @example warnOnce("Implicit dimension choice for softmax has been deprecated.")
 */
export function warnOnce(message: string, owner?: object, category: WarningCategory = "UserWarning"): void {
  let seen = shownGlobally;
  if (owner !== undefined) {
    seen = shownPerOwner.get(owner) ?? new Set();
    shownPerOwner.set(owner, seen);
  }
  if (seen.has(message)) return;
  seen.add(message);
  warnUser(message, category);
}

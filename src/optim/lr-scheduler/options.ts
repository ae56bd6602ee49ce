/**
 * Checks for the options bags the schedulers take in place of PyTorch's keyword arguments: unknown
 * names are errors that suggest the camelCase spelling, required names must be present, and values
 * have the expected JavaScript type.
 *
 * @example
 * ```ts
 * const opts = checkOptions("StepLR", { step_size: 3 }, ["stepSize", "gamma", "lastEpoch"]);
 * // TypeError: unknown option step_size for StepLR; did you mean stepSize?
 * ```
 * @module
 */

import { typeName } from "./python.js";

/**
 * An options bag after {@link checkOptions}: a plain object whose keys are all allowed.
 *
 * @example
 * ```ts
 * const opts: Options = checkOptions("StepLR", { stepSize: 3 }, ["stepSize", "gamma", "lastEpoch"]);
 * ```
 */
export type Options = Record<string, unknown>;

// "step_size", "stepsize", "STEP_SIZE" and "T_max" all normalise to the same key as their camelCase forms.
function normalise(name: string): string {
  return name.replace(/_/g, "").toLowerCase();
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/**
 * The allowed name an unknown option most likely meant, by the same rule as the optimizers' options:
 * the same letters up to case and underscores, else the nearest by edit distance within a third of
 * the name's length (at least 2).
 *
 * @example
 * ```ts
 * suggest("gama", ["gamma", "lastEpoch"]); // "gamma"
 * ```
 */
export function suggest(name: string, allowed: readonly string[]): string | undefined {
  const given = normalise(name);
  const same = allowed.find((k) => normalise(k) === given);
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of allowed) {
    const d = editDistance(given, normalise(k));
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/**
 * Check that `options` is a plain object (or undefined) whose keys are all in `allowed`.
 *
 * @throws TypeError naming the unknown option and, when one is close, the option that was meant.
 * @example
 * ```ts
 * checkOptions("CosineAnnealingLR", { T_max: 10 }, ["tMax", "etaMin", "lastEpoch"]);
 * // TypeError: unknown option T_max for CosineAnnealingLR; did you mean tMax?
 * ```
 */
export function checkOptions(owner: string, options: unknown, allowed: readonly string[]): Options {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${owner} options must be an object, got ${typeName(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const meant = suggest(key, allowed);
    if (meant !== undefined)
      throw new TypeError(`unknown option ${key} for ${owner}; did you mean ${meant}?`);
    throw new TypeError(`unknown option ${key} for ${owner}; expected one of ${allowed.join(", ")}`);
  }
  return options as Options;
}

/**
 * Read a required option.
 *
 * @throws TypeError when the option is missing (like Python's missing-argument error).
 * @example
 * ```ts
 * const stepSize = required("StepLR", opts, "stepSize");
 * ```
 */
export function required(owner: string, options: Options, key: string): unknown {
  const value = options[key];
  if (value === undefined) throw new TypeError(`${owner} missing required option ${key}`);
  return value;
}

/**
 * Read a number option, falling back to `fallback` when absent.
 *
 * @throws TypeError when the value is present but not a number.
 * @example
 * ```ts
 * const gamma = numberOption("StepLR", opts, "gamma", 0.1);
 * ```
 */
export function numberOption(owner: string, options: Options, key: string, fallback?: number): number {
  const value = options[key] ?? fallback;
  if (value === undefined) throw new TypeError(`${owner} missing required option ${key}`);
  if (typeof value !== "number") {
    throw new TypeError(`${owner} option ${key} must be a number, got ${typeName(value)}`);
  }
  return value;
}

/**
 * Read an option that is one number or one number per parameter group (PyTorch's "float or list").
 *
 * @throws TypeError when the value is neither a number nor an array of numbers.
 * @example
 * ```ts
 * const maxLr = numberOrListOption("OneCycleLR", opts, "maxLr"); // 0.1 or [0.1, 1]
 * ```
 */
export function numberOrListOption(
  owner: string,
  options: Options,
  key: string,
  fallback?: number,
): number | number[] {
  const value = options[key] ?? fallback;
  if (value === undefined) throw new TypeError(`${owner} missing required option ${key}`);
  if (typeof value === "number") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "number")) return [...(value as number[])];
  throw new TypeError(
    `${owner} option ${key} must be a number or an array of numbers, got ${typeName(value)}`,
  );
}

/**
 * Read a boolean option, falling back to `fallback` when absent.
 *
 * @throws TypeError when the value is present but not a boolean.
 * @example
 * ```ts
 * const threePhase = booleanOption("OneCycleLR", opts, "threePhase", false);
 * ```
 */
export function booleanOption(owner: string, options: Options, key: string, fallback: boolean): boolean {
  const value = options[key] ?? fallback;
  if (typeof value !== "boolean") {
    throw new TypeError(`${owner} option ${key} must be a boolean, got ${typeName(value)}`);
  }
  return value;
}

/**
 * Read a string option, falling back to `fallback` when absent. Allowed values are checked by the
 * caller, with PyTorch's own message.
 *
 * @throws TypeError when the value is present but not a string.
 * @example
 * ```ts
 * const mode = stringOption("ReduceLROnPlateau", opts, "mode", "min");
 * ```
 */
export function stringOption(owner: string, options: Options, key: string, fallback: string): string {
  const value = options[key] ?? fallback;
  if (typeof value !== "string") {
    throw new TypeError(`${owner} option ${key} must be a string, got ${typeName(value)}`);
  }
  return value;
}

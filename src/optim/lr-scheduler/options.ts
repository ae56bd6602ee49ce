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

import { assertKnownOptions } from "../../util/options.js";
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
  assertKnownOptions(owner, options, allowed);
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

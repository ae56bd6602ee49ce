/**
 * Checks for the option bags that `nn` constructors and functions take in place of PyTorch's
 * keyword arguments: an unknown name is a TypeError that suggests the camelCase spelling
 * (`padding_mode` → "did you mean paddingMode?").
 *
 * @example
 * ```ts
 * checkOptions("Conv2d", { padding_mode: "zeros" }, ["stride", "paddingMode"]);
 * // TypeError: unknown option padding_mode for Conv2d; did you mean paddingMode?
 * ```
 * @module
 */

import { pyFloatRepr } from "../util/python-repr.js";

const normalise = (name: string): string => name.replace(/_/g, "").toLowerCase();

/**
 * Return `options` (or `{}`) after checking that it is a plain object whose keys are all allowed.
 *
 * @throws TypeError naming the unknown option and the option that was probably meant.
 * @example
 * ```ts
 * const o = checkOptions("Linear", { bias: false }, ["bias", "dtype"]);
 * ```
 */
export function checkOptions<T extends object>(
  owner: string,
  options: T | undefined | null,
  allowed: readonly string[],
): T {
  if (options === undefined || options === null) return {} as T;
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(
      `${owner} options must be an object, got ${Array.isArray(options) ? "array" : typeof options}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const meant = allowed.find((name) => normalise(name) === normalise(key));
    if (meant !== undefined)
      throw new TypeError(`unknown option ${key} for ${owner}; did you mean ${meant}?`);
    throw new TypeError(`unknown option ${key} for ${owner}; expected one of ${allowed.join(", ")}`);
  }
  return options;
}

/**
 * Python's `repr()` of a float for messages and module reprs (`2.0`, `1e-05`, `inf`), or `None`.
 *
 * @example
 * ```ts
 * pyFloat(1e-5); // "1e-05"
 * ```
 */
export function pyFloat(x: number | null | undefined): string {
  return x === null || x === undefined ? "None" : pyFloatRepr(x);
}

/** Python's `repr()` of a bool. @example pyBool(true) // "True" */
export function pyBool(x: boolean): string {
  return x ? "True" : "False";
}

/**
 * An int-or-tuple argument (PyTorch's `_pair`/`_single`) expanded to `n` entries.
 *
 * @throws TypeError when an array of the wrong length or a non-integer is given.
 * @example
 * ```ts
 * expandTuple(3, 2, "kernel_size"); // [3, 3]
 * ```
 */
export function expandTuple(value: number | readonly number[], n: number, name: string): number[] {
  const out = typeof value === "number" ? new Array<number>(n).fill(value) : [...value];
  if (out.length !== n || out.some((v) => typeof v !== "number" || !Number.isInteger(v))) {
    throw new TypeError(
      `${name} must be an integer or a list of ${n} integers, got ${JSON.stringify(value)}`,
    );
  }
  return out;
}

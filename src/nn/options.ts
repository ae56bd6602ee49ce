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

export { checkOptions } from "../util/options.js";

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

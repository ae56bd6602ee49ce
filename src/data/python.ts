/**
 * Python spellings of values for error messages that quote PyTorch's (`drop_last=False`,
 * `num_samples=None`), and Python's float `sum`.
 *
 * @module
 */

import { pyNumberRepr } from "../util/python-repr.js";

/**
 * A value as Python's `repr` would show it: `True`, `None`, `'text'`, `0.5`, `[1, 2]`.
 * @example pyRepr(false) // "False"
 */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return pyNumberRepr(value);
  if (typeof value === "string") return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  return String(value);
}

/**
 * Python's `sum()` of floats as of Python 3.12 (current): left to right with Neumaier's
 * compensation, the compensation added last unless it is zero or not finite. Python 3.11 and
 * older add naively; the two differ only in the last bits of sums like `[0.1] * 10`.
 * @example pySum([0.1, 0.2, 0.3, 0.4]) // 1
 */
export function pySum(values: readonly number[]): number {
  let f = 0;
  let c = 0;
  for (const x of values) {
    const t = f + x;
    if (Math.abs(f) >= Math.abs(x)) c += f - t + x;
    else c += x - t + f;
    f = t;
  }
  if (c !== 0 && Number.isFinite(c)) f += c;
  return f;
}

/**
 * Python's `math.isclose(a, b)` with its defaults (`rel_tol=1e-9`, `abs_tol=0`).
 * @example isClose(0.1 + 0.2, 0.3) // true
 */
export function isClose(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const diff = Math.abs(b - a);
  return diff <= Math.abs(1e-9 * b) || diff <= Math.abs(1e-9 * a);
}

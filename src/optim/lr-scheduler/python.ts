/**
 * Python number semantics the schedulers need to reproduce PyTorch exactly: floored `%` and `//`,
 * `bisect.bisect_right`, and `repr()` of numbers and types for error messages.
 *
 * @example
 * ```ts
 * pyMod(-5, 8); // 3, as in Python (JavaScript's -5 % 8 is -5)
 * ```
 * @module
 */

/**
 * Python's `a % b` for numbers: the result takes the sign of `b` (floored modulo).
 *
 * @example
 * ```ts
 * pyMod(-1, 4); // 3
 * ```
 */
export function pyMod(a: number, b: number): number {
  // JavaScript's % is C's fmod (exact); Python then moves a result of the wrong sign by one period.
  let m = a % b;
  if (m !== 0 && b < 0 !== m < 0) m += b;
  return m;
}

/**
 * Python's `a // b` (floored division) for integers.
 *
 * @example
 * ```ts
 * floorDiv(7, 3); // 2
 * ```
 */
export function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/**
 * Python's `bisect.bisect_right(sorted, x)`: the number of entries `<= x`.
 *
 * @example
 * ```ts
 * bisectRight([2, 5, 5, 9], 5); // 3
 * ```
 */
export function bisectRight(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < (sorted[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Python's `repr()` of a float: shortest round-trip digits, scientific notation below 1e-4 and from
 * 1e16 on, and always a decimal point or exponent (`2.0`, `1e-05`, `inf`).
 *
 * @example
 * ```ts
 * pyFloatRepr(2); // "2.0"
 * pyFloatRepr(0.00001); // "1e-05"
 * ```
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  // toExponential() without an argument gives the shortest digits that round-trip, as repr does.
  const [mantissa, expText] = x.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";
  if (exp < -4 || exp >= 16) {
    const frac = digits.length > 1 ? "." + digits.slice(1) : "";
    const e = Math.abs(exp) < 10 ? "0" + Math.abs(exp) : String(Math.abs(exp));
    return `${sign}${digits[0]}${frac}e${exp < 0 ? "-" : "+"}${e}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/**
 * How Python would print a value that may be an int or a float: integers as integers, other numbers
 * through {@link pyFloatRepr}, strings as they are, anything else through `String`.
 *
 * @example
 * ```ts
 * pyStr(3); // "3"
 * pyStr(2.5); // "2.5"
 * ```
 */
export function pyStr(x: unknown): string {
  if (typeof x === "number") return Number.isInteger(x) ? String(x) : pyFloatRepr(x);
  if (x === null || x === undefined) return "None";
  if (typeof x === "boolean") return x ? "True" : "False";
  return String(x);
}

/**
 * A short type name for messages, the JavaScript counterpart of Python's `type(x).__name__`.
 *
 * @example
 * ```ts
 * typeName([]); // "Array"
 * typeName(null); // "null"
 * ```
 */
export function typeName(x: unknown): string {
  if (x === null) return "null";
  if (typeof x === "function") return "function";
  if (typeof x === "object") {
    const ctor = (x as { constructor?: { name?: unknown } }).constructor;
    return typeof ctor?.name === "string" && ctor.name !== "" ? ctor.name : "Object";
  }
  return typeof x;
}

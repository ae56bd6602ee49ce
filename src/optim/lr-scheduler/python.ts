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

import { pyNumberRepr, pyFloatRepr as sharedPyFloatRepr } from "../../util/python-repr.js";

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
 * Python's `repr()` of a float (the library's shared implementation, re-exported for the schedulers).
 *
 * @example
 * ```ts
 * pyFloatRepr(2); // "2.0"
 * pyFloatRepr(0.00001); // "1e-05"
 * ```
 */
export const pyFloatRepr: (x: number) => string = sharedPyFloatRepr;

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
  if (typeof x === "number") return pyNumberRepr(x);
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

// Double-double helpers for pyLog: a value is hi + lo with |lo| ≤ ulp(hi)/2.
type DD = [number, number];

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function split(a: number): DD {
  const t = 134217729 * a; // 2^27 + 1: Dekker's splitter
  const hi = t - (t - a);
  return [hi, a - hi];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function ddAdd(x: DD, y: DD): DD {
  const [s, e] = twoSum(x[0], y[0]);
  return quickTwoSum(s, e + x[1] + y[1]);
}

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

function ddMul(x: DD, y: DD): DD {
  const [p, e] = twoProd(x[0], y[0]);
  return quickTwoSum(p, e + x[0] * y[1] + x[1] * y[0]);
}

function ddDiv(x: DD, y: DD): DD {
  const q1 = x[0] / y[0];
  const r = ddAdd(x, ddMul([-q1, 0], y));
  const q2 = r[0] / y[0];
  const r2 = ddAdd(r, ddMul([-q2, 0], y));
  const q3 = r2[0] / y[0];
  return ddAdd(quickTwoSum(q1, q2), [q3, 0]);
}

const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];

/**
 * The natural logarithm correctly rounded to a double, to stand in for glibc's `log` (Python's
 * `math.log`). `Math.log` is often one ulp off (V8 gives `Math.log(3)` one ulp low), which changes
 * `int(log(243) / log(3))` in CosineAnnealingWarmRestarts; this evaluates `ln x` in double-double
 * precision (≈106 bits) and rounds once. glibc is not correctly rounded in rare hard cases (measured:
 * 25 of 200,000 random doubles differ by one ulp, all with glibc at 0.5001–0.5005 ulp), so agreement
 * with Python is near-certain rather than guaranteed.
 *
 * @example
 * ```ts
 * pyLog(3); // 1.0986122886681098 (Math.log(3) is 1.0986122886681096)
 * ```
 */
export function pyLog(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log(x);
  // x = m·2^e with m in [√½, √2), so ln x = e·ln 2 + 2·atanh((m − 1)/(m + 1)) with a short series.
  let e = Math.floor(Math.log2(x));
  let m = x / 2 ** e;
  if (m >= Math.SQRT2) {
    m /= 2;
    e += 1;
  } else if (m < Math.SQRT1_2) {
    m *= 2;
    e -= 1;
  }
  const s = ddDiv([m - 1, 0], twoSum(m, 1)); // m − 1 is exact for m in [½, 2]
  const s2 = ddMul(s, s);
  let term = s;
  let sum: DD = s;
  for (let k = 3; k < 80; k += 2) {
    term = ddMul(term, s2);
    const add = ddDiv(term, [k, 0]);
    sum = ddAdd(sum, add);
    if (Math.abs(add[0]) < Math.abs(sum[0]) * 1e-34) break;
  }
  const result = ddAdd(ddMul([2, 0], sum), ddMul([e, 0], LN2));
  return result[0] + result[1];
}

/**
 * numpy's `str(array)` (`numpy/core/arrayprint.py`, 1.24): what `print(t.numpy())` shows after
 * `np.set_printoptions(...)`.
 */
import type { DType } from "../dtype.js";
import { signBit } from "../../util/python-repr.js";
import { ValueError } from "../../util/errors.js";
import { dragon4Positional, dragon4Scientific, type TrimMode } from "./dragon4.js";
import { keptIndices, rowMajorStrides, summarizedValues } from "./layout.js";
import { assertKnownOptions } from "../../util/options.js";

/** numpy's float modes: how many digits each float gets. */
export type FloatMode = "fixed" | "unique" | "maxprec" | "maxprec_equal";

/** numpy's print options, camelCased (`suppress` is `suppressSmall`, as in `array2string`). */
export interface NumpyPrintOptions {
  /** Digits after the point (at most, in the default "maxprec" mode). Default 8. */
  precision: number;
  /** Print tiny values as 0 rather than switching the array to scientific. Default false. */
  suppressSmall: boolean;
  /** Characters per line. Default 75. */
  linewidth: number;
  /** Arrays with more elements than this are summarised. Default 1000. */
  threshold: number;
  /** Items kept at each end of a summarised axis. Default 3. */
  edgeitems: number;
  /** Default "maxprec": up to `precision` digits, as few as identify each value. */
  floatmode: FloatMode;
  /** "-" (default): sign only for negatives; "+": always; " ": a space for positives. */
  sign: "-" | "+" | " ";
}

const DEFAULTS: NumpyPrintOptions = {
  precision: 8,
  suppressSmall: false,
  linewidth: 75,
  threshold: 1000,
  edgeitems: 3,
  floatmode: "maxprec",
  sign: "-",
};

const OPTION_NAMES = Object.keys(DEFAULTS);
const FLOAT_MODES: readonly FloatMode[] = ["fixed", "unique", "maxprec", "maxprec_equal"];

function resolveOptions(options: Partial<NumpyPrintOptions>): NumpyPrintOptions {
  const fn = "array2string";
  assertKnownOptions(fn, options, OPTION_NAMES);
  const opts: NumpyPrintOptions = { ...DEFAULTS };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (opts as unknown as Record<string, unknown>)[key] = value;
  }
  const count = (name: "precision" | "linewidth" | "edgeitems", min: number) => {
    const v = opts[name];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
      throw new TypeError(`${fn}(): ${name} must be an integer >= ${min}, got ${String(v)}`);
    }
  };
  count("precision", 0);
  count("linewidth", 1);
  count("edgeitems", 1);
  if (typeof opts.threshold !== "number" || Number.isNaN(opts.threshold)) {
    throw new TypeError(
      `${fn}(): threshold must be a number (Infinity for no summary), got ${String(opts.threshold)}`,
    );
  }
  if (typeof opts.suppressSmall !== "boolean") {
    throw new TypeError(`${fn}(): suppressSmall must be a boolean, got ${String(opts.suppressSmall)}`);
  }
  if (!FLOAT_MODES.includes(opts.floatmode)) {
    throw new ValueError(`floatmode option must be one of ${FLOAT_MODES.map((m) => `"${m}"`).join(", ")}`);
  }
  if (!["-", "+", " "].includes(opts.sign)) {
    throw new ValueError("sign option must be one of ' ', '+', or '-'");
  }
  return opts;
}

/** numpy's `FloatingFormat`: one style and padding for every float of the array. */
class FloatFormat {
  private precision: number;
  private minDigits = -1;
  private trim: TrimMode = ".";
  private unique = true;
  private expFormat = false;
  private padLeft = 0;
  private padRight = 0;
  private expSize = -1;

  constructor(
    data: readonly number[],
    private readonly float32: boolean,
    private readonly opts: NumpyPrintOptions,
  ) {
    this.precision = opts.floatmode === "unique" ? -1 : opts.precision;
    this.fill(data);
  }

  private fill(data: readonly number[]): void {
    const { floatmode, suppressSmall, sign } = this.opts;
    const plus = sign === "+";
    const finite = data.filter((v) => Number.isFinite(v));
    let max = 0;
    let min = Infinity;
    for (const v of finite) {
      if (v === 0) continue;
      const a = Math.abs(v);
      if (a > max) max = a;
      if (a < min) min = a;
    }
    if (max > 0) {
      // numpy divides in the array's dtype; a float32 quotient is the rounded double quotient.
      const ratio = this.float32 ? Math.fround(max / min) : max / min;
      if (max >= 1e8 || (!suppressSmall && (min < 1e-4 || ratio > 1000))) this.expFormat = true;
    }

    const float32 = this.float32;
    if (finite.length === 0) {
      this.padLeft = 0;
      this.padRight = 0;
      this.trim = ".";
      this.expSize = -1;
      this.unique = true;
      this.minDigits = -1;
    } else if (this.expFormat) {
      const fixed = floatmode === "fixed";
      const unique = !fixed;
      const trim: TrimMode = fixed ? "k" : ".";
      let intWidth = 0;
      let fracWidth = 0;
      let expWidth = 0;
      for (const x of finite) {
        const s = dragon4Scientific(x, { float32, precision: this.precision, unique, trim, sign: plus });
        const e = s.indexOf("e");
        const mantissa = s.slice(0, e);
        const dot = mantissa.indexOf(".");
        intWidth = Math.max(intWidth, dot);
        fracWidth = Math.max(fracWidth, mantissa.length - dot - 1);
        expWidth = Math.max(expWidth, s.length - e - 1);
      }
      this.expSize = expWidth - 1;
      this.trim = "k";
      this.precision = fracWidth;
      this.minDigits = fracWidth;
      this.unique = unique;
      this.padLeft = intWidth;
      this.padRight = this.expSize + 2 + this.precision;
    } else {
      const fixed = floatmode === "fixed";
      const unique = !fixed;
      const trim: TrimMode = fixed ? "k" : ".";
      let intWidth = 0;
      let fracWidth = 0;
      for (const x of finite) {
        const s = dragon4Positional(x, {
          float32,
          precision: this.precision,
          fractional: true,
          unique,
          trim,
          sign: plus,
        });
        const dot = s.indexOf(".");
        intWidth = Math.max(intWidth, dot);
        fracWidth = Math.max(fracWidth, s.length - dot - 1);
      }
      this.padLeft = intWidth;
      this.padRight = fracWidth;
      this.expSize = -1;
      this.unique = unique;
      if (floatmode === "fixed" || floatmode === "maxprec_equal") {
        this.precision = fracWidth;
        this.minDigits = fracWidth;
        this.trim = "k";
      } else {
        this.trim = ".";
        this.minDigits = 0;
      }
    }
    if (sign === " " && !finite.some(signBit)) this.padLeft += 1;
    if (finite.length !== data.length) {
      const negInf = sign !== "-" || data.some((v) => v === -Infinity);
      const offset = this.padRight + 1;
      this.padLeft = Math.max(this.padLeft, 3 - offset, 3 + (negInf ? 1 : 0) - offset);
    }
  }

  format(x: number): string {
    const plus = this.opts.sign === "+";
    if (!Number.isFinite(x)) {
      const text = Number.isNaN(x) ? (plus ? "+nan" : "nan") : (x < 0 ? "-" : plus ? "+" : "") + "inf";
      const width = this.padLeft + this.padRight + 1;
      return text.length < width ? " ".repeat(width - text.length) + text : text;
    }
    const common = {
      float32: this.float32,
      precision: this.precision,
      minDigits: this.minDigits,
      unique: this.unique,
      trim: this.trim,
      sign: plus,
      padLeft: this.padLeft,
    };
    if (this.expFormat) return dragon4Scientific(x, { ...common, expDigits: this.expSize });
    return dragon4Positional(x, { ...common, fractional: true, padRight: this.padRight });
  }
}

function elementFormatter(
  data: readonly number[],
  dtype: DType,
  opts: NumpyPrintOptions,
): (x: number) => string {
  if (dtype === "bool") return (x) => (x ? " True" : "False");
  if (dtype === "int32") {
    let width = 0;
    for (const v of data) width = Math.max(width, String(v).length);
    return (x) => String(x).padStart(width, " ");
  }
  const f = new FloatFormat(data, dtype === "float32", opts);
  return (x) => f.format(x);
}

/** numpy's `str()` of a 0-d array: the scalar's own str, which ignores the print options. */
function scalarStr(x: number, dtype: DType): string {
  if (dtype === "bool") return x ? "True" : "False";
  if (dtype === "int32") return String(x);
  const float32 = dtype === "float32";
  const a = Math.abs(x);
  if (!Number.isFinite(x) || a === 0 || (a >= 1e-4 && a < 1e16)) {
    return dragon4Positional(x, { float32, trim: "0", fractional: false });
  }
  return dragon4Scientific(x, { float32, trim: "-" });
}

/** One line-wrapping step of numpy's `_extendLine`. */
function extendLine(
  state: { s: string; line: string },
  word: string,
  lineWidth: number,
  nextLinePrefix: string,
): void {
  const needsWrap = state.line.length + word.length > lineWidth && state.line.length > nextLinePrefix.length;
  if (needsWrap) {
    state.s += state.line.trimEnd() + "\n";
    state.line = nextLinePrefix;
  }
  state.line += word;
}

/**
 * numpy's `str(a)` for an array of the given shape and dtype with row-major `values`: float32
 * values print as numpy float32 (their own shortest digits), float64 as float64, int32 as numpy
 * int64 and bool as bool. A 0-d array prints as its scalar, as `str()` does.
 *
 * @example
 * ```ts
 * formatNumpy([0.5, -1, 1e-9], [3], "float64", { precision: 4, suppressSmall: true });
 * // "[ 0.5 -1.   0. ]"
 * formatNumpy([1, 2, 3, 4], [2, 2], "int32"); // "[[1 2]\n [3 4]]"
 * ```
 */
export function formatNumpy(
  values: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
  options: Partial<NumpyPrintOptions> = {},
): string {
  const opts = resolveOptions(options);
  const size = shape.reduce((a, b) => a * b, 1);
  if (values.length < size) {
    throw new RangeError(
      `formatNumpy: shape [${shape.join(", ")}] needs ${size} values, got ${values.length}`,
    );
  }
  if (shape.length === 0) return scalarStr(values[0] as number, dtype);
  if (size === 0) return "[]";

  const summarize = size > opts.threshold;
  const format = elementFormatter(summarizedValues(values, shape, opts.edgeitems, summarize), dtype, opts);
  const strides = rowMajorStrides(shape);

  const recurse = (dim: number, offset: number, hangingIndent: string, currWidth: number): string => {
    const axesLeft = shape.length - dim;
    if (axesLeft === 0) return format(values[offset] as number);
    const nextHanging = hangingIndent + " ";
    const nextWidth = currWidth - 1; // room for the closing "]"
    const stride = strides[dim] as number;
    const { leading, trailing, elided } = keptIndices(shape[dim] as number, opts.edgeitems, summarize);
    const items: Array<number | null> = elided ? [...leading, null, ...trailing] : leading;
    let body: string;
    if (axesLeft === 1) {
      // The separator " " strips to nothing, so each element may use all but the "]".
      const elemWidth = currWidth - 1;
      const state = { s: "", line: hangingIndent };
      items.forEach((i, k) => {
        const word = i === null ? "..." : recurse(dim + 1, offset + i * stride, nextHanging, nextWidth);
        extendLine(state, word, elemWidth, hangingIndent);
        if (k < items.length - 1) state.line += " ";
      });
      body = state.s + state.line;
    } else {
      const lineSep = "\n".repeat(axesLeft - 1);
      body = items
        .map(
          (i) =>
            hangingIndent +
            (i === null ? "..." : recurse(dim + 1, offset + i * stride, nextHanging, nextWidth)),
        )
        .join(lineSep);
    }
    return "[" + body.slice(hangingIndent.length) + "]";
  };
  return recurse(0, 0, " ", opts.linewidth);
}

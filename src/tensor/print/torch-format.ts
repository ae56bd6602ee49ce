/**
 * PyTorch's tensor repr (`torch/_tensor_str.py`, 1.13): `tensor([...], dtype=..., grad_fn=<...>)`.
 */
import { getDefaultDtype, torchName, type DType } from "../dtype.js";
import { formatExp, formatFixed } from "../../util/python-repr.js";
import { keptIndices, rowMajorStrides, summarizedValues } from "./layout.js";
import { assertKnownOptions } from "../../util/options.js";
import { getPrintOptions, type PrintOptions } from "./print-options.js";

/**
 * What the printer needs from a tensor. A Tensor hands over its contiguous row-major values;
 * bool tensors give 0/1, int32 tensors print as the PyTorch int64 tensor with the same values.
 *
 * @example
 * ```ts
 * const printable: PrintableTensor = {
 *   shape: t.shape, dtype: t.dtype, values: t.contiguous().data,
 *   requiresGrad: t.requiresGrad, gradFnName: t.gradFn?.name ?? null,
 * };
 * ```
 */
export interface PrintableTensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Row-major contiguous values; float32 values as their exact doubles. */
  readonly values: ArrayLike<number>;
  /** Adds `requires_grad=True` when there is no `gradFnName`. */
  readonly requiresGrad?: boolean;
  /** The backward node's class name (`AddBackward0`); non-null for non-leaves. */
  readonly gradFnName?: string | null;
  /** Print as an `nn.Parameter` does: `Parameter containing:` on a line before the tensor. */
  readonly isParameter?: boolean;
}

/** PyTorch's `_Formatter`: decides integer, fixed or scientific style and the column width. */
class TorchFormatter {
  private readonly floating: boolean;
  private readonly dtype: DType;
  private readonly precision: number;
  private intMode = true;
  private sciMode = false;
  private maxWidth = 1;

  constructor(values: readonly number[], dtype: DType, opts: PrintOptions) {
    this.dtype = dtype;
    this.floating = dtype === "float32" || dtype === "float64";
    this.precision = opts.precision;
    if (!this.floating) {
      for (const v of values) this.maxWidth = Math.max(this.maxWidth, this.plain(v).length);
      return;
    }
    const nonzeroFinite = values.filter((v) => Number.isFinite(v) && v !== 0);
    // With nothing to measure PyTorch returns before honouring sci_mode.
    if (nonzeroFinite.length === 0) return;
    let max = 0;
    let min = Infinity;
    for (const v of nonzeroFinite) {
      const a = Math.abs(v);
      if (a > max) max = a;
      if (a < min) min = a;
    }
    this.intMode = nonzeroFinite.every((v) => v === Math.ceil(v));
    const p = this.precision;
    if (this.intMode) {
      if (max / min > 1000 || max > 1e8) {
        this.sciMode = true;
        for (const v of nonzeroFinite) this.maxWidth = Math.max(this.maxWidth, formatExp(v, p).length);
      } else {
        for (const v of nonzeroFinite) this.maxWidth = Math.max(this.maxWidth, formatFixed(v, 0).length + 1);
      }
    } else if (max / min > 1000 || max > 1e8 || min < 1e-4) {
      this.sciMode = true;
      for (const v of nonzeroFinite) this.maxWidth = Math.max(this.maxWidth, formatExp(v, p).length);
    } else {
      for (const v of nonzeroFinite) this.maxWidth = Math.max(this.maxWidth, formatFixed(v, p).length);
    }
    if (opts.sciMode !== null) this.sciMode = opts.sciMode;
  }

  width(): number {
    return this.maxWidth;
  }

  private plain(v: number): string {
    if (this.dtype === "bool") return v ? "True" : "False";
    return String(v);
  }

  format(v: number): string {
    let text: string;
    if (!this.floating) text = this.plain(v);
    else if (this.sciMode) text = formatExp(v, this.precision);
    else if (this.intMode) text = formatFixed(v, 0) + (Number.isFinite(v) ? "." : "");
    else text = formatFixed(v, this.precision);
    return text.length < this.maxWidth ? " ".repeat(this.maxWidth - text.length) + text : text;
  }
}

function tensorBody(t: PrintableTensor, indent: number, opts: PrintOptions): string {
  const { shape, values } = t;
  const summarize = values.length > opts.threshold;
  const formatter = new TorchFormatter(
    summarizedValues(values, shape, opts.edgeitems, summarize),
    t.dtype,
    opts,
  );
  const strides = rowMajorStrides(shape);

  const vector = (offset: number, size: number, stride: number, ind: number): string => {
    const elementLength = formatter.width() + 2;
    const perLine = Math.max(1, Math.floor((opts.linewidth - ind) / elementLength));
    const { leading, trailing, elided } = keptIndices(size, opts.edgeitems, summarize);
    const data = leading.map((i) => formatter.format(values[offset + i * stride] as number));
    if (elided)
      data.push(" ...", ...trailing.map((i) => formatter.format(values[offset + i * stride] as number)));
    const lines: string[] = [];
    for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(", "));
    return "[" + lines.join(",\n" + " ".repeat(ind + 1)) + "]";
  };

  const recurse = (dim: number, offset: number, ind: number): string => {
    const left = shape.length - dim;
    if (left === 0) return formatter.format(values[offset] as number);
    const size = shape[dim] as number;
    const stride = strides[dim] as number;
    if (left === 1) return vector(offset, size, stride, ind);
    const { leading, trailing, elided } = keptIndices(size, opts.edgeitems, summarize);
    const slices = leading.map((i) => recurse(dim + 1, offset + i * stride, ind + 1));
    if (elided) slices.push("...", ...trailing.map((i) => recurse(dim + 1, offset + i * stride, ind + 1)));
    return "[" + slices.join("," + "\n".repeat(left - 1) + " ".repeat(ind + 1)) + "]";
  };

  return recurse(0, 0, indent);
}

function addSuffixes(text: string, suffixes: readonly string[], indent: number, linewidth: number): string {
  const parts = [text];
  // Python's `len(s) - s.rfind("\n") + 1`, which over-counts by two when there is no newline.
  let lastLineLength = text.length - text.lastIndexOf("\n") + 1;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > linewidth) {
      parts.push(",\n" + " ".repeat(indent) + suffix);
      lastLineLength = indent + suffix.length;
    } else {
      parts.push(", " + suffix);
      lastLineLength += suffix.length + 2;
    }
  }
  parts.push(")");
  return parts.join("");
}

function shapeTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/**
 * The string PyTorch 1.13 prints for a tensor (`repr(t)`), under the global print options
 * (see `setPrintOptions`) with any overrides in `options`.
 *
 * @example
 * ```ts
 * formatTorch({ shape: [2], dtype: "float32", values: [1, 2.5] }); // "tensor([1.0000, 2.5000])"
 * formatTorch({ shape: [], dtype: "float64", values: [3], requiresGrad: true });
 * // "tensor(3., dtype=torch.float64, requires_grad=True)"
 * ```
 */
export function formatTorch(t: PrintableTensor, options: Partial<PrintOptions> = {}): string {
  assertKnownOptions("formatTorch", options, ["precision", "threshold", "edgeitems", "linewidth", "sciMode"]);
  const opts: PrintOptions = getPrintOptions();
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (opts as unknown as Record<string, unknown>)[key] = value;
  }
  const numel = t.shape.reduce((a, b) => a * b, 1);
  if (t.values.length < numel) {
    throw new RangeError(
      `formatTorch: shape [${t.shape.join(", ")}] needs ${numel} values, got ${t.values.length}`,
    );
  }
  const prefix = "tensor(";
  const indent = prefix.length;
  const suffixes: string[] = [];
  const defaultDtype = getDefaultDtype();
  let body: string;
  if (numel === 0) {
    // An empty tensor shows its shape (unless it is (0,)) and any dtype but the default float.
    if (t.shape.length !== 1) suffixes.push(`size=${shapeTuple(t.shape)}`);
    if (t.dtype !== defaultDtype) suffixes.push(`dtype=${torchName(t.dtype)}`);
    body = "[]";
  } else {
    const values = t.values.length === numel ? t.values : Array.prototype.slice.call(t.values, 0, numel);
    const impliedDtype = t.dtype === defaultDtype || t.dtype === "int32" || t.dtype === "bool";
    if (!impliedDtype) suffixes.push(`dtype=${torchName(t.dtype)}`);
    body = tensorBody({ ...t, values }, indent, opts);
  }
  if (t.gradFnName != null) suffixes.push(`grad_fn=<${t.gradFnName}>`);
  else if (t.requiresGrad) suffixes.push("requires_grad=True");
  const repr = addSuffixes(prefix + body, suffixes, indent, opts.linewidth);
  return t.isParameter ? "Parameter containing:\n" + repr : repr;
}

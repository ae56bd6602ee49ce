import type { Tensor } from "../../tensor/tensor.js";
import * as F from "../functional/pooling.js";
import { Module } from "../module.js";
import { checkOptions, expandTuple } from "../options.js";

const tuple = (v: number | readonly number[] | null | undefined): string =>
  v === null || v === undefined ? "None" : typeof v === "number" ? String(v) : `(${v.join(", ")})`;

/** Options of the max-pooling layers, with PyTorch's defaults. */
export type MaxPoolLayerOptions = F.MaxPoolOptions;
/** Options of the average-pooling layers, with PyTorch's defaults. */
export type AvgPoolLayerOptions = F.AvgPoolOptions;

const MAX = ["stride", "padding", "dilation", "ceilMode", "returnIndices"] as const;
const AVG = ["stride", "padding", "ceilMode", "countIncludePad", "divisorOverride"] as const;

/**
 * 2-D max pooling (PyTorch's `nn.MaxPool2d`); with `returnIndices`, `forward` returns
 * `[values, indices]`.
 *
 * @example
 * ```ts
 * const pool = new nn.MaxPool2d(2);                       // stride defaults to the kernel size
 * const pool3 = new nn.MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true });
 * ```
 */
export class MaxPool2d extends Module {
  readonly kernelSize: number | readonly number[];
  readonly options: Readonly<MaxPoolLayerOptions>;

  constructor(kernelSize: number | readonly number[], options: MaxPoolLayerOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.options = { ...checkOptions("MaxPool2d", options, MAX) };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- values, or [values, indices]
  override forward(input: Tensor): any {
    return F.maxPool2d(input, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    const o = this.options;
    return `kernel_size=${tuple(this.kernelSize)}, stride=${tuple(o.stride ?? this.kernelSize)}, padding=${tuple(o.padding ?? 0)}, dilation=${tuple(o.dilation ?? 1)}, ceil_mode=${o.ceilMode ? "True" : "False"}`;
  }
}

/**
 * 1-D max pooling (PyTorch's `nn.MaxPool1d`).
 *
 * @example
 * ```ts
 * const pool = new nn.MaxPool1d(3, { stride: 2 });
 * ```
 */
export class MaxPool1d extends Module {
  readonly kernelSize: number;
  readonly options: Readonly<MaxPoolLayerOptions>;

  constructor(kernelSize: number, options: MaxPoolLayerOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.options = { ...checkOptions("MaxPool1d", options, MAX) };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- values, or [values, indices]
  override forward(input: Tensor): any {
    return F.maxPool1d(input, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    const o = this.options;
    return `kernel_size=${tuple(this.kernelSize)}, stride=${tuple(o.stride ?? this.kernelSize)}, padding=${tuple(o.padding ?? 0)}, dilation=${tuple(o.dilation ?? 1)}, ceil_mode=${o.ceilMode ? "True" : "False"}`;
  }
}

/**
 * 2-D average pooling (PyTorch's `nn.AvgPool2d`).
 *
 * @example
 * ```ts
 * const pool = new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false });
 * ```
 */
export class AvgPool2d extends Module {
  readonly kernelSize: number | readonly number[];
  readonly options: Readonly<AvgPoolLayerOptions>;

  constructor(kernelSize: number | readonly number[], options: AvgPoolLayerOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.options = { ...checkOptions("AvgPool2d", options, AVG) };
  }

  override forward(input: Tensor): Tensor {
    return F.avgPool2d(input, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    const o = this.options;
    return `kernel_size=${tuple(this.kernelSize)}, stride=${tuple(o.stride ?? this.kernelSize)}, padding=${tuple(o.padding ?? 0)}`;
  }
}

/**
 * 1-D average pooling (PyTorch's `nn.AvgPool1d`).
 *
 * @example
 * ```ts
 * const pool = new nn.AvgPool1d(2);
 * ```
 */
export class AvgPool1d extends Module {
  readonly kernelSize: number;
  readonly options: Readonly<AvgPoolLayerOptions>;

  constructor(kernelSize: number, options: AvgPoolLayerOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.options = { ...checkOptions("AvgPool1d", options, AVG) };
  }

  override forward(input: Tensor): Tensor {
    return F.avgPool1d(input, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    const o = this.options;
    return `kernel_size=(${this.kernelSize},), stride=(${expandTuple(o.stride ?? this.kernelSize, 1, "stride")[0]},), padding=(${expandTuple(o.padding ?? 0, 1, "padding")[0]},)`;
  }
}

/**
 * 2-D adaptive average pooling to a fixed output size (PyTorch's `nn.AdaptiveAvgPool2d`); a null
 * size keeps the input's.
 *
 * @example
 * ```ts
 * const gap = new nn.AdaptiveAvgPool2d(1); // global average pooling
 * ```
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: F.AdaptiveSize;

  constructor(outputSize: F.AdaptiveSize) {
    super();
    this.outputSize = outputSize;
  }

  override forward(input: Tensor): Tensor {
    return F.adaptiveAvgPool2d(input, this.outputSize);
  }

  override extraRepr(): string {
    const s = this.outputSize;
    return `output_size=${typeof s === "number" ? s : `(${[...s].map((v) => (v === null ? "None" : v)).join(", ")})`}`;
  }
}

/**
 * 1-D adaptive average pooling (PyTorch's `nn.AdaptiveAvgPool1d`).
 *
 * @example
 * ```ts
 * const pool = new nn.AdaptiveAvgPool1d(4);
 * ```
 */
export class AdaptiveAvgPool1d extends Module {
  readonly outputSize: number;

  constructor(outputSize: number) {
    super();
    this.outputSize = outputSize;
  }

  override forward(input: Tensor): Tensor {
    return F.adaptiveAvgPool1d(input, this.outputSize);
  }

  override extraRepr(): string {
    return `output_size=${this.outputSize}`;
  }
}

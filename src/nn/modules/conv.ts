import { getDefaultDtype, type FloatDType } from "../../tensor/dtype.js";
import { Tensor } from "../../tensor/tensor.js";
import { ValueError } from "../../util/errors.js";
import { conv1d, conv2d, type ConvPadding } from "../functional/conv.js";
import { pad, type PadMode } from "../functional/pad.js";
import * as init from "../init.js";
import { Module } from "../module.js";
import { checkOptions, expandTuple } from "../options.js";
import { Parameter } from "../parameter.js";

/** How a convolution pads its input: zeros, or one of `F.pad`'s modes. */
export type PaddingMode = "zeros" | Exclude<PadMode, "constant">;

/** Options of {@link Conv1d} and {@link Conv2d}, with PyTorch's defaults. */
export interface ConvLayerOptions {
  /** Step between windows (default 1). */
  stride?: number | readonly number[];
  /** Padding on both sides, or `"same"`/`"valid"` (default 0). */
  padding?: ConvPadding;
  /** Spacing between kernel elements (default 1). */
  dilation?: number | readonly number[];
  /** Blocked connections between input and output channels (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** How to pad: `"zeros"` (default), `"reflect"`, `"replicate"` or `"circular"`. */
  paddingMode?: PaddingMode;
  /** Parameter dtype (default: the default dtype). */
  dtype?: FloatDType;
}

const OPTIONS = ["stride", "padding", "dilation", "groups", "bias", "paddingMode", "dtype"] as const;

const tuple = (v: readonly number[]): string => (v.length === 1 ? `(${v[0]},)` : `(${v.join(", ")})`);

/** Shared implementation of the convolution layers (PyTorch's `_ConvNd`). */
abstract class ConvNd extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | "same" | "valid";
  readonly dilation: number[];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  /** The learnable weight [out, in/groups, ...kernel]. */
  weight: Parameter;
  /** The learnable bias [out], or null. */
  bias: Parameter | null;
  /** F.pad's argument for non-zero padding modes: (before, after) pairs from the last dim. */
  private readonly reversedPadding: number[];

  constructor(
    name: string,
    n: number,
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvLayerOptions,
  ) {
    super();
    const o = checkOptions(name, options, OPTIONS);
    const groups = o.groups ?? 1;
    if (!Number.isInteger(groups) || groups <= 0) throw new ValueError("groups must be a positive integer");
    if (inChannels % groups !== 0) throw new ValueError("in_channels must be divisible by groups");
    if (outChannels % groups !== 0) throw new ValueError("out_channels must be divisible by groups");
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = expandTuple(kernelSize, n, "kernel_size");
    this.stride = expandTuple(o.stride ?? 1, n, "stride");
    this.dilation = expandTuple(o.dilation ?? 1, n, "dilation");
    this.groups = groups;
    const padding = o.padding ?? 0;
    if (typeof padding === "string") {
      if (padding !== "same" && padding !== "valid") {
        throw new ValueError(`Invalid padding string '${padding}', should be one of {'valid', 'same'}`);
      }
      if (padding === "same" && this.stride.some((s) => s !== 1)) {
        throw new ValueError("padding='same' is not supported for strided convolutions");
      }
      this.padding = padding;
    } else this.padding = expandTuple(padding, n, "padding");
    const mode = o.paddingMode ?? "zeros";
    if (!["zeros", "reflect", "replicate", "circular"].includes(mode)) {
      throw new ValueError(
        `padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='${mode}'`,
      );
    }
    this.paddingMode = mode;
    this.reversedPadding = new Array<number>(2 * n).fill(0);
    for (let d = 0; d < n; d++) {
      const at = 2 * (n - 1 - d);
      if (this.padding === "same") {
        const total = (this.dilation[d] as number) * ((this.kernelSize[d] as number) - 1);
        this.reversedPadding[at] = Math.floor(total / 2);
        this.reversedPadding[at + 1] = total - Math.floor(total / 2);
      } else if (this.padding !== "valid") {
        this.reversedPadding[at] = this.padding[d] as number;
        this.reversedPadding[at + 1] = this.padding[d] as number;
      }
    }
    const dtype = o.dtype ?? getDefaultDtype();
    this.weight = new Parameter(Tensor._empty([outChannels, inChannels / groups, ...this.kernelSize], dtype));
    if (o.bias ?? true) this.bias = new Parameter(Tensor._empty([outChannels], dtype));
    else {
      this.registerParameter("bias", null);
      this.bias = null;
    }
    this.resetParameters();
  }

  /** Re-draw the parameters as the constructor does (PyTorch's `reset_parameters`). */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = init.calculateFanInAndFanOut(this.weight);
      if (fanIn !== 0) {
        const bound = 1 / Math.sqrt(fanIn);
        init.uniform_(this.bias, -bound, bound);
      }
    }
  }

  protected abstract conv(input: Tensor, padding: ConvPadding): Tensor;

  override forward(input: Tensor): Tensor {
    if (this.paddingMode !== "zeros")
      return this.conv(pad(input, this.reversedPadding, { mode: this.paddingMode }), 0);
    return this.conv(input, this.padding);
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${tuple(this.kernelSize)}, stride=${tuple(this.stride)}`;
    if (typeof this.padding === "string") s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${tuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${tuple(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    if (this.paddingMode !== "zeros") s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}

/**
 * 1-D convolution over [N, C, L] (PyTorch's `nn.Conv1d`), initialised as PyTorch does.
 *
 * @example
 * ```ts
 * const conv = new nn.Conv1d(16, 33, 3, { stride: 2 });
 * ```
 */
export class Conv1d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvLayerOptions = {},
  ) {
    super("Conv1d", 1, inChannels, outChannels, kernelSize, options);
  }

  protected override conv(input: Tensor, padding: ConvPadding): Tensor {
    return conv1d(input, this.weight, this.bias, {
      stride: this.stride,
      padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}

/**
 * 2-D convolution over [N, C, H, W] (PyTorch's `nn.Conv2d`): stride, padding (including
 * `"same"`/`"valid"` and the non-zero padding modes), dilation, groups and bias, initialised by
 * `kaiming_uniform_(a=√5)` and U(−1/√fanIn, 1/√fanIn) exactly as PyTorch draws them.
 *
 * @example
 * ```ts
 * const conv = new nn.Conv2d(3, 16, 3, { padding: 1 });
 * const y = conv.forward(images); // [N, 16, H, W]
 * ```
 */
export class Conv2d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvLayerOptions = {},
  ) {
    super("Conv2d", 2, inChannels, outChannels, kernelSize, options);
  }

  protected override conv(input: Tensor, padding: ConvPadding): Tensor {
    return conv2d(input, this.weight, this.bias, {
      stride: this.stride,
      padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}

import { getDefaultDtype, type FloatDType } from "../../tensor/dtype.js";
import { Tensor } from "../../tensor/tensor.js";
import { ValueError } from "../../util/errors.js";
import { groupNorm, layerNorm, rmsNorm } from "../functional/normalization.js";
import * as init from "../init.js";
import { Module } from "../module.js";
import { checkOptions, pyBool, pyFloat } from "../options.js";
import { Parameter } from "../parameter.js";

const shapeOf = (s: number | readonly number[]): number[] => (typeof s === "number" ? [s] : [...s]);
const tuple = (v: readonly number[]): string => (v.length === 1 ? `(${v[0]},)` : `(${v.join(", ")})`);

/** Options of {@link LayerNorm}, with PyTorch's defaults. */
export interface LayerNormLayerOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn γ (and β) of the normalized shape (default true). */
  elementwiseAffine?: boolean;
  /** Learn β when affine (default true). */
  bias?: boolean;
  /** Parameter dtype (default: the default dtype). */
  dtype?: FloatDType;
}

/**
 * Layer normalisation over the trailing `normalizedShape` dims (PyTorch's `nn.LayerNorm`), with
 * γ = 1 and β = 0 at init.
 *
 * @example
 * ```ts
 * const ln = new nn.LayerNorm(512);
 * ```
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  eps: number;
  readonly elementwiseAffine: boolean;
  /** γ, or null without `elementwiseAffine`. */
  weight: Parameter | null;
  /** β, or null. */
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormLayerOptions = {}) {
    super();
    const o = checkOptions("LayerNorm", options, ["eps", "elementwiseAffine", "bias", "dtype"]);
    const dtype = o.dtype ?? getDefaultDtype();
    this.normalizedShape = shapeOf(normalizedShape);
    this.eps = o.eps ?? 1e-5;
    this.elementwiseAffine = o.elementwiseAffine ?? true;
    if (this.elementwiseAffine) {
      this.weight = new Parameter(Tensor._empty(this.normalizedShape, dtype));
      if (o.bias ?? true) this.bias = new Parameter(Tensor._empty(this.normalizedShape, dtype));
      else {
        this.registerParameter("bias", null);
        this.bias = null;
      }
    } else {
      this.registerParameter("weight", null);
      this.registerParameter("bias", null);
      this.weight = null;
      this.bias = null;
    }
    this.resetParameters();
  }

  /** γ = 1, β = 0. */
  resetParameters(): void {
    if (this.weight) init.ones_(this.weight);
    if (this.bias) init.zeros_(this.bias);
  }

  override forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${tuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}

/** Options of {@link GroupNorm}, with PyTorch's defaults. */
export interface GroupNormLayerOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn per-channel γ and β (default true). */
  affine?: boolean;
  /** Parameter dtype (default: the default dtype). */
  dtype?: FloatDType;
}

/**
 * Group normalisation (PyTorch's `nn.GroupNorm`): channels split into `numGroups` groups, each
 * normalised over its channels and spatial positions.
 *
 * @example
 * ```ts
 * const gn = new nn.GroupNorm(4, 32);
 * ```
 */
export class GroupNorm extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(numGroups: number, numChannels: number, options: GroupNormLayerOptions = {}) {
    super();
    const o = checkOptions("GroupNorm", options, ["eps", "affine", "dtype"]);
    if (numChannels % numGroups !== 0) throw new ValueError("num_channels must be divisible by num_groups");
    const dtype = o.dtype ?? getDefaultDtype();
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = o.eps ?? 1e-5;
    this.affine = o.affine ?? true;
    if (this.affine) {
      this.weight = new Parameter(Tensor._empty([numChannels], dtype));
      this.bias = new Parameter(Tensor._empty([numChannels], dtype));
    } else {
      this.registerParameter("weight", null);
      this.registerParameter("bias", null);
      this.weight = null;
      this.bias = null;
    }
    this.resetParameters();
  }

  /** γ = 1, β = 0. */
  resetParameters(): void {
    if (this.weight) init.ones_(this.weight);
    if (this.bias) init.zeros_(this.bias);
  }

  override forward(input: Tensor): Tensor {
    return groupNorm(input, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}

/** Options of {@link RMSNorm}, with PyTorch's defaults. */
export interface RMSNormLayerOptions {
  /** Added to the mean square; null means the dtype's machine epsilon (default null). */
  eps?: number | null;
  /** Learn γ (default true). */
  elementwiseAffine?: boolean;
  /** Parameter dtype (default: the default dtype). */
  dtype?: FloatDType;
}

/**
 * Root-mean-square normalisation (PyTorch's `nn.RMSNorm`, added in PyTorch 2.4):
 * `x / √(mean(x²) + eps) · γ` over the trailing dims.
 *
 * @example
 * ```ts
 * const norm = new nn.RMSNorm([512]);
 * ```
 */
export class RMSNorm extends Module {
  readonly normalizedShape: number[];
  eps: number | null;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: RMSNormLayerOptions = {}) {
    super();
    const o = checkOptions("RMSNorm", options, ["eps", "elementwiseAffine", "dtype"]);
    this.normalizedShape = shapeOf(normalizedShape);
    this.eps = o.eps ?? null;
    this.elementwiseAffine = o.elementwiseAffine ?? true;
    if (this.elementwiseAffine) {
      this.weight = new Parameter(Tensor._empty(this.normalizedShape, o.dtype ?? getDefaultDtype()));
    } else {
      this.registerParameter("weight", null);
      this.weight = null;
    }
    this.resetParameters();
  }

  /** γ = 1. */
  resetParameters(): void {
    if (this.weight) init.ones_(this.weight);
  }

  override forward(input: Tensor): Tensor {
    return rmsNorm(input, this.normalizedShape, { weight: this.weight, eps: this.eps });
  }

  override extraRepr(): string {
    return `${tuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}

import { getDefaultDtype, type FloatDType } from "../../tensor/dtype.js";
import { Tensor } from "../../tensor/tensor.js";
import { ValueError } from "../../util/errors.js";
import { linear } from "../functional/linear.js";
import * as init from "../init.js";
import { Module } from "../module.js";
import { checkOptions } from "../options.js";
import { Parameter } from "../parameter.js";

/** Options of {@link Linear}, with PyTorch's defaults. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Parameter dtype (default: the default dtype). */
  dtype?: FloatDType;
}

/**
 * A fully connected layer `y = x·Wᵀ + b` (PyTorch's `nn.Linear`), with weight [out, in]
 * initialised by `kaiming_uniform_(a=√5)` and bias by U(−1/√in, 1/√in), drawn in that order from
 * the default generator exactly as PyTorch draws them.
 *
 * @example
 * ```ts
 * tg.manualSeed(0);
 * const fc = new nn.Linear(784, 128);          // same weights as torch.nn.Linear(784, 128)
 * const y = fc.forward(x);
 * ```
 */
export class Linear extends Module {
  /** Size of each input sample. */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** The learnable weight [outFeatures, inFeatures]. */
  weight: Parameter;
  /** The learnable bias [outFeatures], or null. */
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    const o = checkOptions("Linear", options, ["bias", "dtype"]);
    if (
      !Number.isInteger(inFeatures) ||
      inFeatures < 0 ||
      !Number.isInteger(outFeatures) ||
      outFeatures < 0
    ) {
      throw new ValueError(`Linear expects non-negative integer sizes, got ${inFeatures} and ${outFeatures}`);
    }
    const dtype = o.dtype ?? getDefaultDtype();
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(Tensor._empty([outFeatures, inFeatures], dtype));
    if (o.bias ?? true) this.bias = new Parameter(Tensor._empty([outFeatures], dtype));
    else {
      this.registerParameter("bias", null);
      this.bias = null;
    }
    this.resetParameters();
  }

  /** Re-draw the parameters as the constructor does. @example fc.resetParameters() */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = init.calculateFanInAndFanOut(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  override forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? "True" : "False"}`;
  }
}

/**
 * A placeholder that returns its input (PyTorch's `nn.Identity`); it accepts and ignores
 * constructor arguments, as PyTorch's does.
 *
 * @example
 * ```ts
 * model.head = new nn.Identity();
 * ```
 */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return input;
  }
}

/**
 * Flatten dims `startDim..endDim` (default 1..-1) into one (PyTorch's `nn.Flatten`).
 *
 * @example
 * ```ts
 * new nn.Flatten().forward(tg.zeros([32, 1, 28, 28])).shape; // [32, 784]
 * ```
 */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = startDim;
    this.endDim = endDim;
  }

  override forward(input: Tensor): Tensor {
    return input.flatten(this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

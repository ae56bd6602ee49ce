import type { GeluApproximate } from "../../tensor/ops/nn/activation.js";
import type { Tensor } from "../../tensor/tensor.js";
import { RuntimeError } from "../../util/errors.js";
import * as F from "../functional/activation.js";
import { Module } from "../module.js";
import { checkOptions, pyFloat } from "../options.js";

/**
 * `max(x, 0)` (PyTorch's `nn.ReLU`).
 * @example new nn.ReLU(); new nn.ReLU({ inplace: true })
 */
export class ReLU extends Module {
  readonly inplace: boolean;
  constructor(options: { inplace?: boolean } = {}) {
    super();
    this.inplace = checkOptions("ReLU", options, ["inplace"]).inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return F.relu(input, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return this.inplace ? "inplace=True" : "";
  }
}

/**
 * Leaky ReLU with slope `negativeSlope` for negative inputs (PyTorch's `nn.LeakyReLU`).
 * @example new nn.LeakyReLU(0.2)
 */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  readonly inplace: boolean;
  constructor(negativeSlope = 0.01, options: { inplace?: boolean } = {}) {
    super();
    this.negativeSlope = negativeSlope;
    this.inplace = checkOptions("LeakyReLU", options, ["inplace"]).inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return F.leakyRelu(input, this.negativeSlope, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}${this.inplace ? ", inplace=True" : ""}`;
  }
}

/**
 * Gaussian error linear unit (PyTorch's `nn.GELU`), exact or with the tanh approximation.
 * @example new nn.GELU(); new nn.GELU({ approximate: "tanh" })
 */
export class GELU extends Module {
  readonly approximate: GeluApproximate;
  constructor(options: { approximate?: GeluApproximate } | GeluApproximate = {}) {
    super();
    const approximate =
      typeof options === "string" ? options : checkOptions("GELU", options, ["approximate"]).approximate;
    this.approximate = approximate ?? "none";
    if (this.approximate !== "none" && this.approximate !== "tanh") {
      throw new RuntimeError("approximate argument must be either none or tanh.");
    }
  }
  override forward(input: Tensor): Tensor {
    return F.gelu(input, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/**
 * `x·σ(x)` (PyTorch's `nn.SiLU`).
 * @example new nn.SiLU()
 */
export class SiLU extends Module {
  readonly inplace: boolean;
  constructor(options: { inplace?: boolean } = {}) {
    super();
    this.inplace = checkOptions("SiLU", options, ["inplace"]).inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return F.silu(input, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return this.inplace ? "inplace=True" : "";
  }
}

/** Hyperbolic tangent (PyTorch's `nn.Tanh`). @example new nn.Tanh() */
export class Tanh extends Module {
  override forward(input: Tensor): Tensor {
    return input.tanh();
  }
}

/** Logistic sigmoid (PyTorch's `nn.Sigmoid`). @example new nn.Sigmoid() */
export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return input.sigmoid();
  }
}

/**
 * Softmax along `dim` (PyTorch's `nn.Softmax`; without a dim, PyTorch's deprecated implicit
 * choice, with its warning).
 * @example new nn.Softmax(-1)
 */
export class Softmax extends Module {
  readonly dim: number | null;
  constructor(dim: number | null = null) {
    super();
    this.dim = dim;
  }
  override forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim === null ? "None" : this.dim}`;
  }
}

/**
 * Log-softmax along `dim` (PyTorch's `nn.LogSoftmax`).
 * @example new nn.LogSoftmax(1)
 */
export class LogSoftmax extends Module {
  readonly dim: number | null;
  constructor(dim: number | null = null) {
    super();
    this.dim = dim;
  }
  override forward(input: Tensor): Tensor {
    return F.logSoftmax(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim === null ? "None" : this.dim}`;
  }
}

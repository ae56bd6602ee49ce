import type { Tensor } from "../../tensor/tensor.js";
import * as F from "../functional/loss.js";
import { Module } from "../module.js";
import { checkOptions } from "../options.js";

/** Base of the losses: `forward(input, target)` and PyTorch's `reduction` option. */
abstract class Loss extends Module {
  readonly reduction: F.Reduction;
  constructor(reduction: F.Reduction | undefined) {
    super();
    this.reduction = reduction ?? "mean";
  }
  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

/** A loss with a per-class `weight`, registered as the buffer `weight` as PyTorch does. */
abstract class WeightedLoss extends Loss {
  constructor(reduction: F.Reduction | undefined, weight: Tensor | null | undefined) {
    super(reduction);
    this.registerBuffer("weight", weight ?? null);
  }
  /** The per-class weight (buffer `weight`), or null. */
  get weight(): Tensor | null {
    return this.getBuffer("weight") ?? null;
  }
}

/**
 * Mean squared error (PyTorch's `nn.MSELoss`).
 * @example new nn.MSELoss().forward(pred, target)
 */
export class MSELoss extends Loss {
  constructor(options: F.ReductionOptions = {}) {
    super(checkOptions("MSELoss", options, ["reduction"]).reduction);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * Mean absolute error (PyTorch's `nn.L1Loss`).
 * @example new nn.L1Loss({ reduction: "sum" })
 */
export class L1Loss extends Loss {
  constructor(options: F.ReductionOptions = {}) {
    super(checkOptions("L1Loss", options, ["reduction"]).reduction);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}

/**
 * Smooth L1 loss (PyTorch's `nn.SmoothL1Loss`).
 * @example new nn.SmoothL1Loss({ beta: 0.5 })
 */
export class SmoothL1Loss extends Loss {
  readonly beta: number;
  constructor(options: F.ReductionOptions & { beta?: number } = {}) {
    const o = checkOptions("SmoothL1Loss", options, ["reduction", "beta"]);
    super(o.reduction);
    this.beta = o.beta ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/**
 * Huber loss (PyTorch's `nn.HuberLoss`).
 * @example new nn.HuberLoss({ delta: 2 })
 */
export class HuberLoss extends Loss {
  readonly delta: number;
  constructor(options: F.ReductionOptions & { delta?: number } = {}) {
    const o = checkOptions("HuberLoss", options, ["reduction", "delta"]);
    super(o.reduction);
    this.delta = o.delta ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/**
 * Negative log likelihood (PyTorch's `nn.NLLLoss`).
 * @example new nn.NLLLoss({ ignoreIndex: 0 })
 */
export class NLLLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  constructor(options: F.NllLossOptions = {}) {
    const o = checkOptions("NLLLoss", options, ["weight", "ignoreIndex", "reduction"]);
    super(o.reduction, o.weight);
    this.ignoreIndex = o.ignoreIndex ?? -100;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      reduction: this.reduction,
    });
  }
}

/**
 * Cross entropy on logits (PyTorch's `nn.CrossEntropyLoss`), with class indices or probabilities.
 * @example new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(logits, labels)
 */
export class CrossEntropyLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(options: F.CrossEntropyOptions = {}) {
    const o = checkOptions("CrossEntropyLoss", options, [
      "weight",
      "ignoreIndex",
      "reduction",
      "labelSmoothing",
    ]);
    super(o.reduction, o.weight);
    this.ignoreIndex = o.ignoreIndex ?? -100;
    this.labelSmoothing = o.labelSmoothing ?? 0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      reduction: this.reduction,
      labelSmoothing: this.labelSmoothing,
    });
  }
}

/**
 * Binary cross entropy on probabilities (PyTorch's `nn.BCELoss`).
 * @example new nn.BCELoss().forward(sigmoidOut, targets)
 */
export class BCELoss extends WeightedLoss {
  constructor(options: F.BceOptions = {}) {
    const o = checkOptions("BCELoss", options, ["weight", "reduction"]);
    super(o.reduction, o.weight);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/**
 * Binary cross entropy on logits (PyTorch's `nn.BCEWithLogitsLoss`); `weight` and `posWeight`
 * are registered as the buffers `weight` and `pos_weight`.
 * @example new nn.BCEWithLogitsLoss({ posWeight: tg.tensor([2.0]) })
 */
export class BCEWithLogitsLoss extends WeightedLoss {
  constructor(options: F.BceOptions & { posWeight?: Tensor | null } = {}) {
    const o = checkOptions("BCEWithLogitsLoss", options, ["weight", "reduction", "posWeight"]);
    super(o.reduction, o.weight);
    this.registerBuffer("pos_weight", o.posWeight ?? null);
  }
  /** The positive-class weight (buffer `pos_weight`), or null. */
  get posWeight(): Tensor | null {
    return this.getBuffer("pos_weight") ?? null;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, {
      weight: this.weight,
      posWeight: this.posWeight,
      reduction: this.reduction,
    });
  }
}

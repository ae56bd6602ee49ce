import * as lossOps from "../../tensor/ops/nn/loss.js";
import type { Reduction } from "../../tensor/ops/nn/loss.js";
import { broadcastShapes } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { RuntimeError, ValueError } from "../../util/errors.js";
import { checkOptions } from "../options.js";
import { warnOnce } from "../../util/warn.js";

export type { Reduction };

const size = (shape: readonly number[]): string => `torch.Size([${shape.join(", ")}])`;

/** Check PyTorch's reduction names. */
function checkReduction(reduction: string | undefined): Reduction {
  const r = reduction ?? "mean";
  if (r !== "none" && r !== "mean" && r !== "sum")
    throw new ValueError(`${r} is not a valid value for reduction`);
  return r;
}

/**
 * Apply a reduction to unreduced losses.
 *
 * @example
 * ```ts
 * reduce(perElement, "mean");
 * ```
 */
export function reduce(loss: Tensor, reduction: Reduction): Tensor {
  return reduction === "mean" ? loss.mean() : reduction === "sum" ? loss.sum() : loss;
}

/** Broadcast input and target as PyTorch's regression losses do, warning when the sizes differ. */
function broadcastPair(input: Tensor, target: Tensor): [Tensor, Tensor] {
  const same = input.ndim === target.ndim && input.shape.every((s, i) => s === target.shape[i]);
  if (same) return [input, target];
  warnOnce(
    `Using a target size (${size(target.shape)}) that is different to the input size (${size(input.shape)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`,
  );
  const shape = broadcastShapes(input.shape, target.shape);
  return [input.expand(shape).contiguous(), target.expand(shape).contiguous()];
}

/** The `reduction` keyword of every loss. */
export interface ReductionOptions {
  /** `"mean"` (default), `"sum"` or `"none"`. */
  reduction?: Reduction;
}

/**
 * Mean squared error (PyTorch's `F.mse_loss`).
 * @example F.mseLoss(pred, target); F.mseLoss(pred, target, { reduction: "sum" })
 */
export function mseLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const reduction = checkReduction(checkOptions("mse_loss", options, ["reduction"]).reduction);
  const [x, y] = broadcastPair(input, target);
  return reduce(lossOps.pointwiseLoss("mse", x, y), reduction);
}

/**
 * Mean absolute error (PyTorch's `F.l1_loss`).
 * @example F.l1Loss(pred, target)
 */
export function l1Loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const reduction = checkReduction(checkOptions("l1_loss", options, ["reduction"]).reduction);
  const [x, y] = broadcastPair(input, target);
  return reduce(lossOps.pointwiseLoss("l1", x, y), reduction);
}

/**
 * Smooth L1 loss (PyTorch's `F.smooth_l1_loss`): `0.5·z²/beta` for `|z| < beta`, else
 * `|z| − 0.5·beta` (L1 when `beta = 0`).
 * @example F.smoothL1Loss(pred, target, { beta: 0.5 })
 */
export function smoothL1Loss(
  input: Tensor,
  target: Tensor,
  options: ReductionOptions & { beta?: number } = {},
): Tensor {
  const o = checkOptions("smooth_l1_loss", options, ["reduction", "beta"]);
  const reduction = checkReduction(o.reduction);
  const beta = o.beta ?? 1.0;
  if (beta < 0) throw new RuntimeError("smooth_l1_loss does not support negative values for beta.");
  const [x, y] = broadcastPair(input, target);
  return reduce(lossOps.pointwiseLoss(beta === 0 ? "l1" : "smoothL1", x, y, beta), reduction);
}

/**
 * Huber loss (PyTorch's `F.huber_loss`): `0.5·z²` for `|z| < delta`, else `delta·(|z| − 0.5·delta)`.
 * @example F.huberLoss(pred, target, { delta: 2 })
 */
export function huberLoss(
  input: Tensor,
  target: Tensor,
  options: ReductionOptions & { delta?: number } = {},
): Tensor {
  const o = checkOptions("huber_loss", options, ["reduction", "delta"]);
  const reduction = checkReduction(o.reduction);
  const delta = o.delta ?? 1.0;
  if (!(delta > 0)) throw new RuntimeError("huber_loss does not support non-positive values for delta.");
  const [x, y] = broadcastPair(input, target);
  return reduce(lossOps.pointwiseLoss("huber", x, y, delta), reduction);
}

/** Keyword arguments of {@link nllLoss}. */
export interface NllLossOptions extends ReductionOptions {
  /** Per-class rescaling weight [C]. */
  weight?: Tensor | null;
  /** A target value that contributes nothing (default -100). */
  ignoreIndex?: number;
}

/**
 * Negative log likelihood of log-probabilities [N, C, ...] against class indices (PyTorch's
 * `F.nll_loss`); the mean is weighted: `Σ w[t]·(−x[t]) / Σ w[t]` over non-ignored targets.
 * @example F.nllLoss(logProbs, target, { weight: w, ignoreIndex: 0 })
 */
export function nllLoss(input: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  const o = checkOptions("nll_loss", options, ["weight", "ignoreIndex", "reduction"]);
  return lossOps.nllLoss(input, target, o.weight ?? null, checkReduction(o.reduction), o.ignoreIndex ?? -100);
}

/** Keyword arguments of {@link crossEntropy}. */
export interface CrossEntropyOptions extends NllLossOptions {
  /** Mix the target with the uniform distribution by this amount, in [0, 1] (default 0). */
  labelSmoothing?: number;
}

/**
 * Cross entropy between logits [N, C, ...] (or [C]) and class indices or class probabilities
 * (PyTorch's `F.cross_entropy`), with per-class `weight`, `ignoreIndex`, `labelSmoothing` and
 * `reduction`, in PyTorch's arithmetic: `log_softmax` then `nll_loss` for indices (weighted mean),
 * and `−Σ log_softmax·target·weight` divided by the batch size for probabilities.
 *
 * @example
 * ```ts
 * F.crossEntropy(logits, labels);
 * F.crossEntropy(logits, labels, { labelSmoothing: 0.1, ignoreIndex: -1 });
 * F.crossEntropy(logits, softTargets); // probabilities, same shape as logits
 * ```
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const o = checkOptions("cross_entropy", options, ["weight", "ignoreIndex", "reduction", "labelSmoothing"]);
  const reduction = checkReduction(o.reduction);
  const ignoreIndex = o.ignoreIndex ?? -100;
  const smoothing = o.labelSmoothing ?? 0;
  const weight = o.weight ?? null;
  if (input.ndim < 1) throw new ValueError(`Expected 1 or more dimensions (got ${input.ndim})`);
  const classDim = input.ndim === 1 ? 0 : 1;
  const nClasses = input.shape[classDim] as number;
  const sameShape = input.ndim === target.ndim && input.shape.every((s, i) => s === target.shape[i]);
  if (sameShape) {
    if (target.dtype !== "float32" && target.dtype !== "float64") {
      throw new RuntimeError(
        `Expected floating point type for target with class probabilities, got ${target.dtype === "int32" ? "Long" : "Bool"}`,
      );
    }
    if (ignoreIndex >= 0) throw new RuntimeError("ignore_index is not supported for floating point target");
    return probTargetLoss(input, target, weight, reduction, smoothing, classDim, nClasses);
  }
  if (smoothing > 0) {
    if (smoothing > 1)
      throw new RuntimeError(`label_smoothing must be between 0.0 and 1.0. Got: ${smoothing}`);
    return smoothedLoss(input, target, weight, reduction, ignoreIndex, smoothing, classDim, nClasses);
  }
  return lossOps.nllLoss(input.logSoftmax(classDim), target, weight, reduction, ignoreIndex);
}

/** The weight viewed to broadcast along the class dim. */
function classView(weight: Tensor, ndim: number, classDim: number): Tensor {
  if (ndim <= 1) return weight;
  const shape = new Array<number>(ndim).fill(1);
  shape[classDim] = weight.shape[0] as number;
  return weight.view(shape);
}

function probTargetLoss(
  self: Tensor,
  target0: Tensor,
  weight: Tensor | null,
  reduction: Reduction,
  smoothing: number,
  classDim: number,
  nClasses: number,
): Tensor {
  if (weight && (weight.ndim !== 1 || weight.numel() !== nClasses)) {
    throw new RuntimeError(
      `cross_entropy: weight tensor should be defined either for all ${nClasses} classes or no classes but got weight tensor of shape: [${weight.shape.join(", ")}]`,
    );
  }
  const input = self.logSoftmax(classDim);
  let target = target0;
  if (smoothing > 0) {
    if (smoothing > 1)
      throw new RuntimeError(`label_smoothing must be between 0.0 and 1.0. Got: ${smoothing}`);
    target = target0.mul(1 - smoothing).add(smoothing / nClasses);
  }
  let prod = input.mul(target);
  if (weight) prod = prod.mul(classView(weight, input.ndim, classDim));
  if (reduction === "none") return prod.sum(classDim).neg();
  const total = prod.sum().neg();
  if (reduction === "sum") return total;
  if (input.numel() === 0) return total.mul(NaN);
  return total.div(Math.floor(input.numel() / nClasses));
}

function smoothedLoss(
  self: Tensor,
  target: Tensor,
  weight: Tensor | null,
  reduction: Reduction,
  ignoreIndex: number,
  smoothing: number,
  classDim: number,
  nClasses: number,
): Tensor {
  const input = self.logSoftmax(classDim);
  const nll = lossOps.nllLoss(input, target, weight, reduction, ignoreIndex);
  let smooth = weight
    ? input
        .mul(classView(weight, input.ndim, classDim))
        .sum(classDim)
        .neg()
    : input.sum(classDim).neg();
  const ignoreMask = target.eq(ignoreIndex);
  smooth = smooth.maskedFill(ignoreMask, 0);
  let ret: Tensor;
  if (reduction === "mean") {
    if (weight) {
      const picked = weight.gather(0, target.maskedFill(ignoreMask, 0).flatten());
      ret = smooth.sum().div(picked.maskedFill(ignoreMask.flatten(), 0).sum());
    } else {
      ret = smooth.sum().div(ignoreMask.logicalNot().sum());
    }
  } else if (reduction === "sum") ret = smooth.sum();
  else ret = smooth;
  return nll.mul(1 - smoothing).add(ret.mul(smoothing / nClasses));
}

/** Keyword arguments of {@link binaryCrossEntropy}. */
export interface BceOptions extends ReductionOptions {
  /** Rescaling weight, broadcast to the input's shape. */
  weight?: Tensor | null;
}

/**
 * Binary cross entropy between probabilities and targets (PyTorch's `F.binary_cross_entropy`),
 * with each log term clamped at −100 as PyTorch does.
 * @example F.binaryCrossEntropy(probs, targets)
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BceOptions = {}): Tensor {
  const o = checkOptions("binary_cross_entropy", options, ["weight", "reduction"]);
  const reduction = checkReduction(o.reduction);
  const same = input.ndim === target.ndim && input.shape.every((s, i) => s === target.shape[i]);
  if (!same) {
    throw new ValueError(
      `Using a target size (${size(target.shape)}) that is different to the input size (${size(input.shape)}) is deprecated. Please ensure they have the same size.`,
    );
  }
  let loss = lossOps.pointwiseLoss("bce", input, target);
  if (o.weight) loss = loss.mul(o.weight.expand(broadcastShapes(target.shape, o.weight.shape)));
  return reduce(loss, reduction);
}

/**
 * Binary cross entropy on logits (PyTorch's `F.binary_cross_entropy_with_logits`), computed
 * stably; `posWeight` weighs the positive term per class (broadcast along the last dim).
 * @example F.binaryCrossEntropyWithLogits(logits, targets, { posWeight: tg.tensor([3]) })
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  options: BceOptions & { posWeight?: Tensor | null } = {},
): Tensor {
  const o = checkOptions("binary_cross_entropy_with_logits", options, ["weight", "reduction", "posWeight"]);
  const reduction = checkReduction(o.reduction);
  const same = input.ndim === target.ndim && input.shape.every((s, i) => s === target.shape[i]);
  if (!same) {
    throw new ValueError(
      `Target size (${size(target.shape)}) must be the same as input size (${size(input.shape)})`,
    );
  }
  let loss = lossOps.bceWithLogits(input, target, o.posWeight ?? null);
  if (o.weight) loss = loss.mul(o.weight);
  return reduce(loss, reduction);
}

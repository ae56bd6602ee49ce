import * as norm from "../../tensor/ops/nn/normalization.js";
import type { Tensor } from "../../tensor/tensor.js";
import { RuntimeError, ValueError } from "../../util/errors.js";
import { checkOptions } from "../options.js";

/** PyTorch's `_verify_batch_size`: training statistics need more than one value per channel. */
function verifyBatchSize(size: readonly number[]): void {
  let prod = size[0] ?? 1;
  for (let i = 2; i < size.length; i++) prod *= size[i] as number;
  if (prod === 1) {
    throw new ValueError(
      `Expected more than 1 value per channel when training, got input size torch.Size([${size.join(", ")}])`,
    );
  }
}

/** Keyword arguments of {@link batchNorm}. */
export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Use batch statistics and update the running ones (default false). */
  training?: boolean;
  /** Weight of the new batch in the running statistics (default 0.1). */
  momentum?: number;
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
}

/**
 * Batch normalisation (PyTorch's `F.batch_norm`): normalise each channel of [N, C, ...] input by
 * the batch statistics (training; the running statistics are updated in place when given) or by
 * the running statistics (evaluation).
 *
 * @example
 * ```ts
 * const y = F.batchNorm(x, runningMean, runningVar, { weight, bias, training: true });
 * ```
 */
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  options: BatchNormOptions = {},
): Tensor {
  const o = checkOptions("batch_norm", options, ["weight", "bias", "training", "momentum", "eps"]);
  const training = o.training ?? false;
  if (training) verifyBatchSize(input.shape);
  return norm.batchNorm(input, runningMean, runningVar, o.weight ?? null, o.bias ?? null, {
    training,
    momentum: o.momentum ?? 0.1,
    eps: o.eps ?? 1e-5,
  });
}

/** Keyword arguments of layer and RMS normalisation. */
export interface LayerNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

const asShape = (s: number | readonly number[]): number[] => (typeof s === "number" ? [s] : [...s]);

/**
 * Layer normalisation over the trailing `normalizedShape` dims (PyTorch's `F.layer_norm`).
 *
 * @example
 * ```ts
 * const y = F.layerNorm(x, [64], { weight: gamma, bias: beta });
 * ```
 */
export function layerNorm(
  input: Tensor,
  normalizedShape: number | readonly number[],
  options: LayerNormOptions = {},
): Tensor {
  const o = checkOptions("layer_norm", options, ["weight", "bias", "eps"]);
  return norm.layerNorm(input, asShape(normalizedShape), o.weight ?? null, o.bias ?? null, o.eps ?? 1e-5);
}

/**
 * Group normalisation of [N, C, ...] input with `numGroups` groups (PyTorch's `F.group_norm`).
 *
 * @example
 * ```ts
 * const y = F.groupNorm(x, 4, { weight, bias });
 * ```
 */
export function groupNorm(input: Tensor, numGroups: number, options: LayerNormOptions = {}): Tensor {
  const o = checkOptions("group_norm", options, ["weight", "bias", "eps"]);
  if (input.ndim < 2) {
    throw new RuntimeError(`Expected at least 2 dimensions for input tensor but received ${input.ndim}`);
  }
  verifyBatchSize([
    ((input.shape[0] as number) * (input.shape[1] as number)) / numGroups,
    numGroups,
    ...input.shape.slice(2),
  ]);
  return norm.groupNorm(input, numGroups, o.weight ?? null, o.bias ?? null, o.eps ?? 1e-5);
}

/**
 * Root-mean-square normalisation over the trailing dims (PyTorch's `F.rms_norm`):
 * `x · rsqrt(mean(x²) + eps) · weight`, with `eps` defaulting to the dtype's machine epsilon.
 * Composed from tensor ops exactly as PyTorch's reference implementation, so it is
 * differentiable everywhere autograd is.
 *
 * @example
 * ```ts
 * const y = F.rmsNorm(x, [512], { weight: g });
 * ```
 */
export function rmsNorm(
  input: Tensor,
  normalizedShape: number | readonly number[],
  options: { weight?: Tensor | null; eps?: number | null } = {},
): Tensor {
  const o = checkOptions("rms_norm", options, ["weight", "eps"]);
  const shape = asShape(normalizedShape);
  const k = shape.length;
  const tail = input.shape.slice(input.ndim - k);
  if (input.ndim < k || tail.some((s, i) => s !== shape[i])) {
    throw new RuntimeError(
      `Given normalized_shape=[${shape.join(", ")}], expected input with shape [*${shape.map((s) => `, ${s}`).join("")}], but got input of size[${input.shape.join(", ")}]`,
    );
  }
  if (o.weight && (o.weight.ndim !== k || o.weight.shape.some((s, i) => s !== shape[i]))) {
    throw new RuntimeError(
      `Expected weight to be of same shape as normalized_shape, but got weight of shape [${o.weight.shape.join(", ")}] and normalized_shape = [${shape.join(", ")}]`,
    );
  }
  const eps = o.eps ?? (input.dtype === "float64" ? 2.220446049250313e-16 : 1.1920928955078125e-7);
  const dims = shape.map((_, i) => -(i + 1));
  const scale = input.pow(2).mean(dims, true).add(eps).rsqrt();
  const y = input.mul(scale);
  return o.weight ? y.mul(o.weight) : y;
}

/**
 * `nn.functional`: the stateless forms of the layers and losses, with PyTorch's names in
 * camelCase (`crossEntropy`, `maxPool2d`, `logSoftmax`) and keyword arguments as option bags.
 *
 * @example
 * ```ts
 * const F = tg.nn.functional;
 * const loss = F.crossEntropy(F.linear(x, w, b), labels, { labelSmoothing: 0.1 });
 * ```
 * @module
 */
export { linear } from "./linear.js";
export { conv1d, conv2d, type ConvOptions, type ConvPadding } from "./conv.js";
export {
  maxPool1d,
  maxPool2d,
  avgPool1d,
  avgPool2d,
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  type MaxPoolOptions,
  type AvgPoolOptions,
  type AdaptiveSize,
} from "./pooling.js";
export {
  batchNorm,
  layerNorm,
  groupNorm,
  rmsNorm,
  type BatchNormOptions,
  type LayerNormOptions,
} from "./normalization.js";
export { embedding, type EmbeddingOptions } from "./sparse.js";
export { dropout, type DropoutOptions } from "./dropout.js";
export {
  relu,
  leakyRelu,
  gelu,
  silu,
  sigmoid,
  tanh,
  softmax,
  logSoftmax,
  type InplaceOptions,
} from "./activation.js";
export { pad, type PadMode } from "./pad.js";
export {
  mseLoss,
  l1Loss,
  smoothL1Loss,
  huberLoss,
  nllLoss,
  crossEntropy,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  type Reduction,
  type ReductionOptions,
  type NllLossOptions,
  type CrossEntropyOptions,
  type BceOptions,
} from "./loss.js";

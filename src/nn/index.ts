/**
 * `tg.nn`: modules, layers, losses, `functional`, `init` and `utils`, with PyTorch's names,
 * constructor arguments (keyword arguments as camelCase option bags), defaults, initialisation
 * and state-dict keys.
 *
 * @example
 * ```ts
 * import { nn } from "tsgrad";
 * const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
 * const loss = nn.functional.crossEntropy(model.forward(x), y);
 * ```
 * @module
 */
export { Module, type StateDict, type IncompatibleKeys } from "./module.js";
export { Parameter } from "./parameter.js";
export { deepcopy } from "./deepcopy.js";
export { Sequential, ModuleList, ModuleDict } from "./modules/container.js";
export { Linear, Identity, Flatten, type LinearOptions } from "./modules/linear.js";
export { Conv1d, Conv2d, type ConvLayerOptions, type PaddingMode } from "./modules/conv.js";
export {
  MaxPool1d,
  MaxPool2d,
  AvgPool1d,
  AvgPool2d,
  AdaptiveAvgPool1d,
  AdaptiveAvgPool2d,
  type MaxPoolLayerOptions,
  type AvgPoolLayerOptions,
} from "./modules/pooling.js";
export { BatchNorm1d, BatchNorm2d, BatchNormBase, type BatchNormLayerOptions } from "./modules/batchnorm.js";
export {
  LayerNorm,
  GroupNorm,
  RMSNorm,
  type LayerNormLayerOptions,
  type GroupNormLayerOptions,
  type RMSNormLayerOptions,
} from "./modules/normalization.js";
export { Embedding, type EmbeddingLayerOptions } from "./modules/sparse.js";
export { Dropout } from "./modules/dropout.js";
export { ReLU, LeakyReLU, GELU, SiLU, Tanh, Sigmoid, Softmax, LogSoftmax } from "./modules/activation.js";
export {
  MSELoss,
  L1Loss,
  SmoothL1Loss,
  HuberLoss,
  NLLLoss,
  CrossEntropyLoss,
  BCELoss,
  BCEWithLogitsLoss,
} from "./modules/loss.js";
export * as functional from "./functional/index.js";
export * as init from "./init.js";
export * as utils from "./utils/index.js";

/**
 * tsgrad: PyTorch's training stack in TypeScript. This file only re-exports.
 * @packageDocumentation
 */
export { Tensor, type TensorLike, type VarOptions } from "./tensor/tensor.js";
export {
  tensor,
  zeros,
  ones,
  empty,
  full,
  zerosLike,
  onesLike,
  fullLike,
  arange,
  linspace,
  eye,
  type CreationOptions,
  type NestedArray,
} from "./tensor/creation.js";
export { cat, stack } from "./tensor/ops/indexing.js";
export { where, maximum, minimum } from "./tensor/ops/elementwise.js";
export { matmul } from "./tensor/ops/matmul.js";
export {
  type DType,
  type FloatDType,
  type TypedArray,
  setDefaultDtype,
  getDefaultDtype,
  promoteTypes,
} from "./tensor/dtype.js";
export { array2string } from "./tensor/ops/export.js";
export {
  setPrintOptions,
  getPrintOptions,
  type PrintOptions,
  type SetPrintOptions,
} from "./tensor/print/print-options.js";
export {
  Generator,
  manualSeed,
  seed,
  initialSeed,
  getRngState,
  setRngState,
  rand,
  randn,
  randint,
  randperm,
  randLike,
  randnLike,
  normal,
  type RandomOptions,
} from "./tensor/random.js";
export * as random from "./namespaces/random.js";
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from "./autograd/grad-mode.js";
export * as autograd from "./autograd/index.js";
export * as errors from "./util/errors.js";
export { backend, setBackend, jsBackend, type Backend } from "./backend/backend.js";
export { createWasmBackend, type WasmBackend, type WasmBackendOptions } from "./backend/wasm/index.js";
export * as optim from "./namespaces/optim.js";
export * as nn from "./nn/index.js";
export * as data from "./data/index.js";
export * as io from "./io/index.js";

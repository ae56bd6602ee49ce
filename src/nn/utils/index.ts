/**
 * `nn.utils`: gradient clipping and conversions between parameter lists and flat vectors.
 *
 * @example
 * ```ts
 * nn.utils.clipGradNorm_(model.parameters(), 1.0);
 * ```
 * @module
 */
export { clipGradNorm_, clipGradValue_, type ClipGradNormOptions, type ParamsArg } from "./clip-grad.js";
export { parametersToVector, vectorToParameters } from "./convert-parameters.js";

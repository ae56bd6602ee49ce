import { isGradEnabled } from "../../autograd/grad-mode.js";
import * as act from "../../tensor/ops/nn/activation.js";
import type { Tensor } from "../../tensor/tensor.js";
import { checkOptions } from "../options.js";
import { warnOnce } from "../../util/warn.js";

/** The `inplace` flag PyTorch's activations take. */
export interface InplaceOptions {
  /** Write the result into the input and return it (default false). */
  inplace?: boolean;
}

/**
 * Run `op` and, for `inplace`, write its result into `input` and return `input`. When autograd
 * records, the op runs on a clone so that what it saved is not the tensor being overwritten.
 *
 * @example
 * ```ts
 * maybeInplace(x, true, (t) => t.relu()); // x now holds relu(x)
 * ```
 */
export function maybeInplace(input: Tensor, inplace: boolean | undefined, op: (x: Tensor) => Tensor): Tensor {
  if (!inplace) return op(input);
  const recording = isGradEnabled() && input.requiresGrad;
  return input.copy_(op(recording ? input.clone() : input));
}

/**
 * Rectified linear unit, `max(x, 0)`.
 * @example F.relu(x); F.relu(x, { inplace: true })
 */
export function relu(input: Tensor, options: InplaceOptions = {}): Tensor {
  const { inplace } = checkOptions("relu", options, ["inplace"]);
  return maybeInplace(input, inplace, (x) => x.relu());
}

/**
 * Leaky ReLU: `x` where positive, `negativeSlope·x` elsewhere (default slope 0.01).
 * @example F.leakyRelu(x, 0.2)
 */
export function leakyRelu(input: Tensor, negativeSlope = 0.01, options: InplaceOptions = {}): Tensor {
  const { inplace } = checkOptions("leaky_relu", options, ["inplace"]);
  return maybeInplace(input, inplace, (x) => act.leakyRelu(x, negativeSlope));
}

/**
 * Gaussian error linear unit, exact (`approximate: "none"`, the default) or PyTorch's tanh
 * approximation.
 * @example F.gelu(x); F.gelu(x, { approximate: "tanh" })
 */
export function gelu(input: Tensor, options: { approximate?: act.GeluApproximate } = {}): Tensor {
  const { approximate } = checkOptions("gelu", options, ["approximate"]);
  return act.gelu(input, approximate ?? "none");
}

/**
 * Sigmoid linear unit (swish), `x·σ(x)`.
 * @example F.silu(x)
 */
export function silu(input: Tensor, options: InplaceOptions = {}): Tensor {
  const { inplace } = checkOptions("silu", options, ["inplace"]);
  return maybeInplace(input, inplace, (x) => act.silu(x));
}

/** Logistic sigmoid. @example F.sigmoid(x) */
export function sigmoid(input: Tensor): Tensor {
  return input.sigmoid();
}

/** Hyperbolic tangent. @example F.tanh(x) */
export function tanh(input: Tensor): Tensor {
  return input.tanh();
}

/**
 * PyTorch's `_get_softmax_dim`: the dim used when none is given (0 for 0-, 1- and 3-D inputs,
 * else 1), with its deprecation warning.
 *
 * @example
 * ```ts
 * implicitSoftmaxDim("softmax", 2); // 1, with a deprecation warning
 * ```
 */
export function implicitSoftmaxDim(name: string, ndim: number): number {
  warnOnce(
    `Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`,
  );
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

/**
 * Softmax along `dim`.
 * @example F.softmax(logits, -1)
 */
export function softmax(input: Tensor, dim?: number | null): Tensor {
  return input.softmax(dim ?? implicitSoftmaxDim("softmax", input.ndim));
}

/**
 * Log-softmax along `dim`.
 * @example F.logSoftmax(logits, 1)
 */
export function logSoftmax(input: Tensor, dim?: number | null): Tensor {
  return input.logSoftmax(dim ?? implicitSoftmaxDim("log_softmax", input.ndim));
}

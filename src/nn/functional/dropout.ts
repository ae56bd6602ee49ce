import { Tensor } from "../../tensor/tensor.js";
import { ValueError } from "../../util/errors.js";
import { checkOptions } from "../options.js";

/** Keyword arguments of {@link dropout}, with PyTorch's defaults. */
export interface DropoutOptions {
  /** Probability of zeroing an element (default 0.5). */
  p?: number;
  /** Apply dropout; when false the input is returned unchanged (default true). */
  training?: boolean;
  /** Multiply the input in place (default false). */
  inplace?: boolean;
}

/**
 * Dropout (PyTorch's `F.dropout`): in training, zero each element with probability `p` and
 * scale the rest by `1/(1−p)`. The mask is drawn exactly as PyTorch's CPU kernel does —
 * `noise = empty_like(x).bernoulli_(1 − p).div_(1 − p)`, then `x·noise` — so the same seed
 * drops the same elements. `p = 0`, evaluation mode and empty inputs return the input itself.
 *
 * @example
 * ```ts
 * const y = F.dropout(x, 0.2);
 * const z = F.dropout(x, { p: 0.5, training: model.training });
 * ```
 */
export function dropout(
  input: Tensor,
  p: number | DropoutOptions = {},
  options: DropoutOptions = {},
): Tensor {
  const merged =
    typeof p === "number" ? { ...checkOptions("dropout", options, ["training", "inplace"]), p } : p;
  const o = checkOptions("dropout", merged, ["p", "training", "inplace"]);
  const prob = o.p ?? 0.5;
  const training = o.training ?? true;
  if (!(prob >= 0 && prob <= 1))
    throw new ValueError(`dropout probability has to be between 0 and 1, but got ${prob}`);
  if (prob === 0 || !training || input.numel() === 0) return input;
  if (prob === 1) {
    const zero = Tensor._empty([], input.dtype);
    return o.inplace ? input.mul_(zero) : input.mul(zero);
  }
  const noise = Tensor._empty(input.shape, input.dtype);
  noise.bernoulli_(1 - prob);
  noise.div_(1 - prob);
  return o.inplace ? input.mul_(noise) : input.mul(noise);
}

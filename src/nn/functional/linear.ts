import type { Tensor } from "../../tensor/tensor.js";

/**
 * The affine map `y = x·Wᵀ + b` over the last dim of `input` (PyTorch's `F.linear`), with
 * `weight` [out, in] and optional `bias` [out].
 *
 * @example
 * ```ts
 * const y = F.linear(x, w, b); // x [N, in] → y [N, out]
 * ```
 */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const y = input.matmul(weight.t());
  return bias ? y.add(bias) : y;
}

import { getDefaultDtype } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";

/**
 * A tensor that is a module's learnable parameter (PyTorch's `nn.Parameter`). It shares storage
 * with the tensor it wraps, is always a leaf, and requires grad unless told otherwise. Assigning a
 * Parameter to a field of a {@link Module} registers it under the field's name.
 *
 * @example
 * ```ts
 * class Scale extends nn.Module {
 *   alpha = new nn.Parameter(tg.ones([1]));
 *   forward(x: Tensor) { return x.mul(this.alpha); }
 * }
 * ```
 */
export class Parameter extends Tensor {
  /**
   * Wrap `data` (default: an empty float tensor of the default dtype) as a parameter.
   *
   * @param requiresGrad Whether the parameter requires grad (default true).
   */
  constructor(data?: Tensor | null, requiresGrad = true) {
    const src = data ?? Tensor._empty([0], getDefaultDtype());
    if (!(src instanceof Tensor)) throw new TypeError("Parameter expects a Tensor or nothing");
    super(src.data, src.shape, src.strides, src.offset, src._version, null);
    if (requiresGrad) this.requiresGrad_(true);
  }

  /** PyTorch's repr: `Parameter containing:` followed by the tensor. @example String(p) */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

/**
 * Make `target` use `src`'s storage, shape, strides and dtype while keeping its identity and
 * autograd flags: PyTorch's `target.data = src`, which `module.double()` and
 * `vectorToParameters` rely on so that optimizers holding the parameter keep working.
 *
 * @example
 * ```ts
 * setTensorData(p, p.detach().double()); // p is now float64, same object
 * ```
 */
export function setTensorData(target: Tensor, src: Tensor): void {
  target._replaceData(src);
}

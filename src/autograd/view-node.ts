import type { Tensor } from "../tensor/tensor.js";
import { Node } from "./node.js";

/** Where a view sits inside its base's storage, and how the base itself is laid out there. */
export interface ViewGeometry {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly baseShape: readonly number[];
  readonly baseStrides: readonly number[];
  readonly baseOffset: number;
  readonly storageLength: number;
}

/**
 * The geometry of `view` relative to `base` (the tensor owning the storage).
 * @example
 * ```ts
 * const base = tg.zeros([4, 3]);
 * viewGeometry(base.narrow(0, 1, 2).t(), base); // shape [3, 2], strides [1, 3], offset 3,
 * // baseShape [4, 3], baseStrides [3, 1], baseOffset 0, storageLength 12
 * ```
 */
export function viewGeometry(view: Tensor, base: Tensor): ViewGeometry {
  return {
    shape: view.shape,
    strides: view.strides,
    offset: view.offset,
    baseShape: base.shape,
    baseStrides: base.strides,
    baseOffset: base.offset,
    storageLength: base.data.length,
  };
}

/**
 * A fresh history for a view whose base changed in place: the view read straight out of the
 * base's current history (PyTorch regenerates such a view's `grad_fn` as `AsStridedBackward0`).
 *
 * @example
 * ```ts
 * const b = x.mul(1); const v = b.narrow(0, 0, 2);
 * b.narrow(0, 1, 2).mul_(3); // v now differentiates through the in-place op
 * v.gradFn?.name; // "AsStridedBackward0"
 * ```
 */
export function viewOfBase(view: Tensor, base: Tensor): Node {
  return new Node("asStrided", "AsStridedBackward0", [base], { geometry: viewGeometry(view, base) });
}

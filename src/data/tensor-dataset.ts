/**
 * TensorDataset: samples are the rows (dim-0 slices) of several equally long tensors.
 *
 * @module
 */

import { Tensor } from "../tensor/tensor.js";
import { IndexError, ValueError } from "../util/errors.js";
import type { Dataset } from "./dataset.js";

/**
 * Dataset wrapping tensors (`torch.utils.data.TensorDataset`): sample `i` is the tuple of the
 * tensors' rows `i` (views, as `tensor[i]` in PyTorch). All tensors must have the same size of
 * dim 0, which is the dataset's length.
 *
 * @example
 * ```ts
 * const ds = new tg.data.TensorDataset(tg.randn([100, 3]), tg.randint(0, 2, [100]));
 * const [x, y] = ds.get(0); // x: shape [3], y: shape []
 * ds.length; // 100
 * ```
 */
export class TensorDataset<T extends Tensor[] = Tensor[]> implements Dataset<T> {
  /** The wrapped tensors, in the order given. */
  readonly tensors: Readonly<T>;

  /**
   * Wrap `tensors`; throws PyTorch's "Size mismatch between tensors" when their dim-0 sizes differ.
   * @example new tg.data.TensorDataset(images, labels)
   */
  constructor(...tensors: T) {
    if (tensors.length === 0) {
      throw new IndexError("TensorDataset needs at least one tensor (PyTorch: tuple index out of range)");
    }
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset: argument ${i} is not a Tensor`);
      if (t.ndim === 0) throw new IndexError("dimension specified as 0 but tensor has no dimensions");
    });
    const n = tensors[0]!.shape[0];
    if (tensors.some((t) => t.shape[0] !== n)) throw new ValueError("Size mismatch between tensors");
    this.tensors = tensors;
  }

  /** Size of dim 0 of the tensors. @example new tg.data.TensorDataset(tg.zeros([5, 2])).length // 5 */
  get length(): number {
    return this.tensors[0]!.shape[0]!;
  }

  /**
   * Row `index` of every tensor (negative indices count from the end), as views.
   * @example const [x, y] = ds.get(-1);
   */
  get(index: number): T {
    const n = this.length;
    if (!Number.isInteger(index) || index < -n || index >= n) {
      throw new IndexError(`index ${index} is out of bounds for dimension 0 with size ${n}`);
    }
    return this.tensors.map((t) => t.select(0, index)) as T;
  }
}

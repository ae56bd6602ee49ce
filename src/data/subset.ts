/**
 * Subset: a view of a dataset at chosen indices.
 *
 * @module
 */

import { IndexError } from "../util/errors.js";
import { asDataset, type Dataset, type DatasetLike } from "./dataset.js";

/**
 * A dataset restricted to `indices` (`torch.utils.data.Subset`): sample `i` is
 * `dataset.get(indices[i])`. {@link randomSplit} returns these.
 *
 * @example
 * ```ts
 * const firstTen = new tg.data.Subset(ds, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * firstTen.get(3); // ds.get(3)
 * ```
 */
export class Subset<T> implements Dataset<T> {
  /** The underlying dataset. */
  readonly dataset: Dataset<T>;
  /** Positions in {@link dataset}, in this subset's order. */
  readonly indices: readonly number[];

  /**
   * View `dataset` at `indices`.
   * @example new tg.data.Subset(ds, [4, 2])
   */
  constructor(dataset: DatasetLike<T>, indices: readonly number[] | ArrayLike<number>) {
    this.dataset = asDataset(dataset);
    this.indices = Array.from(indices);
  }

  /** Number of indices. @example new tg.data.Subset(ds, [4, 2]).length // 2 */
  get length(): number {
    return this.indices.length;
  }

  /**
   * The sample at position `index` of the subset (Python list indexing: negative counts from the end).
   * @example subset.get(0)
   */
  get(index: number): T {
    const n = this.indices.length;
    if (!Number.isInteger(index) || index < -n || index >= n) throw new IndexError("list index out of range");
    return this.dataset.get(this.indices[index < 0 ? index + n : index]!);
  }

  /**
   * The samples at several positions; uses the dataset's own batched read when it has one.
   * @example subset.getItems([0, 1])
   */
  getItems(indices: readonly number[]): T[] {
    const mapped = indices.map((i) => {
      const n = this.indices.length;
      if (!Number.isInteger(i) || i < -n || i >= n) throw new IndexError("list index out of range");
      return this.indices[i < 0 ? i + n : i]!;
    });
    if (typeof this.dataset.getItems === "function") return this.dataset.getItems(mapped);
    return mapped.map((i) => this.dataset.get(i));
  }
}

/**
 * The dataset protocol of `tg.data`: PyTorch's map-style `Dataset` (`__getitem__` + `__len__`)
 * as a `length` and a `get(index)`. Plain arrays are accepted wherever a dataset is, the way
 * PyTorch accepts a list or a `range`.
 *
 * @module
 */

import { IndexError } from "../util/errors.js";

/**
 * A map-style dataset (`torch.utils.data.Dataset`): `length` samples, read with `get(index)`.
 *
 * @example
 * ```ts
 * const squares: tg.data.Dataset<number> = { length: 10, get: (i) => i * i };
 * const loader = new tg.data.DataLoader(squares, { batchSize: 4 });
 * ```
 */
export interface Dataset<T> {
  /** Number of samples (`len(dataset)`). */
  readonly length: number;
  /** The sample at `index` (`dataset[index]`). */
  get(index: number): T;
  /**
   * Optional batched read (PyTorch's `__getitems__`): the samples at `indices`, in order. The
   * DataLoader calls it instead of `get` once per batch when it exists.
   */
  getItems?(indices: readonly number[]): T[];
}

/** A dataset, or a plain array used as one. */
export type DatasetLike<T> = Dataset<T> | readonly T[];

/** An array seen as a dataset: Python list indexing, negative indices included. */
class ArrayDataset<T> implements Dataset<T> {
  constructor(private readonly items: readonly T[]) {}

  get length(): number {
    return this.items.length;
  }

  get(index: number): T {
    const n = this.items.length;
    if (!Number.isInteger(index) || index < -n || index >= n) throw new IndexError("list index out of range");
    return this.items[index < 0 ? index + n : index] as T;
  }
}

/**
 * The dataset behind a {@link DatasetLike}: arrays are wrapped, datasets returned as they are.
 * @example asDataset([1, 2, 3]).get(-1) // 3
 */
export function asDataset<T>(data: DatasetLike<T>): Dataset<T> {
  if (Array.isArray(data)) return new ArrayDataset(data as readonly T[]);
  const d = data as Dataset<T>;
  if (d === null || typeof d !== "object" || typeof d.get !== "function" || typeof d.length !== "number") {
    throw new TypeError(
      "expected a dataset (an object with a numeric length and a get(index) method) or an array",
    );
  }
  return d;
}

/**
 * The size of something PyTorch would call `len()` on, or PyTorch's TypeError when it has none.
 * @example lengthOf([1, 2]) // 2
 */
export function lengthOf(x: unknown): number {
  const n = (x as { length?: unknown } | null)?.length;
  if (typeof n !== "number") {
    const name = (x as object | null)?.constructor?.name ?? typeof x;
    throw new TypeError(`object of type '${name}' has no len()`);
  }
  return n;
}

/**
 * SequentialSampler: indices 0, 1, …, n − 1.
 *
 * @module
 */

import { lengthOf } from "./dataset.js";
import type { Sampler } from "./sampler.js";

/**
 * Yields `0, 1, …, length − 1` of the data source, always in the same order
 * (`torch.utils.data.SequentialSampler`); what a DataLoader without `shuffle` uses. The length is
 * read at each iteration, so a growing dataset is followed.
 *
 * @example
 * ```ts
 * [...new tg.data.SequentialSampler([10, 20, 30])]; // [0, 1, 2]
 * ```
 */
export class SequentialSampler implements Sampler<number> {
  /**
   * A sampler over `dataSource` (anything with a `length`).
   * @example new tg.data.SequentialSampler(dataset)
   */
  constructor(readonly dataSource: { readonly length: number }) {
    lengthOf(dataSource);
  }

  /** The data source's length. @example new tg.data.SequentialSampler([1, 2]).length // 2 */
  get length(): number {
    return lengthOf(this.dataSource);
  }

  /** The indices in order. @example for (const i of sampler) console.log(i); */
  *[Symbol.iterator](): Iterator<number> {
    const n = lengthOf(this.dataSource);
    for (let i = 0; i < n; i++) yield i;
  }
}

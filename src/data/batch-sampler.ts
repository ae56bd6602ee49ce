/**
 * BatchSampler: groups a sampler's indices into lists.
 *
 * @module
 */

import { ValueError } from "../util/errors.js";
import { assertKnownOptions } from "../util/options.js";
import { lengthOf } from "./dataset.js";
import { pyRepr } from "./python.js";
import type { Sampler } from "./sampler.js";

/** Options of {@link BatchSampler}. */
export interface BatchSamplerOptions {
  /** Size of each list. */
  batchSize: number;
  /** Drop the last list when it is shorter than `batchSize`. */
  dropLast: boolean;
}

/**
 * Wraps a sampler to yield lists of `batchSize` indices (`torch.utils.data.BatchSampler`); the
 * last list is shorter, or dropped with `dropLast`. The wrapped sampler is advanced exactly as
 * PyTorch advances it, so random samplers consume their generator at the same moments.
 *
 * @example
 * ```ts
 * [...new tg.data.BatchSampler(new tg.data.SequentialSampler(Array(10)), 3, false)];
 * // [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
 * new tg.data.BatchSampler(sampler, { batchSize: 3, dropLast: true });
 * ```
 */
export class BatchSampler implements Sampler<number[]> {
  /** The wrapped sampler. */
  readonly sampler: Iterable<number>;
  /** Indices per list. */
  readonly batchSize: number;
  /** Whether a short last list is dropped. */
  readonly dropLast: boolean;

  /**
   * Batch `sampler` (PyTorch's positional `batch_size`, `drop_last`, or an options object).
   * @example new tg.data.BatchSampler(new tg.data.RandomSampler(ds), 32, true)
   */
  constructor(sampler: Iterable<number>, batchSize: number, dropLast: boolean);
  constructor(sampler: Iterable<number>, options: BatchSamplerOptions);
  constructor(sampler: Iterable<number>, a: number | BatchSamplerOptions, b?: boolean) {
    let batchSize: unknown = a;
    let dropLast: unknown = b;
    if (typeof a === "object" && a !== null) {
      assertKnownOptions("BatchSampler", a, ["batchSize", "dropLast"]);
      batchSize = a.batchSize;
      dropLast = a.dropLast;
    }
    if (typeof batchSize !== "number" || !Number.isInteger(batchSize) || batchSize <= 0) {
      throw new ValueError(
        `batch_size should be a positive integer value, but got batch_size=${pyRepr(batchSize)}`,
      );
    }
    if (typeof dropLast !== "boolean") {
      throw new ValueError(`drop_last should be a boolean value, but got drop_last=${pyRepr(dropLast)}`);
    }
    if (sampler === null || typeof (sampler as Iterable<number>)[Symbol.iterator] !== "function") {
      throw new TypeError("BatchSampler: sampler must be iterable");
    }
    this.sampler = sampler;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
  }

  /**
   * Number of lists: `⌊len / batchSize⌋` with `dropLast`, else `⌈len / batchSize⌉`.
   * @example new tg.data.BatchSampler(new tg.data.SequentialSampler(Array(10)), 3, false).length // 4
   */
  get length(): number {
    const n = lengthOf(this.sampler);
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The lists of one pass over the sampler. @example for (const batch of batchSampler) use(batch); */
  *[Symbol.iterator](): Iterator<number[]> {
    const it = this.sampler[Symbol.iterator]();
    if (this.dropLast) {
      while (true) {
        const batch: number[] = [];
        for (let k = 0; k < this.batchSize; k++) {
          const r = it.next();
          if (r.done) return;
          batch.push(r.value);
        }
        yield batch;
      }
    }
    let batch: number[] = [];
    while (true) {
      const r = it.next();
      if (r.done) break;
      batch.push(r.value);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
}

/**
 * SubsetRandomSampler: a random order of given indices.
 *
 * @module
 */

import { randperm, type Generator } from "../tensor/random.js";
import { assertKnownOptions } from "../util/options.js";
import { checkGenerator, type Sampler } from "./sampler.js";

/**
 * Yields the given indices in a random order, without replacement
 * (`torch.utils.data.SubsetRandomSampler`): `indices[p]` for p in `randperm(indices.length)`,
 * drawn from `generator` or directly from the default generator, as in PyTorch.
 *
 * @example
 * ```ts
 * const sampler = new tg.data.SubsetRandomSampler([10, 11, 12, 13]);
 * const loader = new tg.data.DataLoader(ds, { batchSize: 2, sampler });
 * ```
 */
export class SubsetRandomSampler implements Sampler<number> {
  /** The indices to permute. */
  readonly indices: readonly number[];
  /** The generator given, if any. */
  readonly generator: Generator | undefined;

  /**
   * A sampler over `indices`.
   * @example new tg.data.SubsetRandomSampler([0, 2, 4], { generator: g })
   */
  constructor(indices: readonly number[] | ArrayLike<number>, options: { generator?: Generator } = {}) {
    assertKnownOptions("SubsetRandomSampler", options, ["generator"]);
    this.indices = Array.from(indices);
    this.generator = checkGenerator(options.generator, "SubsetRandomSampler");
  }

  /** Number of indices. @example new tg.data.SubsetRandomSampler([1, 2]).length // 2 */
  get length(): number {
    return this.indices.length;
  }

  /** The indices in a fresh random order. @example [...sampler] */
  *[Symbol.iterator](): Iterator<number> {
    const perm = randperm(this.indices.length, this.generator ? { generator: this.generator } : {});
    for (const p of perm.data as Int32Array) yield this.indices[p]!;
  }
}

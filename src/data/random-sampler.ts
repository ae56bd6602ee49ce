/**
 * RandomSampler: PyTorch's shuffled (or with-replacement) index order, draw for draw.
 *
 * @module
 */

import { Generator, randint, randperm } from "../tensor/random.js";
import { RuntimeError, ValueError } from "../util/errors.js";
import { assertKnownOptions } from "../util/options.js";
import { lengthOf } from "./dataset.js";
import { pyRepr } from "./python.js";
import { checkGenerator, drawInt64Seed, type Sampler } from "./sampler.js";

/** Options of {@link RandomSampler} (PyTorch's keyword arguments). */
export interface RandomSamplerOptions {
  /** Draw with replacement (default false). */
  replacement?: boolean;
  /** Number of indices per iteration (default: the data source's length, read at each use). */
  numSamples?: number;
  /** Generator to draw from; without one, each iteration seeds a private generator from the default one. */
  generator?: Generator;
}

/**
 * Random indices into a data source (`torch.utils.data.RandomSampler`), the same ones PyTorch
 * yields for the same generator state. Each iteration:
 *
 * ```
 * g ← options.generator, or else a new Generator seeded with
 *     random64(defaultGenerator) mod 2⁶³           (torch.empty((), int64).random_())
 * without replacement: ⌊numSamples / n⌋ times yield randperm(n, g), then yield the first
 *     numSamples mod n of one more randperm(n, g)   (drawn even when that count is 0)
 * with replacement:    ⌊numSamples / 32⌋ times yield randint(0, n, [32], g), then
 *     randint(0, n, [numSamples mod 32], g)
 * ```
 *
 * Draws happen lazily, as in PyTorch's generator function: the seed at the first index, the final
 * randperm when the iterator is advanced past the last full permutation. So a shared generator
 * is consumed exactly as in PyTorch, and so is the default generator (one 64-bit draw per epoch).
 *
 * @example
 * ```ts
 * const g = new tg.Generator().manualSeed(0);
 * [...new tg.data.RandomSampler([..."abcde"], { generator: g })];
 * // the order of list(RandomSampler(range(5), generator=torch.Generator().manual_seed(0)))
 * ```
 */
export class RandomSampler implements Sampler<number> {
  /** The data source whose length bounds the indices. */
  readonly dataSource: { readonly length: number };
  /** Whether indices are drawn with replacement. */
  readonly replacement: boolean;
  /** The generator given, if any. */
  readonly generator: Generator | undefined;
  private readonly _numSamples: number | undefined;

  /**
   * A sampler over `dataSource` (anything with a `length`).
   * @example new tg.data.RandomSampler(ds, { replacement: true, numSamples: 100 })
   */
  constructor(dataSource: { readonly length: number }, options: RandomSamplerOptions = {}) {
    assertKnownOptions("RandomSampler", options, ["replacement", "numSamples", "generator"]);
    this.dataSource = dataSource;
    const replacement = options.replacement ?? false;
    if (typeof replacement !== "boolean") {
      throw new TypeError(
        `replacement should be a boolean value, but got replacement=${pyRepr(replacement)}`,
      );
    }
    this.replacement = replacement;
    this._numSamples = options.numSamples;
    this.generator = checkGenerator(options.generator, "RandomSampler");
    const numSamples = this.numSamples;
    if (!Number.isInteger(numSamples) || numSamples <= 0) {
      throw new ValueError(
        `num_samples should be a positive integer value, but got num_samples=${pyRepr(numSamples)}`,
      );
    }
  }

  /** Indices per iteration: `numSamples`, or the data source's current length. */
  get numSamples(): number {
    return this._numSamples ?? lengthOf(this.dataSource);
  }

  /** Same as {@link numSamples} (`len(sampler)`). */
  get length(): number {
    return this.numSamples;
  }

  /** One epoch of indices. @example for (const i of sampler) use(i); */
  *[Symbol.iterator](): Iterator<number> {
    const n = lengthOf(this.dataSource);
    const generator = this.generator ?? new Generator().manualSeed(drawInt64Seed());
    const numSamples = this.numSamples;
    if (this.replacement) {
      for (let k = 0; k < Math.floor(numSamples / 32); k++) {
        yield* randint(0, n, [32], { generator }).data as Int32Array;
      }
      yield* randint(0, n, [numSamples % 32], { generator }).data as Int32Array;
    } else {
      // Python's `num_samples // n` on an empty source.
      if (n === 0) throw new RuntimeError("integer division or modulo by zero");
      for (let k = 0; k < Math.floor(numSamples / n); k++) {
        yield* randperm(n, { generator }).data as Int32Array;
      }
      yield* (randperm(n, { generator }).data as Int32Array).subarray(0, numSamples % n);
    }
  }
}

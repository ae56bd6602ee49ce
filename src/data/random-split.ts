/**
 * randomSplit: PyTorch's `torch.utils.data.random_split`.
 *
 * @module
 */

import { randperm, type Generator } from "../tensor/random.js";
import { ValueError } from "../util/errors.js";
import { assertKnownOptions } from "../util/options.js";
import { asDataset, type DatasetLike } from "./dataset.js";
import { isClose, pySum } from "./python.js";
import { Subset } from "./subset.js";
import { warnUser } from "../util/warn.js";

/** Options of {@link randomSplit}. */
export interface RandomSplitOptions {
  /** Generator for the permutation (default: the default generator, as in PyTorch). */
  generator?: Generator;
}

/**
 * The split sizes `randomSplit` uses: integer lengths as given, or, when the lengths are fractions
 * summing to 1 (`isclose(sum, 1) and sum <= 1`, with Python 3.12's compensated `sum`, so
 * `[0.2, 0.4, 0.3, 0.1]` counts as fractions, where torch on Python ≤ 3.11 rejects it),
 * `floor(n·f)` each with the remainder handed out one by one from the first split on (round robin).
 * @example splitLengths(10, [0.33, 0.33, 0.34]) // [4, 3, 3]
 */
export function splitLengths(n: number, lengths: readonly number[]): number[] {
  const total = pySum(lengths);
  if (isClose(total, 1) && total <= 1) {
    const sizes = lengths.map((frac, i) => {
      if (frac < 0 || frac > 1) throw new ValueError(`Fraction at index ${i} is not between 0 and 1`);
      return Math.floor(n * frac);
    });
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length]! += 1;
    sizes.forEach((size, i) => {
      if (size === 0) {
        warnUser(`Length of split at index ${i} is 0. This might result in an empty dataset.`);
      }
    });
    return sizes;
  }
  lengths.forEach((length, i) => {
    if (!Number.isInteger(length)) {
      throw new TypeError(
        `random_split(): lengths must be integers or fractions summing to 1, got ${length} at index ${i}`,
      );
    }
    if (length < 0) throw new ValueError(`random_split(): length at index ${i} is negative (${length})`);
  });
  if (lengths.reduce((a, b) => a + b, 0) !== n) {
    throw new ValueError("Sum of input lengths does not equal the length of the input dataset!");
  }
  return [...lengths];
}

/**
 * Split a dataset into non-overlapping random subsets (`torch.utils.data.random_split`): draws
 * `randperm(sum(lengths), { generator })` and cuts it into consecutive pieces of the given
 * lengths. Lengths may be counts summing to the dataset's length, or fractions summing to 1.
 * The same seed gives the same subsets as PyTorch.
 *
 * @example
 * ```ts
 * const [train, val] = tg.data.randomSplit(ds, [0.8, 0.2], {
 *   generator: new tg.Generator().manualSeed(42),
 * }); // random_split(ds, [0.8, 0.2], generator=torch.Generator().manual_seed(42))
 * ```
 */
export function randomSplit<T>(
  dataset: DatasetLike<T>,
  lengths: readonly number[],
  options: RandomSplitOptions = {},
): Subset<T>[] {
  assertKnownOptions("randomSplit", options, ["generator"]);
  const ds = asDataset(dataset);
  if (!Array.isArray(lengths)) throw new TypeError("random_split(): lengths must be an array of numbers");
  const sizes = splitLengths(ds.length, lengths);
  const total = sizes.reduce((a, b) => a + b, 0);
  const perm = Array.from(
    randperm(total, options.generator ? { generator: options.generator } : {}).data as Int32Array,
  );
  const out: Subset<T>[] = [];
  let offset = 0;
  for (const size of sizes) {
    out.push(new Subset(ds, perm.slice(offset, offset + size)));
    offset += size;
  }
  return out;
}

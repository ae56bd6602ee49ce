/**
 * DataLoader: PyTorch's single-process `torch.utils.data.DataLoader` over a map-style dataset.
 *
 * @module
 */

import { tensor } from "../tensor/creation.js";
import type { Generator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import { ValueError } from "../util/errors.js";
import { assertKnownOptions } from "../util/options.js";
import { BatchSampler } from "./batch-sampler.js";
import { defaultCollate, defaultConvert, type Collated } from "./collate.js";
import { asDataset, lengthOf, type Dataset, type DatasetLike } from "./dataset.js";
import { pyRepr } from "./python.js";
import { RandomSampler } from "./random-sampler.js";
import { checkGenerator, drawInt64Seed } from "./sampler.js";
import { SequentialSampler } from "./sequential-sampler.js";
import { Subset } from "./subset.js";
import { TensorDataset } from "./tensor-dataset.js";

/** Options of {@link DataLoader} (PyTorch's keyword arguments in camelCase). */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1); `null` turns auto-batching off (each item is one sample). */
  batchSize?: number | null;
  /** Reshuffle every epoch with a {@link RandomSampler} (default false). */
  shuffle?: boolean;
  /** Where indices come from (exclusive with `shuffle`). */
  sampler?: Iterable<number> & { readonly length?: number };
  /** Where whole batches of indices come from (exclusive with batchSize, shuffle, sampler, dropLast). */
  batchSampler?: Iterable<readonly number[]> & { readonly length?: number };
  /** Drop the last batch when it is short (default false). */
  dropLast?: boolean;
  /** Generator for the shuffle and for the per-epoch base seed (default: the default generator). */
  generator?: Generator;
  /** Merge a list of samples into a batch (default {@link defaultCollate}). */
  collateFn?: (samples: T[]) => B;
  /** Only 0 (load in the calling thread) is supported. */
  numWorkers?: number;
}

type AnySampler = Iterable<unknown> & { readonly length?: number };

/**
 * Iterates a dataset in batches (`torch.utils.data.DataLoader` with `num_workers=0`): indices
 * from a sampler (sequential, or a {@link RandomSampler} with `shuffle`), grouped by a
 * {@link BatchSampler}, fetched with `dataset.get` and merged with `collateFn`.
 *
 * Randomness matches PyTorch draw for draw: starting an epoch draws one 64-bit base seed from
 * `generator` (or the default generator), as PyTorch's iterator does for its workers, and the
 * shuffle consumes the generator as PyTorch's RandomSampler does; so after the same seed the
 * batches, and every later random draw of the training script, are PyTorch's.
 *
 * @example
 * ```ts
 * tg.manualSeed(0);
 * const ds = new tg.data.TensorDataset(tg.randn([100, 784]), tg.randint(0, 10, [100]));
 * const loader = new tg.data.DataLoader(ds, { batchSize: 32, shuffle: true });
 * for (const [x, y] of loader) {
 *   // x: [32, 784], y: [32] (last batch: 4 rows), same rows as PyTorch's loader after manual_seed(0)
 * }
 * loader.length; // 4
 * ```
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B> {
  /** The dataset read from. */
  readonly dataset: Dataset<T>;
  /** Samples per batch, or null without auto-batching (also null with a custom batchSampler). */
  readonly batchSize: number | null;
  /** Whether a short last batch is dropped. */
  readonly dropLast: boolean;
  /** The index sampler. */
  readonly sampler: AnySampler;
  /** The batch sampler, or null without auto-batching. */
  readonly batchSampler: AnySampler | null;
  /** The generator given, if any. */
  readonly generator: Generator | undefined;
  /** The function merging samples into a batch. */
  readonly collateFn: (samples: T[]) => B;

  /**
   * A loader over `dataset` (a {@link Dataset} or an array).
   * @example new tg.data.DataLoader(ds, { batchSize: 64, shuffle: true, dropLast: true })
   */
  constructor(dataset: DatasetLike<T>, options: DataLoaderOptions<T, B> = {}) {
    assertKnownOptions("DataLoader", options, [
      "batchSize",
      "shuffle",
      "sampler",
      "batchSampler",
      "dropLast",
      "generator",
      "collateFn",
      "numWorkers",
    ]);
    this.dataset = asDataset(dataset);
    const numWorkers = options.numWorkers ?? 0;
    if (typeof numWorkers !== "number" || !Number.isInteger(numWorkers) || numWorkers < 0) {
      throw new ValueError(
        "num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.",
      );
    }
    if (numWorkers > 0) {
      throw new ValueError(
        `numWorkers=${numWorkers}: tsgrad loads data in the calling thread only; use numWorkers: 0`,
      );
    }
    let batchSize = options.batchSize === undefined ? 1 : options.batchSize;
    const dropLast = options.dropLast ?? false;
    const shuffle = options.shuffle ?? false;
    let sampler: AnySampler | undefined = options.sampler ?? undefined;
    let batchSampler: AnySampler | null = options.batchSampler ?? null;
    if (typeof dropLast !== "boolean") {
      throw new ValueError(`drop_last should be a boolean value, but got drop_last=${pyRepr(dropLast)}`);
    }
    if (typeof shuffle !== "boolean") {
      throw new TypeError(`shuffle should be a boolean value, but got shuffle=${pyRepr(shuffle)}`);
    }
    if (batchSize === null && dropLast) {
      throw new ValueError(
        "batch_size=None option disables auto-batching and is mutually exclusive with drop_last",
      );
    }
    if (sampler !== undefined && shuffle) {
      throw new ValueError("sampler option is mutually exclusive with shuffle");
    }
    if (batchSampler !== null) {
      if (batchSize !== 1 || shuffle || sampler !== undefined || dropLast) {
        throw new ValueError(
          "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last",
        );
      }
      batchSize = null;
    }
    this.generator = checkGenerator(options.generator, "DataLoader");
    if (sampler === undefined) {
      sampler = shuffle
        ? new RandomSampler(this.dataset, this.generator ? { generator: this.generator } : {})
        : new SequentialSampler(this.dataset);
    }
    if (batchSize !== null && batchSampler === null) {
      batchSampler = new BatchSampler(sampler as Iterable<number>, batchSize, dropLast);
    }
    this.batchSize = batchSize;
    this.dropLast = dropLast;
    this.sampler = sampler;
    this.batchSampler = batchSampler;
    if (options.collateFn !== undefined && typeof options.collateFn !== "function") {
      throw new TypeError("collateFn must be a function");
    }
    this.collateFn =
      options.collateFn ??
      ((batchSampler !== null ? defaultCollate : defaultConvert) as unknown as (samples: T[]) => B);
  }

  /** @internal Whether samples are batched (`_auto_collation`). */
  get _autoCollation(): boolean {
    return this.batchSampler !== null;
  }

  /** @internal The sampler whose items are fetched (`_index_sampler`). */
  get _indexSampler(): AnySampler {
    return this.batchSampler ?? this.sampler;
  }

  /**
   * Number of batches per epoch (`len(loader)`): the length of the batch sampler (or sampler).
   * @example new tg.data.DataLoader(Array(10), { batchSize: 3 }).length // 4
   */
  get length(): number {
    return lengthOf(this._indexSampler);
  }

  /**
   * Start an epoch: a fresh iterator over the batches (draws the base seed now, as PyTorch does).
   * @example const it = loader[Symbol.iterator](); const first = it.next().value;
   */
  [Symbol.iterator](): DataLoaderIterator<T, B> {
    return new DataLoaderIterator(this);
  }
}

/**
 * One epoch of a {@link DataLoader} (PyTorch's `_SingleProcessDataLoaderIter`).
 *
 * @example
 * ```ts
 * const it = loader[Symbol.iterator]();
 * for (let r = it.next(); !r.done; r = it.next()) use(r.value);
 * ```
 */
export class DataLoaderIterator<T, B> implements IterableIterator<B> {
  /**
   * The base seed PyTorch would hand its workers (`_base_seed`): one draw modulo 2⁶³ from the
   * loader's generator, taken when the epoch starts.
   */
  readonly baseSeed: bigint;
  private readonly loader: DataLoader<T, B>;
  private readonly indices: Iterator<unknown>;
  private yielded = 0;

  /** @internal Use `loader[Symbol.iterator]()`. */
  constructor(loader: DataLoader<T, B>) {
    this.loader = loader;
    // PyTorch creates the sampler iterator first, then draws the base seed.
    this.indices = loader._indexSampler[Symbol.iterator]();
    this.baseSeed = drawInt64Seed(loader.generator);
  }

  /** Batches per epoch (`len(iterator)`). @example it.length */
  get length(): number {
    return lengthOf(this.loader._indexSampler);
  }

  /** Batches returned so far in this epoch. @example it.numYielded */
  get numYielded(): number {
    return this.yielded;
  }

  /** The next batch. @example it.next() */
  next(): IteratorResult<B> {
    const r = this.indices.next();
    if (r.done) return { done: true, value: undefined };
    const batch = this.fetch(r.value);
    this.yielded++;
    return { done: false, value: batch };
  }

  /** Stop early (what `break` in a `for...of` calls); closes the sampler's iterator. */
  return(): IteratorResult<B> {
    this.indices.return?.();
    return { done: true, value: undefined };
  }

  /** The iterator itself, so it can be used in `for...of`. */
  [Symbol.iterator](): this {
    return this;
  }

  private fetch(index: unknown): B {
    const { collateFn } = this.loader;
    const dataset: Dataset<T> = this.loader.dataset;
    if (!this.loader._autoCollation) return collateFn(dataset.get(index as number) as never);
    const ids = index as readonly number[];
    if (collateFn === (defaultCollate as unknown) && ids.length > 0) {
      const direct = plainTensorRows(dataset, ids);
      // One gather per tensor instead of a view per sample and a stack: same values, fewer objects.
      if (direct !== null) return gatherRows(direct.dataset, direct.ids) as B;
    }
    const source: Dataset<T> = this.loader.dataset;
    const samples =
      typeof source.getItems === "function" ? source.getItems(ids) : ids.map((i) => source.get(i));
    return collateFn(samples);
  }
}

/**
 * When `dataset` is a TensorDataset, or a chain of Subsets over one, none with overridden
 * reads: the TensorDataset and the row indices the batch reads from it. Otherwise null.
 */
function plainTensorRows(
  dataset: Dataset<unknown>,
  ids: readonly number[],
): { dataset: TensorDataset; ids: readonly number[] } | null {
  let ds = dataset;
  let rows = ids;
  while (
    ds instanceof Subset &&
    ds.get === Subset.prototype.get &&
    ds.getItems === Subset.prototype.getItems
  ) {
    const subset: Subset<unknown> = ds;
    const n = subset.indices.length;
    rows = rows.map((i) => {
      // Same bounds rule and message as Subset.get.
      if (!Number.isInteger(i) || i < -n || i >= n) subset.get(i);
      return subset.indices[i < 0 ? i + n : i]!;
    });
    ds = subset.dataset;
  }
  if (ds instanceof TensorDataset && ds.get === TensorDataset.prototype.get)
    return { dataset: ds, ids: rows };
  return null;
}

/** `default_collate([ds[i] for i in ids])` for a TensorDataset, as one indexSelect per tensor. */
function gatherRows(dataset: TensorDataset, ids: readonly number[]): Tensor[] {
  const n = dataset.length;
  for (const i of ids) {
    // Same bounds rule and message as TensorDataset.get.
    if (!Number.isInteger(i) || i < -n || i >= n) dataset.get(i);
  }
  const index = tensor(ids as number[], { dtype: "int32" });
  return dataset.tensors.map((t) => t.indexSelect(0, index));
}

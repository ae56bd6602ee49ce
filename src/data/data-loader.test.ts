import { describe, expect, it } from "vitest";
import { arange, tensor } from "../tensor/creation.js";
import { Generator, manualSeed, rand } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import { ValueError } from "../util/errors.js";
import { BatchSampler } from "./batch-sampler.js";
import { defaultCollate } from "./collate.js";
import { DataLoader } from "./data-loader.js";
import { SequentialSampler } from "./sequential-sampler.js";
import { Subset } from "./subset.js";
import { TensorDataset } from "./tensor-dataset.js";

describe("DataLoader", () => {
  it("batches sequentially by default, last batch short", () => {
    const loader = new DataLoader([0, 1, 2, 3, 4], { batchSize: 2 });
    expect(loader.length).toBe(3);
    expect([...loader].map((b) => b.tolist())).toEqual([[0, 1], [2, 3], [4]]);
    expect(new DataLoader([0, 1, 2, 3, 4], { batchSize: 2, dropLast: true }).length).toBe(2);
  });

  it("defaults to batches of one", () => {
    expect([...new DataLoader([7, 8])].map((b) => b.tolist())).toEqual([[7], [8]]);
  });

  it("passes single samples through with batchSize null", () => {
    const loader = new DataLoader<number, number>([7, 8, 9], { batchSize: null });
    expect([...loader]).toEqual([7, 8, 9]);
    expect(loader.length).toBe(3);
    expect(loader.batchSampler).toBeNull();
  });

  it("uses a custom collateFn and a batchSampler", () => {
    const loader = new DataLoader(["a", "b", "c"], {
      batchSampler: new BatchSampler(new SequentialSampler(Array(3)), 2, false),
      collateFn: (s: string[]) => s.join(""),
    });
    expect([...loader]).toEqual(["ab", "c"]);
    expect(loader.batchSize).toBeNull();
    expect(loader.length).toBe(2);
  });

  it("prefers a dataset's getItems", () => {
    const seen: number[][] = [];
    const ds = {
      length: 4,
      get: (i: number) => i,
      getItems: (ids: readonly number[]) => {
        seen.push([...ids]);
        return ids.map((i) => i + 10);
      },
    };
    expect([...new DataLoader(ds, { batchSize: 3 })].map((b) => b.tolist())).toEqual([[10, 11, 12], [13]]);
    expect(seen).toEqual([[0, 1, 2], [3]]);
  });

  it("gives the same batches on the TensorDataset fast path as sample-by-sample collation", () => {
    const x = arange(24, undefined, 1, { dtype: "float32" }).reshape([6, 2, 2]).transpose(1, 2);
    const y = tensor([true, false, true, true, false, false]);
    const ds = new TensorDataset(x, y);
    const fast = [
      ...new DataLoader(ds, { batchSize: 4, shuffle: true, generator: new Generator().manualSeed(1) }),
    ];
    const slow = [
      ...new DataLoader(ds, {
        batchSize: 4,
        shuffle: true,
        generator: new Generator().manualSeed(1),
        collateFn: (s: Tensor[][]) => defaultCollate(s),
      }),
    ];
    expect(fast.length).toBe(2);
    for (let b = 0; b < fast.length; b++) {
      for (let k = 0; k < 2; k++) {
        expect(fast[b]![k]!.dtype).toBe(slow[b]![k]!.dtype);
        expect(fast[b]![k]!.shape).toEqual(slow[b]![k]!.shape);
        expect(fast[b]![k]!.tolist()).toEqual(slow[b]![k]!.tolist());
      }
    }
    // A subclass that overrides get is read through get.
    class Doubled extends TensorDataset<[Tensor]> {
      override get(i: number): [Tensor] {
        return [super.get(i)[0].mul(2)];
      }
    }
    const batches = [
      ...new DataLoader(new Doubled(arange(3, undefined, 1, { dtype: "float64" })), { batchSize: 3 }),
    ];
    expect(batches.map(([b]) => b.tolist())).toEqual([[0, 2, 4]]);
    // Subsets (as randomSplit returns) of a TensorDataset, nested, with negative indices.
    const inner = new Subset(ds, [5, 4, 3, 2, 1]);
    const outer = new Subset(inner, [-1, 0, 2, -2]);
    const viaSubset = [...new DataLoader(outer, { batchSize: 3 })];
    const bySample = [
      ...new DataLoader(outer, { batchSize: 3, collateFn: (s: Tensor[][]) => defaultCollate(s) }),
    ];
    expect(viaSubset.map((b) => b.map((t) => t.tolist()))).toEqual(
      bySample.map((b) => b.map((t) => t.tolist())),
    );
    expect(viaSubset[0]![1]!.tolist()).toEqual([false, false, true]);
    expect(() => [...new DataLoader(new Subset(ds, [0, 9]), { batchSize: 2 })]).toThrow(
      "index 9 is out of bounds for dimension 0 with size 6",
    );
    expect(() => [...new DataLoader(new Subset(ds, [0]), { batchSampler: [[0, 1]] })]).toThrow(
      "list index out of range",
    );
  });

  it("draws one base seed per epoch from the default generator even without shuffle", () => {
    manualSeed(0);
    const loader = new DataLoader([1, 2, 3], { batchSize: 2 });
    for (const b of loader) expect(b.numel()).toBeGreaterThan(0);
    const after = rand([2]).toTypedArray();
    manualSeed(0);
    rand([1], { dtype: "float64" }); // one 64-bit draw = two words, like a float64 uniform
    expect(rand([2]).toTypedArray()).toEqual(after);
  });

  it("stops early on break and reports progress", () => {
    const loader = new DataLoader(
      Array.from({ length: 10 }, (_, i) => i),
      { batchSize: 3 },
    );
    const it = loader[Symbol.iterator]();
    expect(it.length).toBe(4);
    it.next();
    it.next();
    expect(it.numYielded).toBe(2);
    expect(it.return().done).toBe(true);
    expect(it.next().done).toBe(true);
  });

  it("validates options with PyTorch's messages", () => {
    const ds = [1, 2, 3];
    const seq = new SequentialSampler(ds);
    expect(() => new DataLoader(ds, { sampler: seq, shuffle: true })).toThrow(
      new ValueError("sampler option is mutually exclusive with shuffle"),
    );
    const bs = new BatchSampler(seq, 2, false);
    for (const extra of [{ batchSize: 2 }, { shuffle: true }, { sampler: seq }, { dropLast: true }]) {
      expect(() => new DataLoader(ds, { batchSampler: bs, ...extra })).toThrow(
        "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last",
      );
    }
    expect(() => new DataLoader(ds, { batchSize: null, dropLast: true })).toThrow(
      "batch_size=None option disables auto-batching and is mutually exclusive with drop_last",
    );
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(
      "batch_size should be a positive integer value, but got batch_size=0",
    );
    expect(() => new DataLoader(ds, { batch_size: 2 } as never)).toThrow("did you mean batchSize?");
    expect(() => new DataLoader(ds, { numWorkers: 2 })).toThrow(ValueError);
    expect(() => new DataLoader(ds, { numWorkers: -1 })).toThrow("num_workers option should be non-negative");
    expect(new DataLoader(ds, { numWorkers: 0 }).length).toBe(3);
    expect(() => new DataLoader(ds, { shuffle: 1 as never })).toThrow(TypeError);
    expect(() => new DataLoader(5 as never)).toThrow(TypeError);
    expect(() => new DataLoader(ds, { generator: {} as never, shuffle: true })).toThrow(TypeError);
  });
});

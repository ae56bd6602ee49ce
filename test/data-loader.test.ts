import { describe, expect, it } from "vitest";
import {
  BatchSampler,
  DataLoader,
  RandomSampler,
  SubsetRandomSampler,
  TensorDataset,
  drawInt64Seed,
  randomSplit,
} from "../src/data/index.js";
import { arange } from "../src/tensor/creation.js";
import { Generator, manualSeed, rand } from "../src/tensor/random.js";
import type { Tensor } from "../src/tensor/tensor.js";
import { decodeNumber, loadFixture } from "./helpers/fixtures.js";
import { expectExact } from "./helpers/close.js";

interface Epoch {
  baseSeed: string;
  batches: number[][];
  draws: Array<number | string>;
}
interface LoaderCase {
  kind: "generator" | "default" | "sequential";
  seed: number;
  n: number;
  batchSize: number;
  dropLast: boolean;
  stopAfter?: number;
  length: number;
  epochs: Epoch[];
  after: Array<number | string>;
}
interface SamplerCase {
  kind: "generator" | "default" | "batch" | "subset-generator" | "subset-default";
  seed: number;
  n?: number;
  indices?: number[];
  replacement?: boolean;
  numSamples?: number | null;
  length?: number;
  epochs: Array<Array<number | number[]>>;
  after: Array<number | string>;
}
interface SplitCase {
  kind: "generator" | "default";
  seed: number;
  n: number;
  lengths: number[];
  subsets: number[][];
  after: Array<number | string>;
}
interface Fixture {
  loaders: LoaderCase[];
  samplers: SamplerCase[];
  int64Seeds: Array<{ seed: number; draws: string[] }>;
  splits: SplitCase[];
}

const fx = loadFixture<Fixture>("data-loader");

/** Three float32 uniforms after the case, from its generator or the default one. */
function expectAfter(expected: Array<number | string>, generator?: Generator): void {
  const got = rand([3], generator ? { generator } : {}).toTypedArray();
  expectExact(got, expected.map(decodeNumber), "draws after");
}

function label(c: LoaderCase): string {
  const stop = c.stopAfter !== undefined ? ` stopAfter=${c.stopAfter}` : "";
  return `${c.kind} seed=${c.seed} n=${c.n} batchSize=${c.batchSize} dropLast=${c.dropLast}${stop}`;
}

describe("DataLoader matches torch.utils.data.DataLoader (torch 1.13 fixture)", () => {
  it("covers both generator kinds and drop_last settings", () => {
    expect(fx.loaders.filter((c) => c.kind === "generator" && c.dropLast).length).toBeGreaterThan(10);
    expect(fx.loaders.filter((c) => c.kind === "default" && !c.dropLast).length).toBeGreaterThan(10);
  });

  for (const c of fx.loaders) {
    it(label(c), () => {
      const ds = new TensorDataset(arange(c.n, undefined, 1, { dtype: "int32" }));
      let generator: Generator | undefined;
      if (c.kind === "generator") generator = new Generator().manualSeed(c.seed);
      else manualSeed(c.seed);
      const loader = new DataLoader(ds, {
        batchSize: c.batchSize,
        shuffle: c.kind !== "sequential",
        dropLast: c.dropLast,
        ...(generator ? { generator } : {}),
      });
      expect(loader.length).toBe(c.length);
      for (const [e, epoch] of c.epochs.entries()) {
        const it = loader[Symbol.iterator]();
        expect(it.baseSeed.toString(), `epoch ${e} base seed`).toBe(epoch.baseSeed);
        const batches: number[][] = [];
        const draws: number[] = [];
        for (const [x] of it) {
          batches.push(Array.from(x.toTypedArray()));
          if (c.kind === "default") draws.push(rand([1]).item());
          if (c.stopAfter !== undefined && batches.length >= c.stopAfter) break;
        }
        expect(batches, `epoch ${e}`).toEqual(epoch.batches);
        expectExact(draws, epoch.draws.map(decodeNumber), `epoch ${e} interleaved draws`);
      }
      expectAfter(c.after, generator);
    });
  }
});

describe("samplers match PyTorch", () => {
  for (const c of fx.samplers) {
    it(`${c.kind} seed=${c.seed}${c.n !== undefined ? ` n=${c.n}` : ""}${
      c.replacement !== undefined ? ` replacement=${c.replacement} numSamples=${c.numSamples}` : ""
    }`, () => {
      let generator: Generator | undefined;
      if (c.kind === "default" || c.kind === "subset-default") manualSeed(c.seed);
      else generator = new Generator().manualSeed(c.seed);
      const g = generator ? { generator } : {};
      let sampler: Iterable<number | number[]> & { length?: number };
      if (c.kind === "batch") {
        sampler = new BatchSampler(new RandomSampler(Array(c.n), g), 4, false);
      } else if (c.kind === "subset-generator" || c.kind === "subset-default") {
        sampler = new SubsetRandomSampler(c.indices!, g);
      } else {
        sampler = new RandomSampler(Array(c.n), {
          replacement: c.replacement!,
          ...(c.numSamples !== null ? { numSamples: c.numSamples! } : {}),
          ...g,
        });
        expect(sampler.length).toBe(c.length);
      }
      for (const [e, epoch] of c.epochs.entries()) expect([...sampler], `epoch ${e}`).toEqual(epoch);
      expectAfter(c.after, generator);
    });
  }

  it("draws 64-bit seeds as torch.empty((), dtype=torch.int64).random_()", () => {
    for (const c of fx.int64Seeds) {
      manualSeed(c.seed);
      expect(c.draws.map(() => drawInt64Seed().toString())).toEqual(c.draws);
    }
  });
});

describe("randomSplit matches torch.utils.data.random_split", () => {
  for (const c of fx.splits) {
    it(`${c.kind} seed=${c.seed} n=${c.n} lengths=[${c.lengths.join(", ")}]`, () => {
      let generator: Generator | undefined;
      if (c.kind === "generator") generator = new Generator().manualSeed(c.seed);
      else manualSeed(c.seed);
      const data = Array.from({ length: c.n }, (_, i) => i);
      const subsets = randomSplit(data, c.lengths, generator ? { generator } : {});
      expect(subsets.map((s) => [...s.indices])).toEqual(c.subsets);
      expect(subsets.map((s) => Array.from({ length: s.length }, (_, i) => s.get(i)))).toEqual(c.subsets);
      expectAfter(c.after, generator);
    });
  }
});

describe("DataLoader batches hold the dataset rows", () => {
  it("collates features and labels of a TensorDataset", () => {
    const x = arange(20, undefined, 1, { dtype: "float64" }).reshape([10, 2]);
    const y = arange(10, undefined, 1, { dtype: "int32" });
    const loader = new DataLoader(new TensorDataset(x, y), {
      batchSize: 4,
      shuffle: true,
      generator: new Generator().manualSeed(0),
    });
    for (const [xb, yb] of loader) {
      const ids = Array.from(yb.toTypedArray());
      expect(xb.shape).toEqual([ids.length, 2]);
      expect(Array.from(xb.toTypedArray())).toEqual(ids.flatMap((i) => [2 * i, 2 * i + 1]));
      expect((xb as Tensor).dtype).toBe("float64");
    }
  });
});

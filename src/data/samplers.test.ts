import { describe, expect, it } from "vitest";
import { Generator, manualSeed, randperm } from "../tensor/random.js";
import { RuntimeError, ValueError } from "../util/errors.js";
import { BatchSampler } from "./batch-sampler.js";
import { RandomSampler } from "./random-sampler.js";
import { drawInt64Seed } from "./sampler.js";
import { SequentialSampler } from "./sequential-sampler.js";
import { SubsetRandomSampler } from "./subset-random-sampler.js";

describe("SequentialSampler", () => {
  it("follows the data source's current length", () => {
    const data = [1, 2, 3];
    const s = new SequentialSampler(data);
    expect([...s]).toEqual([0, 1, 2]);
    data.push(4);
    expect(s.length).toBe(4);
    expect([...s]).toEqual([0, 1, 2, 3]);
    expect(() => new SequentialSampler(5 as never)).toThrow("object of type 'Number' has no len()");
  });
});

describe("RandomSampler", () => {
  it("is one randperm per epoch (plus the drawn-but-unused one) with a generator", () => {
    const g = new Generator().manualSeed(9);
    const sampler = new RandomSampler(Array(6), { generator: g });
    const first = [...sampler];
    const ref = new Generator().manualSeed(9);
    expect(first).toEqual(Array.from(randperm(6, { generator: ref }).toTypedArray()));
    randperm(6, { generator: ref }); // the trailing randperm(n)[:0]
    expect([...sampler]).toEqual(Array.from(randperm(6, { generator: ref }).toTypedArray()));
  });

  it("seeds a private generator from one 64-bit draw of the default generator", () => {
    manualSeed(5);
    const seed = drawInt64Seed();
    const expected = Array.from(randperm(4, { generator: new Generator().manualSeed(seed) }).toTypedArray());
    manualSeed(5);
    expect([...new RandomSampler(Array(4))]).toEqual(expected);
  });

  it("draws nothing until iterated", () => {
    const g = new Generator().manualSeed(1);
    const before = g.getState();
    const it = new RandomSampler(Array(4), { generator: g })[Symbol.iterator]();
    expect(g.getState()).toEqual(before);
    it.next();
    expect(g.getState()).not.toEqual(before);
  });

  it("validates like PyTorch", () => {
    expect(() => new RandomSampler([], {})).toThrow(
      new ValueError("num_samples should be a positive integer value, but got num_samples=0"),
    );
    expect(() => new RandomSampler([1], { numSamples: 1.5 })).toThrow("but got num_samples=1.5");
    expect(() => new RandomSampler([1], { replacement: 1 as never })).toThrow(
      new TypeError("replacement should be a boolean value, but got replacement=1"),
    );
    expect(() => new RandomSampler([1], { generator: 3 as never })).toThrow(TypeError);
    expect(() => new RandomSampler([1], { num_samples: 3 } as never)).toThrow("did you mean numSamples?");
    const data = [1];
    const s = new RandomSampler(data, { numSamples: 3 });
    data.pop();
    expect(() => [...s]).toThrow(RuntimeError);
  });

  it("yields numSamples indices with replacement, in range", () => {
    const s = new RandomSampler(Array(3), { replacement: true, numSamples: 70, generator: new Generator() });
    const out = [...s];
    expect(out.length).toBe(70);
    expect(out.every((i) => i >= 0 && i < 3)).toBe(true);
  });
});

describe("SubsetRandomSampler", () => {
  it("permutes the given indices", () => {
    const s = new SubsetRandomSampler([5, 6, 7], { generator: new Generator().manualSeed(0) });
    expect(s.length).toBe(3);
    expect([...s].sort()).toEqual([5, 6, 7]);
  });
});

describe("BatchSampler", () => {
  const seq = new SequentialSampler(Array(10));

  it("groups indices, keeping or dropping the short batch", () => {
    expect([...new BatchSampler(seq, 3, false)]).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    expect([...new BatchSampler(seq, { batchSize: 3, dropLast: true })]).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]);
    expect(new BatchSampler(seq, 3, false).length).toBe(4);
    expect(new BatchSampler(seq, 3, true).length).toBe(3);
    expect(new BatchSampler(seq, 5, true).length).toBe(2);
  });

  it("validates like PyTorch", () => {
    expect(() => new BatchSampler(seq, 0, false)).toThrow(
      new ValueError("batch_size should be a positive integer value, but got batch_size=0"),
    );
    expect(() => new BatchSampler(seq, 2, 0 as never)).toThrow(
      new ValueError("drop_last should be a boolean value, but got drop_last=0"),
    );
    expect(() => new BatchSampler(seq, { batchSize: 2, drop_last: true } as never)).toThrow(
      "did you mean dropLast?",
    );
    expect(() => new BatchSampler(5 as never, 2, false)).toThrow(TypeError);
    const lengthless = new BatchSampler({ *[Symbol.iterator]() {} }, 2, false);
    expect(() => lengthless.length).toThrow("has no len()");
  });
});

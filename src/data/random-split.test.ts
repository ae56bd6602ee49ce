import { afterEach, describe, expect, it, vi } from "vitest";
import { Generator } from "../tensor/random.js";
import { ValueError } from "../util/errors.js";
import { randomSplit, splitLengths } from "./random-split.js";

afterEach(() => vi.restoreAllMocks());

describe("splitLengths", () => {
  it("floors fractions and hands out the remainder round robin", () => {
    expect(splitLengths(10, [0.33, 0.33, 0.34])).toEqual([4, 3, 3]);
    expect(splitLengths(11, [0.5, 0.5])).toEqual([6, 5]);
    expect(splitLengths(10, Array(10).fill(0.1))).toEqual(Array(10).fill(1));
    expect(splitLengths(5, [2, 3])).toEqual([2, 3]);
  });

  it("sums fractions like current Python (3.12+, compensated), not Python 3.11", () => {
    // Left-to-right addition gives 1.0000000000000002 > 1, so torch on Python 3.11 takes these
    // for integer lengths and raises; Python 3.12's sum() gives 1, and so does tsgrad.
    expect(0.2 + 0.4 + 0.3 + 0.1).toBeGreaterThan(1);
    expect(splitLengths(10, [0.2, 0.4, 0.3, 0.1])).toEqual([2, 4, 3, 1]);
  });

  it("warns about empty splits, as PyTorch does", () => {
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    expect(splitLengths(2, [0.1, 0.9])).toEqual([1, 1]);
    expect(spy).not.toHaveBeenCalled();
    expect(splitLengths(1, [0.5, 0.5])).toEqual([1, 0]);
    expect(spy).toHaveBeenCalledWith(
      "Length of split at index 1 is 0. This might result in an empty dataset.",
      "UserWarning",
    );
  });

  it("rejects bad lengths with PyTorch's messages", () => {
    expect(() => splitLengths(10, [3, 6])).toThrow(
      new ValueError("Sum of input lengths does not equal the length of the input dataset!"),
    );
    expect(() => splitLengths(10, [1.5, -0.5])).toThrow("Fraction at index 0 is not between 0 and 1");
    expect(() => splitLengths(10, [2.5, 7.5])).toThrow(TypeError);
    expect(() => splitLengths(10, [0.5, 0.6, -0.1])).toThrow("Fraction at index 2 is not between 0 and 1");
    expect(() => splitLengths(10, [12, -2])).toThrow(ValueError);
  });
});

describe("randomSplit", () => {
  it("partitions the dataset", () => {
    const data = Array.from({ length: 20 }, (_, i) => i);
    const parts = randomSplit(data, [0.5, 0.25, 0.25], { generator: new Generator().manualSeed(3) });
    expect(parts.map((p) => p.length)).toEqual([10, 5, 5]);
    const all = parts.flatMap((p) => [...p.indices]).sort((a, b) => a - b);
    expect(all).toEqual(data);
  });

  it("checks its options", () => {
    expect(() => randomSplit([1, 2], [1, 1], { seed: 1 } as never)).toThrow(
      "unknown option seed for randomSplit",
    );
  });
});

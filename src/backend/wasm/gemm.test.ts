import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gemmTuning, partitionGemm, placeOperand, planGemm } from "./gemm.js";

// The default tuning, whatever a setup file (TSGRAD_WASM_PARALLEL_MIN_FLOPS) chose for the run.
const saved = { ...gemmTuning };
beforeEach(() => {
  gemmTuning.parallelMinFlops = 4e6;
  gemmTuning.unitsPerThread = 4;
  gemmTuning.cacheBytes = 32 << 20;
});
afterEach(() => {
  Object.assign(gemmTuning, saved);
});

describe("placeOperand", () => {
  it("copies the storage span of dense and transposed views as they are", () => {
    const p = placeOperand([0], 3, 4, 1, 3);
    expect(p.mode).toBe("span");
    expect([p.rs, p.cs, p.elements]).toEqual([1, 3, 12]);
  });

  it("copies broadcast batches once", () => {
    const p = placeOperand([10, 10, 10], 5, 5, 5, 1);
    expect(p.mode).toBe("span");
    expect(p.elements).toBe(25);
  });

  it("copies far-apart batches one matrix at a time", () => {
    const p = placeOperand([0, 100000, 0], 5, 5, 5, 1);
    expect(p.mode).toBe("each");
    expect(p.distinct).toEqual([0, 100000]);
    expect(Array.from(p.slot)).toEqual([0, 1, 0]);
  });

  it("gathers views that skip most of their storage", () => {
    const p = placeOperand([0], 6, 4, 100000, 1);
    expect(p.mode).toBe("gather");
    expect([p.rs, p.cs, p.elements]).toEqual([4, 1, 24]);
  });
});

describe("partitionGemm", () => {
  it("keeps small products on one thread", () => {
    expect(partitionGemm(1, 8, 8, 8, 2, 4, 8)).toHaveLength(1);
  });

  it("splits large products across threads by columns, rows or batches", () => {
    expect(partitionGemm(1, 128, 1024, 1024, 2, 4, 8).map((p) => [p.c0, p.c1])).toEqual([
      [0, 512],
      [512, 1024],
    ]);
    expect(partitionGemm(1, 4096, 16, 512, 2, 4, 8).map((p) => [p.r0, p.r1])).toEqual([
      [0, 2048],
      [2048, 4096],
    ]);
    expect(partitionGemm(4, 256, 256, 256, 2, 4, 8).map((p) => [p.b0, p.b1])).toEqual([
      [0, 2],
      [2, 4],
    ]);
  });
});

describe("planGemm", () => {
  it("runs small products or one thread as one static part", () => {
    expect(planGemm(1, 8, 8, 8, 2, 4, 8, 4).kind).toBe("static");
    expect(planGemm(1, 1024, 1024, 1024, 1, 4, 8, 4).kind).toBe("static");
  });

  it("cuts the wider dimension of C into units and caches the operand every unit needs", () => {
    const cols = planGemm(1, 128, 512, 784, 2, 4, 8, 4);
    expect(cols).toMatchObject({ kind: "dynamic", axis: 2, unitSize: 64, units: 8, extent: 512, cache: "A" });
    const rows = planGemm(1, 4096, 16, 512, 2, 4, 8, 8);
    expect(rows).toMatchObject({ kind: "dynamic", axis: 1, extent: 4096, cache: "B" });
  });

  it("claims whole batches when there are enough, without a cache", () => {
    expect(planGemm(16, 64, 64, 64, 2, 4, 8, 4)).toMatchObject({
      kind: "dynamic",
      axis: 0,
      unitSize: 2,
      units: 8,
      cache: null,
    });
  });

  it("does not cache an operand larger than the cache budget", () => {
    expect(planGemm(1, 8192, 8192, 8192, 2, 4, 8, 4)).toMatchObject({ kind: "dynamic", cache: null });
  });
});

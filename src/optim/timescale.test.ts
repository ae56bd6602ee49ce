import { describe, expect, it } from "vitest";
import { weightDecayFromTimescale } from "./timescale.js";

describe("weightDecayFromTimescale", () => {
  it("solves τ = 1/(lr·λ) for the run length in iterations", () => {
    const r = weightDecayFromTimescale({ epochs: 10, lr: 1e-3, datasetSize: 50_000, batchSize: 100 });
    expect(r.iterationsPerEpoch).toBe(500);
    expect(r.tauIterations).toBe(5000);
    expect(r.weightDecay).toBeCloseTo(0.2, 15);
    expect(1 / (1e-3 * r.weightDecay)).toBeCloseTo(r.tauIterations, 9);
    expect(r.shrinkPerStep).toBeCloseTo(1 - 1e-3 * 0.2, 15);
  });
  it("takes a timescale shorter than the run", () => {
    const r = weightDecayFromTimescale({
      epochs: 100,
      lr: 0.01,
      datasetSize: 1000,
      batchSize: 10,
      tauEpochs: 5,
    });
    expect(r.tauIterations).toBe(500);
    expect(r.weightDecay).toBeCloseTo(0.2, 15);
  });
  it("scales λ inversely with lr and dataset size", () => {
    const base = weightDecayFromTimescale({
      epochs: 3,
      lr: 1e-3,
      datasetSize: 1e4,
      batchSize: 32,
    }).weightDecay;
    expect(
      weightDecayFromTimescale({ epochs: 3, lr: 2e-3, datasetSize: 1e4, batchSize: 32 }).weightDecay,
    ).toBeCloseTo(base / 2, 15);
    expect(
      weightDecayFromTimescale({ epochs: 3, lr: 1e-3, datasetSize: 2e4, batchSize: 32 }).weightDecay,
    ).toBeCloseTo(base / 2, 15);
  });
  it("names a bad input", () => {
    expect(() => weightDecayFromTimescale({ epochs: 0, lr: 1, datasetSize: 1, batchSize: 1 })).toThrow(
      "weightDecayFromTimescale: epochs must be a positive number, got 0",
    );
  });
});

import { describe, expect, it } from "vitest";
import { TRAIN_DEFAULTS, type TrainConfig } from "./config.js";
import { decayPace, findings, resultsTable, shortNumber, type SweepResult } from "./results.js";
import type { EpochRecord, RunSummary } from "./trainer.js";

const cfg = (over: Partial<TrainConfig>): TrainConfig => ({ ...TRAIN_DEFAULTS, ...over });

function result(id: string, config: TrainConfig, testAcc: number, normDecayed: number): SweepResult {
  const final: EpochRecord = {
    kind: "epoch",
    epoch: 1,
    step: 10,
    trainLoss: 0.5,
    trainAcc: 0.8,
    testLoss: 0.6,
    testAcc,
    normDecayed,
    normExcluded: 1,
    samplesPerSecond: 100,
  };
  const summary: RunSummary = {
    status: "finished",
    config,
    backend: "js",
    epochs: 1,
    steps: 10,
    final,
    seconds: 1,
    decay: [
      { name: "1.weight", shape: [2, 2], decayed: true, reason: "weight" },
      { name: "1.bias", shape: [2], decayed: false, reason: "bias" },
    ],
    explain: "",
  };
  return { id, summary };
}

describe("sweep results", () => {
  it("state how fast decay alone shrinks the weights, where that has a simple form", () => {
    const adamw = cfg({ optimizer: "adamw", optimizerOptions: { lr: 1e-3 }, weightDecay: 0.05, epochs: 5 });
    const steps = 1 / (1e-3 * 0.05);
    const epochs = steps / Math.ceil(adamw.trainSize / adamw.batchSize);
    expect(decayPace(adamw)).toBe(
      `decay alone removes lr·λ = ${shortNumber(1e-3 * 0.05)} of the weights per step (timescale ${shortNumber(steps)} steps = ${shortNumber(epochs)} epochs, longer than the 5-epoch run)`,
    );
    const sgd = cfg({ optimizer: "sgd", optimizerOptions: { lr: 0.05, momentum: 0.9 }, weightDecay: 0.05 });
    expect(decayPace(sgd)).toContain(`about lr·λ/(1 − momentum) = ${shortNumber((0.05 * 0.05) / (1 - 0.9))}`);
    expect(decayPace(cfg({ optimizer: "adam", weightDecay: 0.1 }))).toBeNull(); // coupled and divided by √v
    expect(decayPace(cfg({ optimizer: "adamw", weightDecay: 0 }))).toBeNull();
  });

  it("tabulate every run and summarize each optimizer", () => {
    const runs = [
      result("01", cfg({ weightDecay: 0 }), 0.9, 10),
      result("02", cfg({ weightDecay: 0.01 }), 0.92, 5),
    ];
    const table = resultsTable(runs).split("\n");
    expect(table).toHaveLength(4);
    expect(table[2]).toMatch(
      /^01\s+sgd\s+0\s+auto\s+0\.5000\s+80\.0%\s+0\.6000\s+90\.0%\s+10\.000\s+1\.000\s+1\.0 s$/,
    );
    const [line] = findings(runs);
    expect(line).toMatch(
      /^sgd \(no-decay auto\): best test accuracy 92\.0% at weight decay 0\.01 \(90\.0% without\)/,
    );
    expect(line).toContain(
      "the decayed weights end at 0.50× the norm they reach without decay, the excluded ones 1.00×",
    );
  });
});

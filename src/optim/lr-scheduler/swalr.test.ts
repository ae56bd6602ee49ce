import { describe, expect, it } from "vitest";
import { SWALR } from "./swalr.js";

const optimizer = () => ({
  paramGroups: [
    { params: [], lr: 0.5 },
    { params: [], lr: 0.05 },
  ],
  stepCount: 0,
});

describe("SWALR", () => {
  it("checks its options with PyTorch's messages", () => {
    expect(() => new SWALR(optimizer(), { swaLr: [0.1] })).toThrow(
      "swa_lr must have the same length as optimizer.param_groups: swa_lr has 1, optimizer.param_groups has 2",
    );
    expect(() => new SWALR(optimizer(), { swaLr: 0.1, annealStrategy: "exp" as "cos" })).toThrow(
      "anneal_strategy must by one of 'cos' or 'linear', instead got exp",
    );
    expect(() => new SWALR(optimizer(), { swaLr: 0.1, annealEpochs: -1 })).toThrow(
      "anneal_epochs must be equal or greater than 0, got -1",
    );
    expect(() => new SWALR(optimizer(), { swa_lr: 0.1 } as never)).toThrow("did you mean swaLr?");
  });

  it("stores swaLr in the groups and round-trips its state", () => {
    const opt = optimizer();
    const s = new SWALR(opt, { swaLr: 0.1, annealEpochs: 3 });
    expect(opt.paramGroups.map((g) => (g as Record<string, unknown>).swaLr)).toEqual([0.1, 0.1]);
    opt.stepCount++;
    s.step();
    const state = s.stateDict();
    expect(state.anneal_epochs).toBe(3);
    const fresh = new SWALR(optimizer(), { swaLr: 0.1, annealEpochs: 1 });
    fresh.loadStateDict(state);
    expect(fresh.annealEpochs).toBe(3);
    expect(fresh.lastEpoch).toBe(s.lastEpoch);
  });
});

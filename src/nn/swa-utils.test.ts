import { describe, expect, it } from "vitest";
import { tensor } from "../tensor/creation.js";
import { Linear } from "./modules/linear.js";
import { AveragedModel, SWALR, getSwaAvgFn, getSwaMultiAvgFn } from "./swa-utils.js";

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

describe("AveragedModel", () => {
  it("registers the copy as `module` and the count as buffer `n_averaged`", () => {
    const avg = new AveragedModel(new Linear(2, 1));
    expect(Object.keys(avg.stateDict())).toEqual(["n_averaged", "module.weight", "module.bias"]);
    expect(avg.nAveraged.dtype).toBe("int32");
  });

  it("the list form of the SWA mean agrees with the per-tensor form", () => {
    const a = tensor([1, 2, 3], { dtype: "float64" });
    const b = tensor([4, 0, -3], { dtype: "float64" });
    const n = tensor(2);
    const expected = getSwaAvgFn()(a, b, n);
    const copy = a.clone();
    getSwaMultiAvgFn()([copy], [b], n);
    Array.from(copy.toTypedArray()).forEach((v, i) =>
      expect(v).toBeCloseTo(expected.toTypedArray()[i] as number, 14),
    );
  });
});

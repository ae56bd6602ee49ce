import { describe, expect, it } from "vitest";
import { fakeSgd } from "../../../test/helpers/fake-optimizer.js";
import { expectClose } from "../../../test/helpers/close.js";
import { RuntimeError } from "../../util/errors.js";
import { StepLR } from "./step-lr.js";
import { MultiStepLR } from "./multi-step-lr.js";

describe("StepLR", () => {
  it("checks its options", () => {
    expect(() => new StepLR(fakeSgd(), { step_size: 3 } as never)).toThrow(
      new TypeError("unknown option step_size for StepLR; did you mean stepSize?"),
    );
    expect(() => new StepLR(fakeSgd(), {} as never)).toThrow(
      new TypeError("StepLR missing required option stepSize"),
    );
    expect(() => new StepLR(fakeSgd(), { stepSize: "3" } as never)).toThrow(TypeError);
  });

  it("decays by gamma exactly at multiples of stepSize, and agrees with its closed form", () => {
    const chained = fakeSgd();
    const sched = new StepLR(chained, { stepSize: 3, gamma: 0.5 });
    const closedOpt = fakeSgd();
    const closed = new StepLR(closedOpt, { stepSize: 3, gamma: 0.5 });
    for (let epoch = 1; epoch <= 30; epoch++) {
      const before = chained.paramGroups[0]!.lr;
      chained.step();
      sched.step();
      const after = chained.paramGroups[0]!.lr;
      expect(after === before).toBe(epoch % 3 !== 0);
      closed.step(epoch);
      expectClose(sched.getLastLr(), closed.getLastLr(), { rtol: 1e-15 });
    }
  });

  it("raises Python's ZeroDivisionError text for stepSize 0 after epoch 0", () => {
    const opt = fakeSgd();
    const sched = new StepLR(opt, { stepSize: 0 });
    opt.step();
    expect(() => sched.step()).toThrow(new RuntimeError("integer division or modulo by zero"));
  });
});

describe("MultiStepLR", () => {
  it("checks its options", () => {
    expect(() => new MultiStepLR(fakeSgd(), { milestones: 3 } as never)).toThrow(TypeError);
    expect(() => new MultiStepLR(fakeSgd(), { milestones: [3], Gamma: 0.1 } as never)).toThrow(
      "unknown option Gamma for MultiStepLR; did you mean gamma?",
    );
  });

  it("applies gamma once per listing of a milestone and agrees with its closed form", () => {
    const opt = fakeSgd();
    const sched = new MultiStepLR(opt, { milestones: [7, 2, 7, 12], gamma: 0.5 });
    const closed = new MultiStepLR(fakeSgd(), { milestones: [7, 2, 7, 12], gamma: 0.5 });
    for (let epoch = 1; epoch <= 30; epoch++) {
      const before = opt.paramGroups[1]!.lr;
      opt.step();
      sched.step();
      const ratio = opt.paramGroups[1]!.lr / before;
      expect(ratio).toBeCloseTo(epoch === 7 ? 0.25 : epoch === 2 || epoch === 12 ? 0.5 : 1, 14);
      closed.step(epoch);
      expectClose(sched.getLastLr(), closed.getLastLr(), { rtol: 1e-15 });
    }
  });

  it("saves milestones as PyTorch's Counter serialises and loads that or a Map", () => {
    const sched = new MultiStepLR(fakeSgd(), { milestones: [5, 2, 5] });
    expect(sched.stateDict().milestones).toEqual({ "2": 1, "5": 2 });
    const other = new MultiStepLR(fakeSgd(), { milestones: [1] });
    other.loadStateDict(sched.stateDict());
    expect([...other.milestones].sort()).toEqual([
      [2, 1],
      [5, 2],
    ]);
    other.loadStateDict({ milestones: new Map([[9, 3]]) });
    expect([...other.milestones]).toEqual([[9, 3]]);
    expect(() => other.loadStateDict({ milestones: [1, 2] })).toThrow(TypeError);
  });
});

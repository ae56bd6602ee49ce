import { describe, expect, it } from "vitest";
import { FakeOptimizer, fakeSgd } from "../../../test/helpers/fake-optimizer.js";
import { KeyError, ValueError } from "../../util/errors.js";
import { ChainedScheduler } from "./chained-scheduler.js";
import { ConstantLR } from "./constant-lr.js";
import { ExponentialLR } from "./exponential-lr.js";
import { LinearLR } from "./linear-lr.js";
import { ReduceLROnPlateau } from "./reduce-lr-on-plateau.js";
import { SequentialLR } from "./sequential-lr.js";
import { StepLR } from "./step-lr.js";

describe("SequentialLR", () => {
  it("validates with current PyTorch's messages", () => {
    const opt = fakeSgd();
    const a = new ExponentialLR(opt, { gamma: 0.9 });
    const b = new StepLR(opt, { stepSize: 2 });
    expect(() => new SequentialLR(opt, { schedulers: [], milestones: [] })).toThrow(
      new ValueError("SequentialLR expects at least one scheduler, but got no scheduler."),
    );
    expect(() => new SequentialLR(opt, { schedulers: [a, {} as never], milestones: [2] })).toThrow(
      new TypeError("SequentialLR at index 1 should have `optimizer` as its attribute."),
    );
    expect(
      () => new SequentialLR(opt, { schedulers: [a, new ReduceLROnPlateau(opt)], milestones: [2] }),
    ).toThrow(
      new ValueError(
        "SequentialLR does not support `ReduceLROnPlateau` scheduler as it requires additional kwargs to be " +
          "specified when calling `step`, but got one at index 1 in the given schedulers sequence.",
      ),
    );
    const other = new StepLR(fakeSgd(), { stepSize: 2 });
    expect(() => new SequentialLR(opt, { schedulers: [a, other], milestones: [2] })).toThrow(
      new ValueError(
        "SequentialLR expects all schedulers to belong to the same optimizer, but got scheduler StepLR at " +
          "index 1 has FakeOptimizer, which is different from FakeOptimizer.",
      ),
    );
    expect(() => new SequentialLR(opt, { schedulers: [a, b], milestones: [2, 4] })).toThrow(
      new ValueError(
        "Sequential Schedulers expects number of schedulers provided to be one more than the number of " +
          "milestone points, but got number of schedulers 2 and the number of milestones to be equal to 2",
      ),
    );
    expect(
      () => new SequentialLR(opt, { schedulers: [a, b], milestones: [2], last_epoch: 3 } as never),
    ).toThrow("did you mean lastEpoch?");
  });

  it("needs initialLr on the groups (set by the children) and takes no step arguments", () => {
    const opt = new FakeOptimizer([{ lr: 0.1 }]);
    const a = new ExponentialLR(opt, { gamma: 0.9 });
    delete opt.paramGroups[0]!.initialLr;
    expect(() => new SequentialLR(opt, { schedulers: [a], milestones: [] })).toThrow(KeyError);
    const opt2 = fakeSgd();
    const seq = new SequentialLR(opt2, {
      schedulers: [new ExponentialLR(opt2, { gamma: 0.9 })],
      milestones: [],
    });
    expect(() => (seq.step as (e: number) => void)(3)).toThrow(
      new TypeError("SequentialLR.step() takes no arguments"),
    );
  });

  it("undoes the children's construction steps and restarts the next child at each milestone", () => {
    const opt = fakeSgd();
    const warmup = new ConstantLR(opt, { factor: 0.1, totalIters: 10 });
    const decay = new ExponentialLR(opt, { gamma: 0.5 });
    const seq = new SequentialLR(opt, { schedulers: [warmup, decay], milestones: [3] });
    expect(seq.getLastLr()).toEqual([0.05 * 0.1, 0.5 * 0.1]);
    expect([warmup.lastEpoch, decay.lastEpoch]).toEqual([0, -1]);
    for (let i = 0; i < 3; i++) {
      opt.step();
      seq.step();
    }
    expect(seq.getLastLr()).toEqual([0.05, 0.5]);
    expect(decay.lastEpoch).toBe(0);
    opt.step();
    seq.step();
    expect(seq.getLastLr()).toEqual([0.025, 0.25]);
  });

  it("walks nested composites when undoing, and saves children under _schedulers", () => {
    const opt = fakeSgd();
    const inner = new ChainedScheduler([
      new LinearLR(opt, { startFactor: 0.5, totalIters: 2 }),
      new StepLR(opt, { stepSize: 3 }),
    ]);
    const seq = new SequentialLR(opt, {
      schedulers: [inner, new ExponentialLR(opt, { gamma: 0.9 })],
      milestones: [5],
    });
    const state = seq.stateDict();
    expect(Object.keys(state)).toEqual(["_milestones", "last_epoch", "_last_lr", "_schedulers"]);
    expect((state._schedulers as Array<Record<string, unknown>>)[0]).toHaveProperty("_schedulers");
  });
});

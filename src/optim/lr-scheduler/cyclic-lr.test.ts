import { describe, expect, it } from "vitest";
import { FakeOptimizer, fakeAdam, fakeSgd } from "../../../test/helpers/fake-optimizer.js";
import { expectClose } from "../../../test/helpers/close.js";
import { ValueError } from "../../util/errors.js";
import { CyclicLR } from "./cyclic-lr.js";

describe("CyclicLR", () => {
  it("validates with PyTorch's messages", () => {
    expect(() => new CyclicLR(fakeSgd(), { baseLr: 0.1, maxLr: 1, mode: "CATS" as never })).toThrow(
      new ValueError("mode is invalid and scale_fn is None"),
    );
    expect(() => new CyclicLR(fakeSgd(), { baseLr: [0.1], maxLr: 1 })).toThrow(
      new ValueError(
        "base_lr must have the same length as optimizer.param_groups. base_lr has 1 values, param_groups has 2.",
      ),
    );
    expect(() => new CyclicLR(fakeSgd(), { baseLr: 0.1, maxLr: 1, maxMomentum: [0.9, 0.9, 0.9] })).toThrow(
      "max_momentum must have the same length as optimizer.param_groups. max_momentum has 3 values, param_groups has 2.",
    );
    expect(() => new CyclicLR(new FakeOptimizer([{ lr: 0.1 }]), { baseLr: 0.1, maxLr: 1 })).toThrow(
      new ValueError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled"),
    );
    expect(() => new CyclicLR(fakeSgd(), { baseLr: 0.1, maxLr: 1, step_size_up: 4 } as never)).toThrow(
      "unknown option step_size_up for CyclicLR; did you mean stepSizeUp?",
    );
    expect(
      () =>
        new CyclicLR(fakeSgd(), { baseLr: 0.1, maxLr: 1, scaleFn: (x) => x, scaleMode: "epochs" as never }),
    ).toThrow(ValueError);
    expect(() => new CyclicLR(fakeSgd(), { maxLr: 1 } as never)).toThrow(
      "CyclicLR missing required option baseLr",
    );
  });

  it("accepts a custom scaleFn with any mode name and works without momentum", () => {
    const opt = new FakeOptimizer([{ lr: 0.1 }]);
    const sched = new CyclicLR(opt, {
      baseLr: 0.1,
      maxLr: 1,
      mode: "custom" as never,
      scaleFn: () => 1,
      cycleMomentum: false,
    });
    expect(sched.getLastLr()).toEqual([0.1]);
  });

  it("peaks at maxLr after stepSizeUp steps while momentum bottoms at baseMomentum", () => {
    const opt = fakeSgd();
    const sched = new CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4, stepSizeDown: 6 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.01, 0.01]);
    expect(opt.paramGroups.map((g) => g.momentum)).toEqual([0.9, 0.9]);
    expect(opt.paramGroups[0]!.maxMomentum).toBe(0.9);
    expect(opt.paramGroups[0]!.baseMomentum).toBe(0.8);
    for (let i = 0; i < 4; i++) {
      opt.step();
      sched.step();
    }
    expectClose(sched.getLastLr(), [0.1, 0.1], { rtol: 1e-15 });
    expectClose(
      opt.paramGroups.map((g) => g.momentum as number),
      [0.8, 0.8],
      { rtol: 1e-15 },
    );
    for (let i = 0; i < 6; i++) {
      opt.step();
      sched.step();
    }
    expectClose(sched.getLastLr(), [0.01, 0.01], { rtol: 1e-15 });
  });

  it("cycles Adam's beta1 and keeps beta2", () => {
    const opt = fakeAdam();
    const sched = new CyclicLR(opt, {
      baseLr: 0.001,
      maxLr: 0.01,
      stepSizeUp: 2,
      baseMomentum: 0.85,
      maxMomentum: 0.95,
    });
    opt.step();
    sched.step();
    for (const g of opt.paramGroups) {
      expect((g.betas as number[])[1]).toBe(0.999);
      expectClose([(g.betas as number[])[0] as number], [0.9], { rtol: 1e-15 });
    }
    expect(sched.stateDict().use_beta1).toBe(true);
  });

  it("saves a custom scale function's own properties and always has _scale_fn_custom", () => {
    const fn = Object.assign((x: number) => 1 / x, { bias: 2 });
    const sched = new CyclicLR(fakeSgd(), { baseLr: 0.1, maxLr: 1, scaleFn: fn });
    expect(sched.stateDict()._scale_fn_custom).toEqual({ bias: 2 });
    expect(new CyclicLR(fakeSgd(), { baseLr: 0.1, maxLr: 1 }).stateDict()._scale_fn_custom).toBeNull();
    const target = Object.assign((x: number) => 1 / x, { bias: 0 });
    new CyclicLR(fakeSgd(), { baseLr: 0.1, maxLr: 1, scaleFn: target }).loadStateDict(sched.stateDict());
    expect(target.bias).toBe(2);
  });

  it("re-derives the scale mode of a built-in mode after loading", () => {
    const sched = new CyclicLR(fakeSgd(), { baseLr: 0.1, maxLr: 1, mode: "exp_range" });
    expect(sched.scaleMode).toBe("iterations");
    sched.loadStateDict({ mode: "triangular2", scale_mode: "iterations" });
    expect(sched.scaleMode).toBe("cycle");
  });
});

import { describe, expect, it } from "vitest";
import { FakeOptimizer, fakeAdam, fakeSgd } from "../../../test/helpers/fake-optimizer.js";
import { expectClose } from "../../../test/helpers/close.js";
import { ValueError } from "../../util/errors.js";
import { OneCycleLR } from "./one-cycle-lr.js";

describe("OneCycleLR", () => {
  it("validates with current PyTorch's messages", () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ maxLr: 1 }, "You must define either total_steps OR (epochs AND steps_per_epoch)"],
      [{ maxLr: 1, epochs: 3 }, "You must define either total_steps OR (epochs AND steps_per_epoch)"],
      [{ maxLr: 1, totalSteps: 0 }, "Expected positive integer total_steps, but got 0"],
      [{ maxLr: 1, totalSteps: 2.5 }, "Expected positive integer total_steps, but got 2.5"],
      [{ maxLr: 1, epochs: 0, stepsPerEpoch: 3 }, "Expected positive integer epochs, but got 0"],
      [{ maxLr: 1, epochs: 2, stepsPerEpoch: -1 }, "Expected positive integer steps_per_epoch, but got -1"],
      [{ maxLr: 1, totalSteps: 10, pctStart: 2 }, "Expected float between 0 and 1 pct_start, but got 2.0"],
      [
        { maxLr: 1, totalSteps: 10, pctStart: -0.5 },
        "Expected float between 0 and 1 pct_start, but got -0.5",
      ],
      [
        { maxLr: 1, totalSteps: 10, annealStrategy: "cosine" },
        "anneal_strategy must be one of 'cos' or 'linear', instead got cosine",
      ],
      [
        { maxLr: [1, 2, 3], totalSteps: 10 },
        "max_lr must have the same length as optimizer.param_groups. max_lr has 3 values, param_groups has 2.",
      ],
    ];
    for (const [options, message] of cases) {
      expect(() => new OneCycleLR(fakeSgd(), options as never), message).toThrow(new ValueError(message));
    }
    expect(() => new OneCycleLR(new FakeOptimizer([{ lr: 1 }]), { maxLr: 1, totalSteps: 5 })).toThrow(
      new ValueError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled"),
    );
    expect(() => new OneCycleLR(fakeSgd(), { maxLr: 1, total_steps: 5 } as never)).toThrow(
      "unknown option total_steps for OneCycleLR; did you mean totalSteps?",
    );
  });

  it("stores initialLr, maxLr, minLr and the momentum bounds in every group", () => {
    const opt = fakeSgd();
    new OneCycleLR(opt, { maxLr: [0.1, 1], totalSteps: 10, divFactor: 10, finalDivFactor: 100 });
    expect(
      opt.paramGroups.map((g) => [g.initialLr, g.maxLr, g.minLr, g.maxMomentum, g.baseMomentum]),
    ).toEqual([
      [0.01, 0.1, 0.0001, 0.95, 0.85],
      [0.1, 1, 0.001, 0.95, 0.85],
    ]);
    // Epoch 0 is the cosine's start: max + (initial − max)/2·2, initialLr up to rounding (as in PyTorch).
    expectClose(
      opt.paramGroups.map((g) => g.lr),
      [0.01, 0.1],
      { rtol: 1e-14 },
    );
    expect(opt.paramGroups.map((g) => g.momentum)).toEqual([0.95, 0.95]);
  });

  it("rises to maxLr at pctStart·N − 1, ends at minLr at N − 1, and refuses to step past N", () => {
    const opt = fakeSgd();
    const sched = new OneCycleLR(opt, { maxLr: 1, totalSteps: 20, pctStart: 0.25, annealStrategy: "linear" });
    for (let step = 1; step <= 20; step++) {
      opt.step();
      sched.step();
      if (step === 4) expectClose(sched.getLastLr(), [1, 1], { rtol: 1e-15 });
      // (min − max)·1 + max cancels: the result is minLr to within rounding of maxLr's size.
      if (step === 19) expectClose(sched.getLastLr(), [0.04 / 1e4, 0.04 / 1e4], { atol: 2 ** -52 });
    }
    opt.step();
    expect(() => sched.step()).toThrow(
      new ValueError("Tried to step 21 times. The specified number of total steps is 20"),
    );
  });

  it("cycles Adam's beta1, keeping beta2", () => {
    const opt = fakeAdam();
    const sched = new OneCycleLR(opt, { maxLr: 0.01, totalSteps: 10 });
    expect(sched.stateDict().use_beta1).toBe(true);
    for (let i = 0; i < 2; i++) {
      opt.step();
      sched.step();
    }
    // The peak of the warm-up (0.3·10 − 1 = step 2) is where momentum reaches baseMomentum.
    for (const g of opt.paramGroups) {
      expect((g.betas as number[])[1]).toBe(0.999);
      expect((g.betas as number[])[0]).toBeCloseTo(0.85, 12);
    }
  });

  it("saves current PyTorch's keys", () => {
    const keys = Object.keys(new OneCycleLR(fakeSgd(), { maxLr: 1, totalSteps: 10 }).stateDict());
    expect(keys.slice(0, 5)).toEqual([
      "total_steps",
      "_schedule_phases",
      "_anneal_func_type",
      "cycle_momentum",
      "use_beta1",
    ]);
    const noMomentum = new OneCycleLR(fakeSgd(), { maxLr: 1, totalSteps: 10, cycleMomentum: false });
    expect(Object.keys(noMomentum.stateDict())).not.toContain("use_beta1");
  });
});

import { describe, expect, it } from "vitest";
import * as tg from "../index.js";
import { WeightDecayScheduler } from "./weight-decay-scheduler.js";

const { CosineAnnealingLR, StepLR, OneCycleLR } = tg.optim.lrScheduler;

function twoGroups() {
  const a = tg.zeros([2], { requiresGrad: true });
  const b = tg.zeros([2], { requiresGrad: true });
  return new tg.optim.AdamW(
    [
      { params: [a], weightDecay: 0.1 },
      { params: [b], weightDecay: 0 },
    ],
    { lr: 0.01 },
  );
}

describe("WeightDecayScheduler", () => {
  it("drives weightDecay with the scheduler's formula, leaving lr alone", () => {
    const opt = twoGroups();
    const wd = new WeightDecayScheduler(
      opt,
      (view) => new CosineAnnealingLR(view, { tMax: 10, etaMin: 0.01 }),
    );
    const expected: number[] = [];
    const got: number[] = [];
    for (let t = 1; t <= 10; t++) {
      opt.step();
      wd.step();
      got.push(opt.paramGroups[0]!.weightDecay as number);
      expected.push(0.01 + ((0.1 - 0.01) * (1 + Math.cos((Math.PI * t) / 10))) / 2);
      expect(opt.paramGroups[1]!.weightDecay).toBe(
        0.01 + ((0 - 0.01) * (1 + Math.cos((Math.PI * t) / 10))) / 2,
      );
      expect(opt.paramGroups[0]!.lr).toBe(0.01);
    }
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 15));
    expect(wd.getLastWeightDecay()[0]).toBe(got.at(-1));
  });

  it("keeps its base on initialWeightDecay, separate from an LR scheduler's initialLr", () => {
    const opt = twoGroups();
    const lr = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
    const wd = new WeightDecayScheduler(opt, (view) => new StepLR(view, { stepSize: 3, gamma: 0.1 }));
    for (let t = 0; t < 6; t++) {
      opt.step();
      lr.step();
      wd.step();
    }
    expect(opt.paramGroups[0]!.initialLr).toBe(0.01);
    expect(opt.paramGroups[0]!.initialWeightDecay).toBe(0.1);
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.01 * 0.5 ** 3, 15);
    expect(opt.paramGroups[0]!.weightDecay).toBeCloseTo(0.1 * 0.1 ** 2, 15);
    expect(opt.paramGroups[1]!.weightDecay).toBe(0);
  });

  it("hides momentum and betas from the scheduler, so momentum cycling must be off", () => {
    const opt = twoGroups();
    const betas = opt.paramGroups[0]!.betas;
    expect(
      () => new WeightDecayScheduler(opt, (view) => new OneCycleLR(view, { maxLr: 0.2, totalSteps: 10 })),
    ).toThrow("optimizer must support momentum or beta1 with `cycle_momentum` option enabled");
    const wd = new WeightDecayScheduler(
      opt,
      (view) => new OneCycleLR(view, { maxLr: [0.2, 0], totalSteps: 10, cycleMomentum: false }),
    );
    opt.step();
    wd.step();
    expect(opt.paramGroups[0]!.betas).toEqual(betas);
    expect(opt.paramGroups[0]!.weightDecay).toBeGreaterThan(0);
  });

  it("round-trips its state dict", () => {
    const run = (resumeAt: number | null) => {
      const opt = twoGroups();
      let wd = new WeightDecayScheduler(opt, (v) => new CosineAnnealingLR(v, { tMax: 8 }));
      for (let t = 0; t < 8; t++) {
        if (t === resumeAt) {
          const sd = JSON.parse(JSON.stringify(wd.stateDict()));
          wd = new WeightDecayScheduler(opt, (v) => new CosineAnnealingLR(v, { tMax: 8 }));
          wd.loadStateDict(sd);
        }
        opt.step();
        wd.step();
      }
      return opt.paramGroups[0]!.weightDecay;
    };
    expect(run(3)).toBe(run(null));
  });

  it("rejects a group without a numeric weightDecay", () => {
    const fake = { paramGroups: [{ params: [], lr: 0.1 }], stepCount: 0 };
    expect(() => new WeightDecayScheduler(fake, (v) => new StepLR(v, { stepSize: 1 }))).toThrow(
      "param_groups[0] has no numeric weightDecay to schedule",
    );
  });
});

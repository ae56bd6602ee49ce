import { describe, expect, it } from "vitest";
import { FakeOptimizer, fakeSgd } from "../../../test/helpers/fake-optimizer.js";
import { expectClose } from "../../../test/helpers/close.js";
import { ExponentialLR } from "./exponential-lr.js";

describe("ExponentialLR", () => {
  it("requires gamma", () => {
    expect(() => new ExponentialLR(fakeSgd(), {} as never)).toThrow(
      "ExponentialLR missing required option gamma",
    );
    expect(() => new ExponentialLR(fakeSgd(), { gama: 0.9 } as never)).toThrow(
      "unknown option gama for ExponentialLR",
    );
  });

  it("multiplies by gamma every step and agrees with its closed form", () => {
    const opt = fakeSgd();
    const sched = new ExponentialLR(opt, { gamma: 0.9 });
    const closed = new ExponentialLR(fakeSgd(), { gamma: 0.9 });
    expect(sched.getLastLr()).toEqual([0.05, 0.5]);
    for (let epoch = 1; epoch <= 30; epoch++) {
      const before = opt.paramGroups.map((g) => g.lr);
      opt.step();
      sched.step();
      expect(opt.paramGroups.map((g) => g.lr)).toEqual(before.map((lr) => lr * 0.9));
      closed.step(epoch);
      expectClose(sched.getLastLr(), closed.getLastLr(), { rtol: 1e-13 });
    }
  });

  it("keeps the loaded learning rate when resuming (current PyTorch, unlike 1.13)", () => {
    const opt = new FakeOptimizer([{ lr: 0.025, initialLr: 0.05 }]);
    new ExponentialLR(opt, { gamma: 0.5, lastEpoch: 1 });
    expect(opt.paramGroups[0]!.lr).toBe(0.025);
  });
});

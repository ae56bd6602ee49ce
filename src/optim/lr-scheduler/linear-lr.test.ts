import { describe, expect, it } from "vitest";
import { FakeOptimizer, fakeSgd } from "../../../test/helpers/fake-optimizer.js";
import { expectClose } from "../../../test/helpers/close.js";
import { ValueError } from "../../util/errors.js";
import { LinearLR } from "./linear-lr.js";

describe("LinearLR", () => {
  it("validates the factors with current PyTorch's messages (start 0 is rejected)", () => {
    for (const startFactor of [0, 1.1, -1]) {
      expect(() => new LinearLR(fakeSgd(), { startFactor })).toThrow(
        new ValueError(
          "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.",
        ),
      );
    }
    for (const endFactor of [1.1, -0.1]) {
      expect(() => new LinearLR(fakeSgd(), { endFactor })).toThrow(
        new ValueError("Ending multiplicative factor expected to be between 0 and 1."),
      );
    }
    expect(() => new LinearLR(fakeSgd(), { start_factor: 0.5 } as never)).toThrow(
      "did you mean startFactor?",
    );
  });

  it("agrees with its closed form and ends at endFactor", () => {
    const opt = fakeSgd();
    const sched = new LinearLR(opt, { startFactor: 0.2, endFactor: 0.9, totalIters: 8 });
    const closed = new LinearLR(fakeSgd(), { startFactor: 0.2, endFactor: 0.9, totalIters: 8 });
    for (let epoch = 1; epoch <= 30; epoch++) {
      opt.step();
      sched.step();
      closed.step(epoch);
      expectClose(sched.getLastLr(), closed.getLastLr(), { rtol: 1e-14 });
    }
    expectClose(sched.getLastLr(), [0.05 * 0.9, 0.5 * 0.9], { rtol: 1e-14 });
  });

  it("leaves a resumed run's learning rate alone in the constructor", () => {
    const opt = new FakeOptimizer([{ lr: 0.03, initialLr: 0.1 }]);
    const sched = new LinearLR(opt, { startFactor: 0.1, totalIters: 10, lastEpoch: 3 });
    expect(sched.lastEpoch).toBe(4);
    expect(opt.paramGroups[0]!.lr).toBe(0.03);
  });
});

import { describe, expect, it } from "vitest";
import { fakeSgd } from "../../../test/helpers/fake-optimizer.js";
import { expectClose } from "../../../test/helpers/close.js";
import { RuntimeError, ValueError } from "../../util/errors.js";
import { ConstantLR } from "./constant-lr.js";

describe("ConstantLR", () => {
  it("rejects factors outside [0, 1] with PyTorch's message", () => {
    for (const factor of [1.5, -0.1]) {
      expect(() => new ConstantLR(fakeSgd(), { factor })).toThrow(
        new ValueError("Constant multiplicative factor expected to be between 0 and 1."),
      );
    }
    expect(() => new ConstantLR(fakeSgd(), { total_iters: 3 } as never)).toThrow("did you mean totalIters?");
  });

  it("scales by factor until totalIters, then restores the base, agreeing with its closed form", () => {
    const opt = fakeSgd();
    const sched = new ConstantLR(opt, { factor: 0.25, totalIters: 4 });
    const closed = new ConstantLR(fakeSgd(), { factor: 0.25, totalIters: 4 });
    expectClose(sched.getLastLr(), [0.05 * 0.25, 0.5 * 0.25]);
    for (let epoch = 1; epoch <= 30; epoch++) {
      opt.step();
      sched.step();
      closed.step(epoch);
      expectClose(sched.getLastLr(), closed.getLastLr(), { rtol: 1e-15 });
      if (epoch >= 4) expectClose(sched.getLastLr(), [0.05, 0.5], { rtol: 1e-15 });
    }
  });

  it("raises Python's ZeroDivisionError text when factor 0 reaches totalIters", () => {
    const opt = fakeSgd();
    const sched = new ConstantLR(opt, { factor: 0, totalIters: 2 });
    opt.step();
    sched.step();
    expect(() => sched.step()).toThrow(new RuntimeError("float division by zero"));
  });
});

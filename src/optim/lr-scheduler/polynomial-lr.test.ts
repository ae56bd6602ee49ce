import { describe, expect, it } from "vitest";
import { fakeSgd } from "../../../test/helpers/fake-optimizer.js";
import { expectClose } from "../../../test/helpers/close.js";
import { PolynomialLR } from "./polynomial-lr.js";

describe("PolynomialLR", () => {
  it("checks its options", () => {
    expect(() => new PolynomialLR(fakeSgd(), { total_iters: 3 } as never)).toThrow(
      "did you mean totalIters?",
    );
  });

  it("reaches exactly 0 at totalIters, stays there, and agrees with its closed form", () => {
    const opt = fakeSgd();
    const sched = new PolynomialLR(opt, { totalIters: 12, power: 0.9 });
    const closed = new PolynomialLR(fakeSgd(), { totalIters: 12, power: 0.9 });
    for (let epoch = 1; epoch <= 30; epoch++) {
      opt.step();
      sched.step();
      closed.step(epoch);
      expectClose(sched.getLastLr(), closed.getLastLr(), { rtol: 1e-13 });
      if (epoch >= 12) expect(sched.getLastLr()).toEqual([0, 0]);
    }
  });
});

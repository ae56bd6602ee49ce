import { describe, expect, it } from "vitest";
import { fakeSgd } from "../../../test/helpers/fake-optimizer.js";
import { expectClose } from "../../../test/helpers/close.js";
import { CosineAnnealingLR } from "./cosine-annealing-lr.js";

describe("CosineAnnealingLR", () => {
  it("checks its options", () => {
    expect(() => new CosineAnnealingLR(fakeSgd(), { T_max: 10 } as never)).toThrow(
      new TypeError("unknown option T_max for CosineAnnealingLR; did you mean tMax?"),
    );
    expect(() => new CosineAnnealingLR(fakeSgd(), { tMax: 10, eta_min: 0 } as never)).toThrow(
      "did you mean etaMin?",
    );
    expect(() => new CosineAnnealingLR(fakeSgd(), {} as never)).toThrow("missing required option tMax");
  });

  it("follows the closed form (recursively, so within rounding), past tMax as a full cosine wave", () => {
    const opt = fakeSgd();
    const sched = new CosineAnnealingLR(opt, { tMax: 6, etaMin: 0.001 });
    const closed = new CosineAnnealingLR(fakeSgd(), { tMax: 6, etaMin: 0.001 });
    for (let epoch = 1; epoch <= 36; epoch++) {
      opt.step();
      sched.step();
      closed.step(epoch);
      expectClose(sched.getLastLr(), closed.getLastLr(), { rtol: 1e-12 });
      if (epoch % 12 === 6) expectClose(sched.getLastLr(), [0.001, 0.001], { rtol: 1e-12 });
      if (epoch % 12 === 0) expectClose(sched.getLastLr(), [0.05, 0.5], { rtol: 1e-12 });
    }
  });
});

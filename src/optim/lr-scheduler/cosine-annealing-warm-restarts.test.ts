import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeSgd } from "../../../test/helpers/fake-optimizer.js";
import { expectClose } from "../../../test/helpers/close.js";
import { ValueError } from "../../util/errors.js";
import { CosineAnnealingWarmRestarts } from "./cosine-annealing-warm-restarts.js";

let warnings: string[];
beforeEach(() => {
  warnings = [];
  vi.spyOn(process, "emitWarning").mockImplementation(((m: string) => {
    warnings.push(m);
  }) as typeof process.emitWarning);
});
afterEach(() => vi.restoreAllMocks());

describe("CosineAnnealingWarmRestarts", () => {
  it("validates with PyTorch's messages", () => {
    expect(() => new CosineAnnealingWarmRestarts(fakeSgd(), { t0: 0 })).toThrow(
      new ValueError("Expected positive integer T_0, but got 0"),
    );
    expect(() => new CosineAnnealingWarmRestarts(fakeSgd(), { t0: 2.5 })).toThrow(
      new ValueError("Expected positive integer T_0, but got 2.5"),
    );
    expect(() => new CosineAnnealingWarmRestarts(fakeSgd(), { t0: 2, tMult: 0 })).toThrow(
      new ValueError("Expected integer T_mult >= 1, but got 0"),
    );
    expect(() => new CosineAnnealingWarmRestarts(fakeSgd(), { t0: 2, etaMin: "0" as never })).toThrow(
      new ValueError("Expected float or int eta_min, but got 0 of type string"),
    );
    expect(() => new CosineAnnealingWarmRestarts(fakeSgd(), { T_0: 2 } as never)).toThrow(
      "unknown option T_0 for CosineAnnealingWarmRestarts; did you mean t0?",
    );
    expect(() => new CosineAnnealingWarmRestarts(fakeSgd(), {} as never)).toThrow(
      "missing required option t0",
    );
    const sched = new CosineAnnealingWarmRestarts(fakeSgd(), { t0: 2 });
    expect(() => sched.step(-1)).toThrow(new ValueError("Expected non-negative epoch, but got -1"));
  });

  it("restarts at the base lr after T_0, then after T_0·T_mult more epochs", () => {
    const opt = fakeSgd();
    const sched = new CosineAnnealingWarmRestarts(opt, { t0: 2, tMult: 2, etaMin: 0.001 });
    const restarts: number[] = [];
    for (let epoch = 1; epoch <= 30; epoch++) {
      opt.step();
      sched.step();
      if (sched.getLastLr()[0] === 0.05) restarts.push(epoch);
    }
    expect(restarts).toEqual([2, 6, 14, 30]);
  });

  it("agrees between step() and step(epoch), which does not warn, nor check the step order", () => {
    const a = new CosineAnnealingWarmRestarts(fakeSgd(), { t0: 3, tMult: 2 });
    const b = new CosineAnnealingWarmRestarts(fakeSgd(), { t0: 3, tMult: 2 });
    for (let epoch = 1; epoch <= 30; epoch++) {
      a.step();
      b.step(epoch);
      expectClose(a.getLastLr(), b.getLastLr(), { rtol: 1e-15 });
    }
    expect(warnings).toEqual([]);
    expect(a.stateDict()._step_count).toBe(0);
  });

  it("accepts fractional epochs and floors lastEpoch", () => {
    const sched = new CosineAnnealingWarmRestarts(fakeSgd(), { t0: 4 });
    sched.step(5.5);
    expect(sched.lastEpoch).toBe(5);
    expect(sched.tCur).toBe(1.5);
  });
});

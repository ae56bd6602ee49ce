import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeOptimizer, fakeSgd } from "../../../test/helpers/fake-optimizer.js";
import { RuntimeError, ValueError } from "../../util/errors.js";
import { LRScheduler } from "./lr-scheduler.js";
import { ReduceLROnPlateau } from "./reduce-lr-on-plateau.js";
import { EPOCH_DEPRECATION_WARNING } from "./warn.js";

let warnings: string[];
beforeEach(() => {
  warnings = [];
  vi.spyOn(process, "emitWarning").mockImplementation(((m: string) => {
    warnings.push(m);
  }) as typeof process.emitWarning);
});
afterEach(() => vi.restoreAllMocks());

describe("ReduceLROnPlateau", () => {
  it("validates with PyTorch's messages", () => {
    expect(() => new ReduceLROnPlateau(fakeSgd(), { factor: 1.0 })).toThrow(
      new ValueError("Factor should be < 1.0."),
    );
    expect(() => new ReduceLROnPlateau(fakeSgd(), { minLr: [0.1] })).toThrow(
      new ValueError("expected 2 min_lrs, got 1"),
    );
    expect(() => new ReduceLROnPlateau(fakeSgd(), { mode: "up" as never })).toThrow(
      new ValueError("mode up is unknown!"),
    );
    expect(() => new ReduceLROnPlateau(fakeSgd(), { thresholdMode: "pct" as never })).toThrow(
      new ValueError("threshold mode pct is unknown!"),
    );
    expect(() => new ReduceLROnPlateau(3 as never)).toThrow(new TypeError("number is not an Optimizer"));
    expect(() => new ReduceLROnPlateau(fakeSgd(), { threshold_mode: "abs" } as never)).toThrow(
      "unknown option threshold_mode for ReduceLROnPlateau; did you mean thresholdMode?",
    );
    expect(() => new ReduceLROnPlateau(fakeSgd(), { min_lr: 0 } as never)).toThrow("did you mean minLr?");
  });

  it("is an LRScheduler that leaves the lrs alone until a plateau", () => {
    const opt = fakeSgd();
    const sched = new ReduceLROnPlateau(opt, { patience: 1, factor: 0.5 });
    expect(sched).toBeInstanceOf(LRScheduler);
    expect(sched.getLastLr()).toEqual([0.05, 0.5]);
    expect(opt.paramGroups.some((g) => "initialLr" in g)).toBe(false);
    sched.step(1);
    sched.step(1); // one bad epoch: tolerated
    expect(sched.getLastLr()).toEqual([0.05, 0.5]);
    sched.step(1); // two bad epochs > patience 1
    expect(sched.getLastLr()).toEqual([0.025, 0.25]);
    expect(sched.numBadEpochs).toBe(0);
  });

  it("reads a metric from anything with item(), and needs one", () => {
    const sched = new ReduceLROnPlateau(fakeSgd());
    sched.step({ item: () => 0.5 });
    expect(sched.best).toBe(0.5);
    expect(() => (sched.step as (m?: unknown) => void)()).toThrow(TypeError);
  });

  it("warns once about the deprecated epoch argument and uses it", () => {
    const sched = new ReduceLROnPlateau(fakeSgd());
    sched.step(1, 10);
    sched.step(1, 20);
    expect(sched.lastEpoch).toBe(20);
    expect(warnings).toEqual([EPOCH_DEPRECATION_WARNING]);
  });

  it("re-expands a scalar minLr when a group is added, and refuses with a per-group list", () => {
    const opt = fakeSgd();
    const sched = new ReduceLROnPlateau(opt, { patience: 0, minLr: 0.01 });
    opt.paramGroups.push({ params: [], lr: 1 });
    sched.step(1);
    sched.step(2);
    expect(sched.minLrs).toEqual([0.01, 0.01, 0.01]);
    expect(sched.getLastLr()).toEqual([0.01, 0.05, 0.1]);

    const opt2 = fakeSgd();
    const listed = new ReduceLROnPlateau(opt2, { patience: 0, minLr: [0.01, 0.02] });
    opt2.paramGroups.push({ params: [], lr: 1 });
    listed.step(1);
    expect(() => listed.step(2)).toThrow(RuntimeError);
  });

  it("skips reductions smaller than eps", () => {
    // 1e-8 → 1e-9 would change the lr by 9e-9, less than the default eps of 1e-8.
    const opt = new FakeOptimizer([{ lr: 1e-8 }, { lr: 1e-6 }]);
    const sched = new ReduceLROnPlateau(opt, { patience: 0 });
    sched.step(1);
    sched.step(2);
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([1e-8, 1e-6 * 0.1]);
  });

  it("saves current PyTorch's keys and re-checks the mode on load", () => {
    const sched = new ReduceLROnPlateau(fakeSgd(), { mode: "max" });
    expect(Object.keys(sched.stateDict())).toEqual([
      "factor",
      "default_min_lr",
      "min_lrs",
      "patience",
      "cooldown",
      "eps",
      "last_epoch",
      "_last_lr",
      "mode_worse",
      "mode",
      "threshold",
      "threshold_mode",
      "best",
      "cooldown_counter",
      "num_bad_epochs",
    ]);
    expect(sched.stateDict().best).toBe(-Infinity);
    const other = new ReduceLROnPlateau(fakeSgd());
    other.loadStateDict(sched.stateDict());
    expect(other.mode).toBe("max");
    expect(other.modeWorse).toBe(-Infinity);
    expect(() => other.loadStateDict({ mode: "sideways" })).toThrow(
      new ValueError("mode sideways is unknown!"),
    );
  });

  it("survives a JSON round trip with its infinities written as strings", () => {
    const sched = new ReduceLROnPlateau(fakeSgd(), { patience: 1 });
    const text = JSON.stringify(sched.stateDict(), (_k, v: unknown) =>
      v === Infinity ? "inf" : v === -Infinity ? "-inf" : v,
    );
    const other = new ReduceLROnPlateau(fakeSgd(), { patience: 5, minLr: [0.1, 0.2] });
    other.loadStateDict(JSON.parse(text) as Record<string, unknown>);
    expect(other.best).toBe(Infinity);
    expect(other.defaultMinLr).toBe(0);
    expect(other.stateDict()).toEqual(sched.stateDict());
    other.loadStateDict({ default_min_lr: null });
    expect(other.defaultMinLr).toBeNull();
    expect(() => other.loadStateDict({ best: null })).toThrow(TypeError);
  });
});

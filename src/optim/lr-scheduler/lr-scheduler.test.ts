import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeOptimizer, fakeSgd } from "../../../test/helpers/fake-optimizer.js";
import { KeyError, RuntimeError } from "../../util/errors.js";
import { ExponentialLR } from "./exponential-lr.js";
import {
  type SchedulableOptimizer,
  LRScheduler,
  assertOptimizer,
  describeOptimizer,
  isSchedulableOptimizer,
} from "./lr-scheduler.js";
import { StepLR } from "./step-lr.js";
import { EPOCH_DEPRECATION_WARNING, GET_LR_OUTSIDE_STEP_WARNING, STEP_ORDER_WARNING } from "./warn.js";

let warnings: string[];
beforeEach(() => {
  warnings = [];
  vi.spyOn(process, "emitWarning").mockImplementation(((m: string) => {
    warnings.push(m);
  }) as typeof process.emitWarning);
});
afterEach(() => vi.restoreAllMocks());

class HalvingLR extends LRScheduler {
  constructor(optimizer: SchedulableOptimizer, lastEpoch = -1) {
    super(optimizer);
    this.initialize(lastEpoch);
  }
  override getLr(): number[] {
    this.warnIfOutsideStep();
    return this.baseLrs.map((b) => b * 0.5 ** this.lastEpoch);
  }
}

describe("the optimizer contract", () => {
  it("accepts any object with paramGroups and a numeric stepCount", () => {
    expect(isSchedulableOptimizer({ paramGroups: [], stepCount: 0 })).toBe(true);
    expect(isSchedulableOptimizer({ paramGroups: [] })).toBe(false);
    expect(isSchedulableOptimizer({ paramGroups: {}, stepCount: 0 })).toBe(false);
  });

  it("rejects other values with PyTorch's TypeError", () => {
    expect(() => assertOptimizer(42)).toThrow(new TypeError("number is not an Optimizer"));
    expect(() => new StepLR(null as never, { stepSize: 1 })).toThrow(
      new TypeError("null is not an Optimizer"),
    );
    expect(() => new StepLR([] as never, { stepSize: 1 })).toThrow(
      new TypeError("Array is not an Optimizer"),
    );
    expect(() => new StepLR({} as never, { stepSize: 1 })).toThrow(
      new TypeError("Object is not an Optimizer"),
    );
  });

  it("describes an optimizer by its own toString or its class name", () => {
    expect(describeOptimizer(fakeSgd())).toBe("FakeOptimizer");
    const named = Object.assign(fakeSgd(), { toString: () => "SGD (lr: 0.05)" });
    expect(describeOptimizer(named)).toBe("SGD (lr: 0.05)");
  });
});

describe("LRScheduler construction", () => {
  it("sets initialLr from lr, keeps an existing initialLr, and takes the initial step", () => {
    const opt = new FakeOptimizer([{ lr: 0.1 }, { lr: 0.4, initialLr: 0.8 }]);
    const sched = new HalvingLR(opt);
    expect(opt.paramGroups.map((g) => g.initialLr)).toEqual([0.1, 0.8]);
    expect(sched.baseLrs).toEqual([0.1, 0.8]);
    expect(sched.lastEpoch).toBe(0);
    expect(sched.getLastLr()).toEqual([0.1, 0.8]);
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.8]);
  });

  it("requires initialLr on every group when resuming", () => {
    const opt = new FakeOptimizer([{ lr: 0.1, initialLr: 0.1 }, { lr: 0.4 }]);
    let error: unknown;
    try {
      new HalvingLR(opt, 3);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KeyError);
    expect((error as Error).message).toBe(
      "param 'initial_lr' is not specified in param_groups[1] when resuming scheduler with last_epoch >= 0.\n" +
        "This typically happens when:\n" +
        "1. You're trying to resume training from a checkpoint but haven't properly loaded the optimizer state\n" +
        "2. You're using last_epoch >= 0 for a fresh training run (not recommended)",
    );
  });

  it("resumes at lastEpoch + 1", () => {
    const opt = new FakeOptimizer([{ lr: 0.1, initialLr: 0.2 }]);
    const sched = new HalvingLR(opt, 3);
    expect(sched.lastEpoch).toBe(4);
    expect(sched.getLastLr()).toEqual([0.2 * 0.5 ** 4]);
  });

  it("getLr of the bare base class is not implemented", () => {
    const sched = Object.create(LRScheduler.prototype) as LRScheduler;
    expect(() => sched.getLr()).toThrow(RuntimeError);
  });
});

describe("LRScheduler warnings", () => {
  it("warns when scheduler.step() comes before any optimizer.step()", () => {
    const opt = fakeSgd();
    const sched = new StepLR(opt, { stepSize: 2 });
    sched.step();
    sched.step();
    expect(warnings).toEqual([STEP_ORDER_WARNING]);
  });

  it("does not warn when optimizer.step() comes first", () => {
    const opt = fakeSgd();
    const sched = new StepLR(opt, { stepSize: 2 });
    opt.step();
    sched.step();
    expect(warnings).toEqual([]);
  });

  it("counts optimizer steps from the first scheduler attached, as PyTorch's patched step does", () => {
    const opt = fakeSgd();
    opt.step(); // before any scheduler: PyTorch has not patched step yet, so this does not count
    const first = new StepLR(opt, { stepSize: 2 });
    first.step();
    expect(warnings).toEqual([STEP_ORDER_WARNING]);
    opt.step();
    const second = new ExponentialLR(opt, { gamma: 0.9 });
    second.step(); // the optimizer has stepped since the first attachment
    expect(warnings).toEqual([STEP_ORDER_WARNING]);
  });

  it("warns once about the deprecated epoch argument", () => {
    const opt = fakeSgd();
    const sched = new StepLR(opt, { stepSize: 2 });
    opt.step();
    sched.step(3);
    sched.step(4);
    expect(warnings).toEqual([EPOCH_DEPRECATION_WARNING]);
    expect(sched.lastEpoch).toBe(4);
    expect(() => sched.step("5" as never)).toThrow(TypeError);
  });

  it("keeps the closed-form lr when step(epoch) repeats an epoch, and treats step(null) as step()", () => {
    const opt = fakeSgd();
    const sched = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    opt.step();
    sched.step(2);
    const atTwo = sched.getLastLr();
    sched.step(2);
    expect(sched.getLastLr()).toEqual(atTwo);
    sched.step(null);
    expect(sched.lastEpoch).toBe(3);
  });

  it("warns when getLr() is called outside step()", () => {
    const sched = new StepLR(fakeSgd(), { stepSize: 2 });
    expect(sched.getLr()).toEqual(sched.getLastLr());
    expect(warnings).toEqual([GET_LR_OUTSIDE_STEP_WARNING]);
  });
});

describe("LRScheduler state dicts", () => {
  it("uses PyTorch's snake_case keys in PyTorch's order", () => {
    const sched = new HalvingLR(fakeSgd());
    expect(sched.stateDict()).toEqual({
      base_lrs: [0.05, 0.5],
      last_epoch: 0,
      _step_count: 1,
      _is_initial: false,
      _get_lr_called_within_step: false,
      _last_lr: [0.05, 0.5],
    });
    expect(Object.keys(new StepLR(fakeSgd(), { stepSize: 3 }).stateDict())).toEqual([
      "step_size",
      "gamma",
      "base_lrs",
      "last_epoch",
      "_step_count",
      "_is_initial",
      "_get_lr_called_within_step",
      "_last_lr",
    ]);
  });

  it("returns copies: mutating a saved state or getLastLr() does not touch the scheduler", () => {
    const sched = new HalvingLR(fakeSgd());
    const state = sched.stateDict();
    (state.base_lrs as number[])[0] = 99;
    sched.getLastLr()[0] = 99;
    expect(sched.baseLrs[0]).toBe(0.05);
    expect(sched.getLastLr()[0]).toBe(0.05);
  });

  it("ignores 1.13's verbose key, rejects unknown keys and mistyped values", () => {
    const sched = new StepLR(fakeSgd(), { stepSize: 3 });
    sched.loadStateDict({ verbose: false, last_epoch: 7 });
    expect(sched.lastEpoch).toBe(7);
    expect(() => sched.loadStateDict({ stepsize: 3 })).toThrow(
      new KeyError("unexpected key 'stepsize' in the state dict of StepLR"),
    );
    expect(() => sched.loadStateDict({ last_epoch: "7" })).toThrow(
      new TypeError("state dict entry last_epoch of StepLR should be a number, got string 7"),
    );
    expect(() => sched.loadStateDict({ base_lrs: 0.1 })).toThrow(TypeError);
    expect(() => sched.loadStateDict({ gamma: null })).toThrow(
      'state dict entry gamma of StepLR should be a number, got null None (JSON.stringify turns Infinity into null; save it as "inf")',
    );
    expect(() => sched.loadStateDict(null as never)).toThrow(TypeError);
  });
});

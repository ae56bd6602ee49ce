import { describe, expect, it } from "vitest";
import { fakeSgd } from "../../../test/helpers/fake-optimizer.js";
import { ValueError } from "../../util/errors.js";
import { ChainedScheduler } from "./chained-scheduler.js";
import { ConstantLR } from "./constant-lr.js";
import { ExponentialLR } from "./exponential-lr.js";
import { ReduceLROnPlateau } from "./reduce-lr-on-plateau.js";

describe("ChainedScheduler", () => {
  it("validates with current PyTorch's messages", () => {
    const opt = fakeSgd();
    const a = new ExponentialLR(opt, { gamma: 0.9 });
    expect(() => new ChainedScheduler([])).toThrow(
      new ValueError("ChainedScheduler expects at least one scheduler to be chained, but got no scheduler."),
    );
    expect(() => new ChainedScheduler([a, 3 as never])).toThrow(
      new TypeError("ChainedScheduler at index 1 should have `optimizer` as its attribute."),
    );
    expect(() => new ChainedScheduler([a, new ReduceLROnPlateau(opt)])).toThrow(
      "ChainedScheduler does not support `ReduceLROnPlateau` scheduler",
    );
    expect(() => new ChainedScheduler([a, new ExponentialLR(fakeSgd(), { gamma: 0.5 })])).toThrow(
      "ChainedScheduler expects all schedulers to belong to the same optimizer, but got scheduler ExponentialLR at index 1",
    );
    expect(() => new ChainedScheduler([a], fakeSgd())).toThrow(ValueError);
    expect(() => new ChainedScheduler(a as never)).toThrow(TypeError);
  });

  it("steps every child in order, so their factors multiply", () => {
    const opt = fakeSgd();
    const constant = new ConstantLR(opt, { factor: 0.5, totalIters: 2 });
    const decay = new ExponentialLR(opt, { gamma: 0.9 });
    const chain = new ChainedScheduler([constant, decay], opt);
    expect(chain.optimizer).toBe(opt);
    expect(chain.getLastLr()).toEqual([0.025, 0.25]);
    opt.step();
    chain.step();
    expect(chain.getLastLr()).toEqual([0.025 * 0.9, 0.25 * 0.9]);
    expect(chain.lastEpoch).toBe(decay.lastEpoch);
    expect(() => (chain.step as (e: number) => void)(1)).toThrow(TypeError);
    expect(Object.keys(chain.stateDict())).toEqual(["_last_lr", "_schedulers"]);
  });
});

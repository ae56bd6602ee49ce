import { describe, expect, it } from "vitest";
import * as tg from "../index.js";
import { kebab, OPTIMIZER_NAMES, OPTIMIZERS, OPTION_SPECS, optimizersWith } from "./optimizer-table.js";

// Implementation switches that change no number (PyTorch's foreach/fused/capturable/differentiable)
// and weight decay, which has its own flag, are the only options without a per-optimizer flag.
const NOT_FLAGS = new Set(["weightDecay", "foreach", "fused", "capturable", "differentiable"]);
// tsgrad's decoupled-decay extensions: accepted by the optimizer without being in its defaults, so
// a default optimizer keeps PyTorch's exact param_groups.
const EXTENSIONS = new Set(["decoupledWeightDecay", "cautiousWeightDecay"]);

type OptimizerClass = new (p: tg.Tensor[], o: object) => tg.optim.Optimizer;

describe("the optimizer table", () => {
  it.each(OPTIMIZER_NAMES)("lists exactly the options of %s", (name) => {
    const info = OPTIMIZERS[name];
    const cls = (tg.optim as unknown as Record<string, OptimizerClass>)[info.className]!;
    const opt = new cls([tg.zeros([2]).requiresGrad_()], {});
    // AdamW is Adam with decoupledWeightDecay fixed to true: not an option of its own.
    const keys = Object.keys(opt.defaults).filter(
      (k) => !NOT_FLAGS.has(k) && !(name === "adamw" && k === "decoupledWeightDecay"),
    );
    const extensions = info.options.filter((k) => !keys.includes(k));
    expect(info.options.filter((k) => keys.includes(k)).sort()).toEqual([...keys].sort());
    expect(extensions.filter((k) => !EXTENSIONS.has(k))).toEqual([]);
    if (extensions.length > 0) {
      const options: Record<string, unknown> = { cautiousWeightDecay: true };
      if (info.options.includes("decoupledWeightDecay")) options.decoupledWeightDecay = true;
      const accepted = new cls([tg.zeros([2]).requiresGrad_()], options);
      expect(accepted.paramGroups[0]!.cautiousWeightDecay).toBe(true);
    }
    expect("weightDecay" in opt.defaults).toBe(info.decay !== "none");
    expect(info.decay === "decoupled").toBe(opt.defaults.decoupledWeightDecay === true);
    if (name !== "sgd") expect(info.defaultLr).toBe(opt.defaults.lr);
  });

  it("has a flag for every option some optimizer takes, and no other", () => {
    const used = new Set(OPTIMIZER_NAMES.flatMap((n) => OPTIMIZERS[n].options));
    expect(new Set(Object.keys(OPTION_SPECS))).toEqual(used);
    expect(OPTION_SPECS.initialAccumulatorValue!.flag).toBe("--initial-accumulator-value");
    expect(kebab("t0")).toBe("t0");
    expect(optimizersWith("momentum")).toEqual(["sgd", "rmsprop"]);
  });
});

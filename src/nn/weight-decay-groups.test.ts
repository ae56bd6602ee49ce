import { describe, expect, it } from "vitest";
import { manualSeed } from "../tensor/random.js";
import { Module } from "./module.js";
import { BatchNorm2d } from "./modules/batchnorm.js";
import { Conv2d } from "./modules/conv.js";
import { Linear } from "./modules/linear.js";
import { LayerNorm } from "./modules/normalization.js";
import { Embedding } from "./modules/sparse.js";
import { Parameter } from "./parameter.js";
import { paramGroupsWeightDecay } from "./weight-decay-groups.js";
import { zeros } from "../tensor/creation.js";

class Net extends Module {
  emb = new Embedding(10, 4);
  conv = new Conv2d(1, 2, 3);
  bn = new BatchNorm2d(2);
  fc = new Linear(8, 4);
  ln = new LayerNorm(4);
  head = new Linear(4, 3, { bias: false });
  scale = new Parameter(zeros([1]));
}

const rowsOf = (model: Module, opts: Parameters<typeof paramGroupsWeightDecay>[1]) =>
  paramGroupsWeightDecay(model, opts).report.rows.map((r) => [r.name, r.group, r.reason]);

describe("paramGroupsWeightDecay", () => {
  it("puts biases, norm parameters and 1-D parameters in the no-decay group, with reasons", () => {
    manualSeed(0);
    const model = new Net();
    const { groups, report } = paramGroupsWeightDecay(model, { weightDecay: 0.05 });
    // A module's own parameters come before its children's, as in PyTorch's named_parameters().
    expect(report.rows.map((r) => [r.name, r.module, r.group, r.reason])).toEqual([
      ["scale", "Net", "no_decay", "ndim 1 ≤ 1"],
      ["emb.weight", "Embedding", "decay", "weight with ndim 2"],
      ["conv.weight", "Conv2d", "decay", "weight with ndim 4"],
      ["conv.bias", "Conv2d", "no_decay", "bias"],
      ["bn.weight", "BatchNorm2d", "no_decay", "normalization layer parameter (BatchNorm2d)"],
      ["bn.bias", "BatchNorm2d", "no_decay", "normalization layer parameter (BatchNorm2d)"],
      ["fc.weight", "Linear", "decay", "weight with ndim 2"],
      ["fc.bias", "Linear", "no_decay", "bias"],
      ["ln.weight", "LayerNorm", "no_decay", "normalization layer parameter (LayerNorm)"],
      ["ln.bias", "LayerNorm", "no_decay", "normalization layer parameter (LayerNorm)"],
      ["head.weight", "Linear", "decay", "weight with ndim 2"],
    ]);
    const named = new Map(model.namedParameters().map(([n, p]) => [p, n]));
    expect(groups[0].weightDecay).toBe(0.05);
    expect(groups[1].weightDecay).toBe(0);
    expect(groups[0].params.map((p) => named.get(p))).toEqual([
      "emb.weight",
      "conv.weight",
      "fc.weight",
      "head.weight",
    ]);
    expect(groups[1].params).toHaveLength(7);
    expect(report.decayed).toEqual({ tensors: 4, elements: 40 + 18 + 32 + 12 });
    expect(report.excluded.tensors).toBe(7);
    const text = report.toString();
    expect(text.split("\n")[0]).toMatch(/^parameter\s+shape\s+module\s+group\s+weight_decay\s+reason$/);
    expect(text).toContain("bn.weight    [2]");
    expect(text).toContain("decayed (weight_decay=0.05): 4 tensors, 102 elements");
    expect(text).toContain("not decayed (weight_decay=0): 7 tensors, 19 elements");
  });

  it("honours exclude lists, predicates and modules' noWeightDecay()", () => {
    manualSeed(0);
    const model = new Net();
    (model.emb as unknown as { noWeightDecay: () => string[] }).noWeightDecay = () => ["weight"];
    expect(
      rowsOf(model, { weightDecay: 0.1, exclude: ["head.weight"] }).filter((r) => r[1] === "decay"),
    ).toEqual([
      ["conv.weight", "decay", "weight with ndim 4"],
      ["fc.weight", "decay", "weight with ndim 2"],
    ]);
    const rows = rowsOf(model, {
      weightDecay: 0.1,
      exclude: (name) => (name.startsWith("conv.") ? "conv stays free" : false),
    });
    expect(rows.find((r) => r[0] === "emb.weight")).toEqual([
      "emb.weight",
      "no_decay",
      "listed by Embedding.noWeightDecay()",
    ]);
    expect(rows.find((r) => r[0] === "conv.weight")).toEqual(["conv.weight", "no_decay", "conv stays free"]);
    expect(rowsOf(model, { weightDecay: 0.1, exclude: [/^fc\./] }).find((r) => r[0] === "fc.weight")).toEqual(
      ["fc.weight", "no_decay", "excluded by option (matches /^fc\\./)"],
    );
  });

  it("with auto: false decays everything, as PyTorch does by default", () => {
    manualSeed(0);
    const { groups } = paramGroupsWeightDecay(new Net(), { weightDecay: 0.1, auto: false });
    expect(groups[1].params).toHaveLength(0);
    expect(groups[0].params).toHaveLength(11);
  });

  it("leaves frozen parameters out and says so", () => {
    manualSeed(0);
    const model = new Net();
    model.fc.weight.requiresGrad_(false);
    const { groups, report } = paramGroupsWeightDecay(model, { weightDecay: 0.1 });
    expect(groups[0].params).not.toContain(model.fc.weight);
    expect(report.rows.find((r) => r.name === "fc.weight")?.group).toBe("frozen");
    expect(report.toString()).toContain("frozen (not optimized): 1 tensors, 32 elements");
  });

  it("rejects bad options", () => {
    expect(() => paramGroupsWeightDecay(new Net(), {} as never)).toThrow("needs a numeric weightDecay");
    expect(() => paramGroupsWeightDecay(new Net(), { weightDecay: -1 })).toThrow(
      "Invalid weight_decay value: -1",
    );
    expect(() => paramGroupsWeightDecay(new Net(), { weightDecay: 1, exclude: "bias" as never })).toThrow(
      "exclude must be a function or an array",
    );
  });
});

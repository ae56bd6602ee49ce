import { describe, expect, it } from "vitest";
import * as tg from "../index.js";
import { CliError } from "./cli-error.js";
import {
  createOptimizer,
  explain,
  num,
  paramGroupsWeightDecay,
  weightDecayFromTimescale,
} from "./decay-toolkit.js";
import { buildModel } from "./models.js";

function bits(t: tg.Tensor): number[] {
  return Array.from(new Uint8Array(Float32Array.from(t.toTypedArray() as Float32Array).buffer));
}

function pair(seed: number): [tg.Tensor, tg.Tensor, tg.Tensor] {
  tg.setDefaultDtype("float32");
  tg.manualSeed(seed);
  const w = tg.randn([3, 4]);
  const g = tg.randn([3, 4]);
  return [w.clone().requiresGrad_(), w.clone().requiresGrad_(), g];
}

describe("paramGroupsWeightDecay (the command's rules)", () => {
  it("auto keeps biases and normalization layers out of decay, and names the groups", () => {
    tg.manualSeed(0);
    const model = buildModel("cnn", 0);
    const { groups, report, decayed, excluded } = paramGroupsWeightDecay(model, {
      weightDecay: 0.1,
      exclude: "auto",
    });
    expect(report.filter((r) => !r.decayed).map((r) => r.name)).toEqual([
      "0.bias",
      "3.bias",
      "4.weight",
      "4.bias",
      "8.bias",
    ]);
    expect(report.filter((r) => r.decayed).map((r) => r.name)).toEqual(["0.weight", "3.weight", "8.weight"]);
    expect(report.find((r) => r.name === "4.weight")!.reason).toMatch(/BatchNorm2d/);
    expect(groups.map((g) => [g.name, g.weightDecay])).toEqual([
      ["decay", 0.1],
      ["no_decay", 0],
    ]);
    expect(decayed.length + excluded.length).toBe(model.parameters().length);
  });

  it("none decays everything (one group); names exclude exactly the parameters they end; unknown names are refused", () => {
    tg.manualSeed(0);
    const model = buildModel("mlp", 8);
    const none = paramGroupsWeightDecay(model, { weightDecay: 0.1, exclude: "none" });
    expect(none.excluded).toHaveLength(0);
    expect(none.groups.map((g) => g.name)).toEqual(["decay"]);
    const named = paramGroupsWeightDecay(model, { weightDecay: 0.1, exclude: ["bias", "3.weight"] }).report;
    expect(named.filter((r) => !r.decayed).map((r) => r.name)).toEqual(["1.bias", "3.weight", "3.bias"]);
    expect(() => paramGroupsWeightDecay(model, { weightDecay: 0.1, exclude: ["bais"] })).toThrow(CliError);
    expect(() => paramGroupsWeightDecay(model, { weightDecay: 0.1, exclude: ["bais"] })).toThrow(
      'no parameter matches "bais"',
    );
  });
});

describe("createOptimizer with a decay scale", () => {
  it.each([
    ["adamw", {}],
    ["sgd", { momentum: 0.9, decoupledWeightDecay: true }],
    ["nadam", { decoupledWeightDecay: true }],
    ["radam", { decoupledWeightDecay: true }],
  ] as const)("none multiplies %s's parameters by 1 − λ before an update without decay", (name, extra) => {
    const [a, b, g] = pair(2);
    const lambda = 0.05;
    const lr = name === "sgd" ? 0.1 : 0.01;
    const ours = createOptimizer([{ params: [a], weightDecay: lambda }], {
      name,
      options: { lr, ...extra },
      decayScale: "none",
    });
    const cls = { adamw: tg.optim.AdamW, sgd: tg.optim.SGD, nadam: tg.optim.NAdam, radam: tg.optim.RAdam }[
      name
    ];
    const plain: Record<string, unknown> = { lr, ...extra, weightDecay: 0 };
    delete plain.decoupledWeightDecay;
    const theirs = new cls([b], plain);
    for (let i = 0; i < 3; i++) {
      a.grad = g.clone();
      b.grad = g.clone();
      ours.step();
      tg.noGrad(() => b.mul_(1 - lambda));
      theirs.step();
    }
    expect(bits(a.detach())).toEqual(bits(b.detach()));
  });

  it("passes nothing extra for PyTorch's scale, so state dicts keep PyTorch's layout", () => {
    const [a] = pair(3);
    const opt = createOptimizer([{ params: [a], weightDecay: 0.1 }], {
      name: "adamw",
      options: { lr: 0.01 },
      decayScale: "lr",
    });
    expect(Object.keys(opt.stateDict().param_groups[0]!)).not.toContain("decay_scale");
    const scaled = createOptimizer([{ params: [a], weightDecay: 0.1 }], {
      name: "adamw",
      options: { lr: 0.01 },
      decayScale: "lrRatio",
    });
    expect(scaled.stateDict().param_groups[0]!.decay_scale).toBe("lrRatio");
  });

  it("is refused, with the flag to add, where it cannot apply", () => {
    const [a] = pair(4);
    expect(() =>
      createOptimizer([{ params: [a] }], { name: "sgd", options: {}, decayScale: "none" }),
    ).toThrow(
      "--decay-scale none scales decoupled weight decay: add --decoupled-weight-decay to sgd, or use adamw",
    );
    expect(() =>
      createOptimizer([{ params: [a] }], { name: "adagrad", options: {}, decayScale: "lrRatio" }),
    ).toThrow(
      "--decay-scale lrRatio is available for sgd, adam, adamw, nadam, radam (with decoupled weight decay), not adagrad",
    );
  });
});

describe("explain (as the command prints it)", () => {
  it("names groups by their parameters and states decoupled timescales in epochs", () => {
    const [a] = pair(6);
    const opt = createOptimizer([{ params: [a], weightDecay: 0.1, name: "decay" }], {
      name: "adamw",
      options: { lr: 1e-3 },
      decayScale: "lr",
    });
    const text = explain(opt, { groupNames: [["fc.weight"]], stepsPerEpoch: 100 });
    expect(text.split("\n")[0]).toBe('AdamW, group "decay" (fc.weight; 12 values):');
    const tau = tg.optim.explain(opt).groups[0]!.timescaleSteps!;
    expect(tau).toBeCloseTo(1 / (1e-3 * 0.1), 6);
    expect(text).toContain(`that timescale is ${num(tau / 100)} epochs of 100 steps`);
    expect(text).toContain("decoupled weight decay, before the update");
  });

  it("keeps the library's text for every group", () => {
    const [a, b] = pair(7);
    const opt = new tg.optim.SGD([{ params: [a] }, { params: [b], weightDecay: 0 }], {
      lr: 0.1,
      momentum: 0.9,
      weightDecay: 5e-4,
    });
    const text = explain(opt, { groupSizes: false });
    const lib = tg.optim.explain(opt).toString().split("\n");
    for (const line of lib.filter((l) => l.startsWith(" "))) expect(text).toContain(line);
    expect(text).toMatch(/^SGD, param group 0:\n/);
    expect(text).toContain("\n\nSGD, param group 1:\n");
  });

  it("weightDecayFromTimescale inverts the timescale", () => {
    const wd = weightDecayFromTimescale({ epochs: 10, lr: 1e-3, datasetSize: 8000, batchSize: 64 });
    expect(1 / (1e-3 * wd) / (8000 / 64)).toBeCloseTo(10, 12);
  });
});

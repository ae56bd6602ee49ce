import { describe, expect, it } from "vitest";
import * as tg from "../index.js";
import { CliError } from "./cli-error.js";
import {
  createOptimizer,
  explain,
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

describe("paramGroupsWeightDecay", () => {
  it("auto keeps biases, 1-D tensors and normalization layers out, and says why", () => {
    tg.manualSeed(0);
    const model = buildModel("cnn", 0);
    const { groups, report, decayed, excluded } = paramGroupsWeightDecay(model, {
      weightDecay: 0.1,
      exclude: "auto",
    });
    const out = report.filter((r) => !r.decayed).map((r) => `${r.name}: ${r.reason}`);
    expect(out).toEqual([
      "0.bias: bias of Conv2d",
      "3.bias: bias of Conv2d",
      "4.weight: weight of a normalization layer (BatchNorm2d)",
      "4.bias: bias of a normalization layer (BatchNorm2d)",
      "8.bias: bias of Linear",
    ]);
    expect(report.filter((r) => r.decayed).map((r) => r.name)).toEqual(["0.weight", "3.weight", "8.weight"]);
    expect(groups.map((g) => [g.name, g.weightDecay])).toEqual([
      ["decay", 0.1],
      ["no_decay", 0],
    ]);
    expect(decayed.length + excluded.length).toBe(model.parameters().length);
  });

  it("none decays everything; names match dotted components or prefixes; unknown names are refused", () => {
    tg.manualSeed(0);
    const model = buildModel("mlp", 8);
    expect(paramGroupsWeightDecay(model, { weightDecay: 0.1, exclude: "none" }).excluded).toHaveLength(0);
    const named = paramGroupsWeightDecay(model, { weightDecay: 0.1, exclude: ["bias", "3"] }).report;
    expect(named.filter((r) => !r.decayed).map((r) => r.name)).toEqual(["1.bias", "3.weight", "3.bias"]);
    expect(() => paramGroupsWeightDecay(model, { weightDecay: 0.1, exclude: ["bais"] })).toThrow(CliError);
    expect(() => paramGroupsWeightDecay(model, { weightDecay: 0.1, exclude: ["bais"] })).toThrow(
      'no parameter matches "bais"',
    );
  });
});

describe("createOptimizer with a decay scale", () => {
  it("lr is the optimizer's own decay, unchanged", () => {
    const [a, b, g] = pair(1);
    const ours = createOptimizer([{ params: [a], weightDecay: 0.1 }], {
      name: "adamw",
      options: { lr: 0.01 },
      decayScale: "lr",
      peakLr: 0.01,
    });
    const theirs = new tg.optim.AdamW([b], { lr: 0.01, weightDecay: 0.1 });
    for (let i = 0; i < 3; i++) {
      a.grad = g.clone();
      b.grad = g.clone();
      ours.step();
      theirs.step();
    }
    expect(bits(a.detach())).toEqual(bits(b.detach()));
  });

  it.each(["adamw", "sgd", "nadam", "radam"] as const)(
    "none multiplies %s's parameters by 1 − λ before an update without decay",
    (name) => {
      const [a, b, g] = pair(2);
      const lambda = 0.05;
      const options: Record<string, number> = name === "sgd" ? { lr: 0.1, momentum: 0.9 } : { lr: 0.01 };
      const ours = createOptimizer([{ params: [a], weightDecay: lambda }], {
        name,
        options,
        decayScale: "none",
        peakLr: 0.1,
      });
      const cls = { adamw: tg.optim.AdamW, sgd: tg.optim.SGD, nadam: tg.optim.NAdam, radam: tg.optim.RAdam }[
        name
      ];
      const theirs = new cls([b], { ...options, weightDecay: 0 });
      for (let i = 0; i < 3; i++) {
        a.grad = g.clone();
        b.grad = g.clone();
        ours.step();
        tg.noGrad(() => b.mul_(1 - lambda));
        theirs.step();
      }
      expect(bits(a.detach())).toEqual(bits(b.detach()));
      expect(ours.paramGroups[0]!.weightDecay).toBe(lambda);
    },
  );

  it("lrRatio scales the decay by lr/peak lr as the schedule moves, and survives a state dict round trip", () => {
    const [a, b, g] = pair(3);
    const lambda = 0.2;
    const ours = createOptimizer([{ params: [a], weightDecay: lambda }], {
      name: "adamw",
      options: { lr: 0.01 },
      decayScale: "lrRatio",
      peakLr: 0.01,
    });
    const sched = new tg.optim.lrScheduler.StepLR(ours, { stepSize: 1, gamma: 0.5 });
    const theirs = new tg.optim.AdamW([b], { lr: 0.01, weightDecay: 0 });
    const sched2 = new tg.optim.lrScheduler.StepLR(theirs, { stepSize: 1, gamma: 0.5 });
    for (let i = 0; i < 3; i++) {
      a.grad = g.clone();
      b.grad = g.clone();
      const ratio = theirs.paramGroups[0]!.lr / 0.01;
      ours.step();
      tg.noGrad(() => b.mul_(1 - lambda * ratio));
      theirs.step();
      sched.step();
      sched2.step();
    }
    expect(bits(a.detach())).toEqual(bits(b.detach()));
    const sd = ours.stateDict();
    expect(sd.param_groups[0]!.decay_scale).toBe("lrRatio");
    const again = createOptimizer([{ params: [a], weightDecay: lambda }], {
      name: "adamw",
      options: { lr: 0.01 },
      decayScale: "lrRatio",
      peakLr: 0.01,
    });
    again.loadStateDict(JSON.parse(JSON.stringify({ ...sd, state: {} })));
    expect(again.paramGroups[0]!.peakLr).toBe(0.01);
  });

  it("is refused on optimizers without it", () => {
    const [a] = pair(4);
    expect(() =>
      createOptimizer([{ params: [a] }], { name: "adam", options: {}, decayScale: "none", peakLr: 1e-3 }),
    ).toThrow("--decay-scale none is available for sgd, adamw, nadam, radam, not adam");
  });
});

describe("explain", () => {
  it("spells out SGD with momentum and coupled decay", () => {
    const [a] = pair(5);
    const text = explain(new tg.optim.SGD([a], { lr: 0.1, momentum: 0.9, weightDecay: 5e-4 }));
    expect(text).toContain(
      "SGD, group 0 (1 tensor; 12 values): lr 0.1, weight decay 5e-4, coupled (added to the gradient)",
    );
    expect(text).toContain("g ← ∇loss + 5e-4·θ");
    expect(text).toContain("b ← g at the first step, then b ← 0.9·b + 1·g");
    expect(text).toContain(`loss + (5e-4/2)·‖θ‖² = loss + 2.5e-4·‖θ‖²`);
    expect(text).toContain("passes through the momentum buffer");
  });

  it("gives decoupled decay's shrink factor and timescale in steps and epochs", () => {
    const [a] = pair(6);
    const opt = createOptimizer([{ params: [a], weightDecay: 0.1 }], {
      name: "adamw",
      options: { lr: 1e-3 },
      decayScale: "lr",
      peakLr: 1e-3,
    });
    const text = explain(opt, { stepsPerEpoch: 100 });
    expect(text).toContain(`θ ← θ·(1 − 0.001·0.1) = ${Number((1 - 1e-3 * 0.1).toPrecision(6))}·θ`);
    const steps = Number((1 / (1e-3 * 0.1)).toPrecision(6));
    expect(text).toContain(`${steps} steps ≈ ${steps / 100} epochs of 100 steps`);
    expect(text).toContain("Not a loss term");
  });

  it("weightDecayFromTimescale inverts the timescale", () => {
    const wd = weightDecayFromTimescale({ epochs: 10, lr: 1e-3, datasetSize: 8000, batchSize: 64 });
    expect(1 / (1e-3 * wd) / (8000 / 64)).toBeCloseTo(10, 12);
  });
});

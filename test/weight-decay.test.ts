import { describe, expect, it } from "vitest";
import * as tg from "../src/index.js";
import type { Tensor } from "../src/tensor/tensor.js";
import { expectExact } from "./helpers/close.js";
import { decodeValues, loadFixture, type EncodedTensor } from "./helpers/fixtures.js";

// Decoupled weight-decay extensions (SGDW, decayScale, cautious decay) against the literal recipe
// run in real torch 1.13 by scripts/fixtures/weight_decay.py: shrink by hand, then the optimizer's
// own update with weight_decay=0. Every element of every step must match bit for bit.
interface Case {
  name: string;
  optimizer: "SGD" | "AdamW" | "Adam" | "RAdam";
  options: Record<string, unknown>;
  stepLR?: { stepSize: number; gamma: number };
  dtype: "float32" | "float64";
  params: EncodedTensor[];
  grads: EncodedTensor[][];
  trajectory: EncodedTensor[][];
}

const fixture = loadFixture<{ steps: number; cases: Case[] }>("weight-decay");

function toTensor(e: EncodedTensor): Tensor {
  return tg.tensor(decodeValues(e), { dtype: e.dtype, shape: e.shape } as never).reshape(e.shape);
}

describe("decoupled weight-decay options match the torch recipe bit for bit", () => {
  for (const c of fixture.cases) {
    it(`${c.name} (${c.dtype})`, () => {
      const params = c.params.map((p) => toTensor(p).requiresGrad_());
      const Opt = tg.optim[c.optimizer] as unknown as new (p: Tensor[], o: unknown) => tg.optim.SGD;
      const opt = new Opt(params, c.options);
      const sched = c.stepLR ? new tg.optim.lrScheduler.StepLR(opt, c.stepLR) : null;
      for (let step = 0; step < fixture.steps; step++) {
        params.forEach((p, i) => (p.grad = toTensor(c.grads[step]![i]!)));
        opt.step();
        sched?.step();
        params.forEach((p, i) =>
          expectExact(
            p.toTypedArray(),
            decodeValues(c.trajectory[step]![i]!),
            `${c.name} step ${step + 1} param ${i}`,
          ),
        );
      }
    });
  }
});

describe("option checks", () => {
  const w = () => tg.zeros([3], { requiresGrad: true });
  it("rejects decay-scale options without decoupled decay", () => {
    expect(() => new tg.optim.SGD([w()], { weightDecay: 0.1, cautiousWeightDecay: true })).toThrow(
      "SGD: decayScale and cautiousWeightDecay apply to decoupled weight decay; pass decoupledWeightDecay: true",
    );
    expect(() => new tg.optim.Adam([w()], { weightDecay: 0.1, decayScale: "none" })).toThrow(
      "(or use AdamW)",
    );
  });
  it("rejects an unknown decay scale with the allowed values", () => {
    expect(() => new tg.optim.AdamW([w()], { decayScale: "lr_ratio" as never })).toThrow(
      'Invalid decayScale value: "lr_ratio"; expected one of "lr", "lrRatio", "none"',
    );
  });
  it("keeps PyTorch's param_groups layout unless an extension is used", () => {
    const plain = new tg.optim.AdamW([w()], { lr: 0.1 });
    expect(Object.keys(plain.stateDict().param_groups[0]!)).not.toContain("decay_scale");
    const scaled = new tg.optim.AdamW([w()], { lr: 0.1, decayScale: "none" });
    expect(scaled.stateDict().param_groups[0]!.decay_scale).toBe("none");
  });
});

describe("NAdam decoupled extensions (no torch counterpart: checked against the recipe in tsgrad)", () => {
  const grads = [0.3, -1.2, 0.05, 2.0, -0.7].map((v, i) =>
    tg.tensor([v, -v / 2, i - 2, 0.1 * i], { dtype: "float64" }),
  );
  const start = tg.tensor([0.5, -0.25, 1.5, -2], { dtype: "float64" });
  it("decayScale none equals a manual w·(1 − λ) before a decay-free step", () => {
    const a = start.clone().requiresGrad_();
    const b = start.clone().requiresGrad_();
    const optA = new tg.optim.NAdam([a], {
      lr: 0.01,
      weightDecay: 0.02,
      decoupledWeightDecay: true,
      decayScale: "none",
    });
    const optB = new tg.optim.NAdam([b], { lr: 0.01 });
    for (const g of grads) {
      a.grad = g.clone();
      b.grad = g.clone();
      optA.step();
      tg.noGrad(() => b.mul_(1 - 0.02));
      optB.step();
      expectExact(a.toTypedArray(), b.toTypedArray(), "NAdam decayScale none");
    }
  });
  it("cautious decay shrinks exactly the coordinates whose update points the same way as w", () => {
    const a = start.clone().requiresGrad_();
    const b = start.clone().requiresGrad_();
    const optA = new tg.optim.NAdam([a], {
      lr: 0.01,
      weightDecay: 0.5,
      decoupledWeightDecay: true,
      cautiousWeightDecay: true,
    });
    const optB = new tg.optim.NAdam([b], { lr: 0.01 });
    for (const g of grads) {
      // Probe the decay-free step on a copy to learn the update direction u (its sign) per element.
      const probe = b.detach().clone().requiresGrad_();
      const probeOpt = new tg.optim.NAdam([probe], { lr: 0.01 });
      probeOpt.loadStateDict(structuredCloneState(optB.stateDict()));
      probe.grad = g.clone();
      probeOpt.step();
      const before = b.toTypedArray();
      const delta = probe.toTypedArray().map((v, i) => v - (before[i] as number));
      const factor = 1 - 0.01 * 0.5;
      tg.noGrad(() =>
        b.mul_(
          tg.tensor(
            Array.from(before, (w, i) => ((delta[i] as number) * w <= 0 ? factor : 1)),
            { dtype: "float64" },
          ),
        ),
      );
      a.grad = g.clone();
      b.grad = g.clone();
      optA.step();
      optB.step();
      expectExact(a.toTypedArray(), b.toTypedArray(), "NAdam cautious");
    }
  });
});

function structuredCloneState(sd: ReturnType<tg.optim.NAdam["stateDict"]>) {
  return {
    state: Object.fromEntries(
      Object.entries(sd.state).map(([k, v]) => [
        k,
        Object.fromEntries(
          Object.entries(v as Record<string, unknown>).map(([kk, vv]) => [
            kk,
            vv instanceof tg.Tensor ? vv.clone() : vv,
          ]),
        ),
      ]),
    ),
    param_groups: sd.param_groups.map((g) => ({ ...g })),
  };
}

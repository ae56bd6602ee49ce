/**
 * Module behaviour, nn.utils and swaUtils against PyTorch 1.13 (test/fixtures/nn-modules.json,
 * written by scripts/fixtures/nn_modules.py): parameter/buffer/state-dict names and order, module
 * repr, loadStateDict errors, a float64 training run with batch norm in training and evaluation,
 * cumulative batch-norm statistics, gradient clipping, AveragedModel/EMA/updateBn and SWALR.
 *
 * Tolerances: names, messages and learning rates are exact (SWALR's lrs may differ by an ulp
 * where V8's Math.cos and glibc's cos round differently: 1e-15 relative). float64 tensors:
 * |a − e| ≤ 1e-12 · max(|e|, ‖e‖∞) (the same rule as nn-ops.test.ts); the training run's losses
 * and final weights, after three steps through convolution, batch and group norm, embedding and
 * cross entropy, are held to 1e-12 as well. float32 tensors (clipping, batch-norm statistics, EMA):
 * 4 ulp of the tensor's scale, |a − e| ≤ 2⁻²¹ · max(|e|, ‖e‖∞) — PyTorch reduces in float32
 * with vectorised sums where tsgrad sums in double and rounds once.
 */
import { describe, expect, it } from "vitest";
import { noGrad } from "../src/autograd/grad-mode.js";
import * as nn from "../src/nn/index.js";
import {
  AveragedModel,
  SWALR,
  getEmaAvgFn,
  getEmaMultiAvgFn,
  updateBn,
} from "../src/namespaces/swa-utils.js";
import type { StateDict } from "../src/nn/module.js";
import { tensor } from "../src/tensor/creation.js";
import { Tensor } from "../src/tensor/tensor.js";
import { FakeOptimizer } from "./helpers/fake-optimizer.js";
import { decodeNumber, decodeValues, loadFixture, type EncodedTensor } from "./helpers/fixtures.js";

type Sd = Array<[string, EncodedTensor]>;

interface Fixture {
  meta: Record<string, string>;
  structure: {
    parameters: string[];
    buffers: string[];
    state_dict: string[];
    modules: string[];
    children: string[];
    repr: string;
  };
  load: Array<{
    name: string;
    strict: boolean;
    error: string | null;
    missing?: string[];
    unexpected?: string[];
    keys: string[];
    shapes: Record<string, number[]>;
  }>;
  training: {
    start: Sd;
    x: EncodedTensor[];
    ids: EncodedTensor[];
    y: EncodedTensor[];
    losses: number[];
    after: Sd;
    eval_out: EncodedTensor;
  };
  batchnorm: Array<{ dtype: "float32" | "float64"; momentum: number | null; xs: EncodedTensor[]; state: Sd }>;
  clip: Array<{
    dtype: "float32" | "float64";
    normType: number | "inf";
    maxNorm: number;
    grads: EncodedTensor[];
    total: EncodedTensor;
    after: EncodedTensor[];
  }>;
  nonfinite: string;
  clip_value: { grads: EncodedTensor; after: EncodedTensor };
  swa: Array<{
    name: string;
    dtype: "float32" | "float64";
    decay: number;
    start: Sd;
    xs: EncodedTensor[];
    averaged: Sd;
    after_update_bn: Sd;
  }>;
  swalr: Array<{ options: Record<string, unknown>; lrs: number[][] }>;
}

const fx = loadFixture<Fixture>("nn-modules");

function decode(e: EncodedTensor, requiresGrad = false): Tensor {
  const values = e.data.map((v) => decodeNumber(v));
  const data =
    e.dtype === "float32"
      ? Float32Array.from(values)
      : e.dtype === "float64"
        ? Float64Array.from(values)
        : Int32Array.from(values);
  return tensor(data, { shape: e.shape, dtype: e.dtype, requiresGrad });
}

let worst64 = 0;

function expectTensor(actual: Tensor, expected: EncodedTensor, label: string): void {
  expect(actual.dtype, `${label} dtype`).toBe(expected.dtype);
  expect([...actual.shape], `${label} shape`).toEqual(expected.shape);
  const a = Array.from(actual.toTypedArray() as ArrayLike<number>);
  const e = decodeValues(expected);
  if (expected.dtype === "int32") {
    expect(a, label).toEqual(Array.from(e));
    return;
  }
  let scale = 0;
  for (const v of e) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  const rel = expected.dtype === "float64" ? 1e-12 : 2 ** -21;
  for (let i = 0; i < e.length; i++) {
    const x = a[i] as number;
    const y = e[i] as number;
    if (expected.dtype === "float64" && scale > 0)
      worst64 = Math.max(worst64, Math.abs(x - y) / Math.max(Math.abs(y), scale));
    if (!(Math.abs(x - y) <= rel * Math.max(Math.abs(y), scale))) {
      expect.fail(`${label}[${i}]: got ${x}, expected ${y}`);
    }
  }
}

function expectStateDict(actual: StateDict, expected: Sd, label: string): void {
  expect(Object.keys(actual), `${label} keys`).toEqual(expected.map(([k]) => k));
  for (const [k, e] of expected) expectTensor(actual[k] as Tensor, e, `${label} ${k}`);
}

function toStateDict(sd: Sd): StateDict {
  return Object.fromEntries(sd.map(([k, e]) => [k, decode(e)]));
}

/** The fixture's `Mixed` model, written as a tsgrad user would write it. */
class Mixed extends nn.Module {
  features = new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1 }),
    new nn.BatchNorm2d(4),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
  );
  gn = new nn.GroupNorm(2, 4);
  norm = new nn.LayerNorm(4);
  emb = new nn.Embedding(10, 4, { paddingIdx: 0 });
  blocks = new nn.ModuleList([new nn.Linear(4, 4), new nn.Linear(4, 4, { bias: false })]);
  heads = new nn.ModuleDict({ cls: new nn.Linear(4, 3), aux: new nn.Linear(4, 1) });
  scale = new nn.Parameter(tensor([1], { dtype: "float32" }));

  override forward(x: Tensor, ids: Tensor): Tensor {
    const f = this.gn.forward(this.features.forward(x)).mean([2, 3]);
    let h = this.norm.forward(f).add(this.emb.forward(ids).mean(1));
    for (const b of this.blocks) h = b.forward(h).relu();
    return this.heads.get("cls")!.forward(h).add(this.heads.get("aux")!.forward(h)).mul(this.scale);
  }
}

describe("Module structure matches PyTorch", () => {
  const model = new Mixed().double();

  it("names and orders parameters, buffers, state dict, modules and children as PyTorch", () => {
    expect(model.namedParameters().map(([k]) => k)).toEqual(fx.structure.parameters);
    expect(model.namedBuffers().map(([k]) => k)).toEqual(fx.structure.buffers);
    expect(Object.keys(model.stateDict())).toEqual(fx.structure.state_dict);
    expect(model.namedModules().map(([k]) => k)).toEqual(fx.structure.modules);
    expect(model.namedChildren().map(([k]) => k)).toEqual(fx.structure.children);
  });

  it("prints like PyTorch's repr", () => {
    expect(String(model)).toBe(fx.structure.repr);
  });

  it("double() keeps parameter identity and converts buffers", () => {
    const m = new Mixed();
    const w = m.blocks.at(0).weight;
    const params = m.parameters();
    m.double();
    expect(m.blocks.at(0).weight).toBe(w);
    expect(m.parameters()).toEqual(params);
    expect(w.dtype).toBe("float64");
    expect((m.features.at(1) as nn.BatchNorm2d).runningMean!.dtype).toBe("float64");
    expect((m.features.at(1) as nn.BatchNorm2d).numBatchesTracked!.dtype).toBe("int32");
    m.float();
    expect(w.dtype).toBe("float32");
  });
});

describe("loadStateDict", () => {
  const start = toStateDict(fx.training.start);
  for (const c of fx.load) {
    it(c.name, () => {
      const sd: StateDict = {};
      for (const k of c.keys)
        sd[k] =
          k in start && (start[k] as Tensor).shape.join() === c.shapes[k]!.join()
            ? (start[k] as Tensor)
            : new Tensor(new Float64Array(c.shapes[k]!.reduce((a, b) => a * b, 1)), c.shapes[k]!);
      const m = new Mixed().double();
      if (c.error !== null) {
        expect(() => m.loadStateDict(sd, { strict: c.strict })).toThrow(c.error);
        try {
          m.loadStateDict(sd, { strict: c.strict });
        } catch (e) {
          expect((e as Error).message).toBe(c.error);
          expect((e as Error).name).toBe("RuntimeError");
        }
      } else {
        const res = m.loadStateDict(sd, { strict: c.strict });
        expect(res.missingKeys).toEqual(c.missing);
        expect(res.unexpectedKeys).toEqual(c.unexpected);
        if (c.name === "complete") expectStateDict(m.stateDict(), fx.training.start, "loaded");
      }
    });
  }
});

describe("a float64 training run through every layer kind", () => {
  it("gives PyTorch's losses, weights, running statistics and eval output", () => {
    const model = new Mixed().double();
    model.loadStateDict(toStateDict(fx.training.start));
    model.train();
    const losses: number[] = [];
    fx.training.x.forEach((xe, i) => {
      model.zeroGrad();
      const out = model.forward(decode(xe), decode(fx.training.ids[i]!));
      const loss = nn.functional.crossEntropy(out, decode(fx.training.y[i]!));
      loss.backward();
      losses.push(loss.item());
      noGrad(() => {
        for (const p of model.parameters()) p.sub_(p.grad!, { alpha: 0.1 });
      });
    });
    losses.forEach((l, i) => {
      const e = fx.training.losses[i] as number;
      expect(Math.abs(l - e), `loss ${i}`).toBeLessThanOrEqual(1e-12 * Math.abs(e));
    });
    worst64 = 0;
    expectStateDict(model.stateDict(), fx.training.after, "after training");
    if (process.env.NN_REPORT)
      console.log(`training run: worst float64 weight error ${worst64.toExponential(2)}`);
    model.eval();
    expectTensor(
      model.forward(decode(fx.training.x[0]!), decode(fx.training.ids[0]!)),
      fx.training.eval_out,
      "eval output",
    );
  });
});

describe("batch norm running statistics", () => {
  for (const c of fx.batchnorm) {
    it(`momentum ${c.momentum} ${c.dtype}`, () => {
      const bn = new nn.BatchNorm1d(3, { momentum: c.momentum, dtype: c.dtype });
      for (const x of c.xs) bn.forward(decode(x));
      expectStateDict(bn.stateDict(), c.state, "state");
    });
  }
});

describe("nn.utils", () => {
  for (const c of fx.clip) {
    it(`clipGradNorm_ p=${c.normType} max=${c.maxNorm} ${c.dtype}`, () => {
      const ps = c.grads.map((g) => {
        const p = new nn.Parameter(Tensor._empty(g.shape, c.dtype));
        p.grad = decode(g);
        return p;
      });
      const total = nn.utils.clipGradNorm_(ps, c.maxNorm, c.normType);
      expectTensor(total, c.total, "total norm");
      ps.forEach((p, i) => expectTensor(p.grad!, c.after[i]!, `grad ${i}`));
    });
  }

  it("clipGradNorm_ raises PyTorch's error on a non-finite norm", () => {
    const p = new nn.Parameter(Tensor._empty([2], "float32"));
    p.grad = tensor([1.0, NaN]);
    expect(() => nn.utils.clipGradNorm_([p], 1.0, { errorIfNonfinite: true })).toThrow(fx.nonfinite);
    expect(() => nn.utils.clipGradNorm_([p], 1.0, { error_if_nonfinite: true } as never)).toThrow(
      "did you mean errorIfNonfinite?",
    );
  });

  it("clipGradValue_", () => {
    const p = new nn.Parameter(Tensor._empty([4, 3], "float64"));
    p.grad = decode(fx.clip_value.grads);
    nn.utils.clipGradValue_([p], 0.7);
    expectTensor(p.grad, fx.clip_value.after, "clipped");
  });

  it("parametersToVector / vectorToParameters keep parameter identity", () => {
    const m = new nn.Sequential(new nn.Linear(3, 2), new nn.Linear(2, 1));
    const before = m.parameters();
    const vec = nn.utils.parametersToVector(m.parameters());
    expect(vec.shape).toEqual([11]);
    expect(Array.from(vec.toTypedArray())).toEqual(before.flatMap((p) => Array.from(p.toTypedArray())));
    const next = tensor(Float32Array.from({ length: 11 }, (_, i) => i));
    nn.utils.vectorToParameters(next, m.parameters());
    expect(m.parameters()).toEqual(before);
    expect(Array.from((m.at(0) as nn.Linear).weight.toTypedArray())).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from((m.at(1) as nn.Linear).bias!.toTypedArray())).toEqual([10]);
    expect(() => nn.utils.vectorToParameters([1, 2] as unknown as Tensor, m.parameters())).toThrow(
      "expected torch.Tensor, but got: Array",
    );
  });
});

/** The fixture's `Small` model. */
class Small extends nn.Module {
  fc: nn.Linear;
  bn: nn.BatchNorm1d;
  out: nn.Linear;
  constructor(dtype: "float32" | "float64") {
    super();
    this.fc = new nn.Linear(3, 4, { dtype });
    this.bn = new nn.BatchNorm1d(4, { dtype });
    this.out = new nn.Linear(4, 2, { dtype });
  }
  override forward(x: Tensor): Tensor {
    return this.out.forward(this.bn.forward(this.fc.forward(x)).relu());
  }
}

describe("swaUtils", () => {
  for (const c of fx.swa) {
    it(`AveragedModel ${c.name} ${c.dtype}, then updateBn`, () => {
      const model = new Small(c.dtype);
      model.loadStateDict(toStateDict(c.start));
      const options =
        c.name === "swa"
          ? {}
          : c.name === "ema-lerp-buffers"
            ? { multiAvgFn: getEmaMultiAvgFn(c.decay), useBuffers: true }
            : { avgFn: getEmaAvgFn(c.decay) };
      const avg = new AveragedModel(model, options);
      for (const xe of c.xs) {
        model.train();
        model.zeroGrad();
        model.forward(decode(xe)).pow(2).mean().backward();
        noGrad(() => {
          for (const p of model.parameters()) p.sub_(p.grad!, { alpha: 0.2 });
        });
        avg.updateParameters(model);
      }
      expectStateDict(avg.stateDict(), c.averaged, "averaged");
      updateBn(
        c.xs.map((x) => [decode(x), null]),
        avg,
      );
      expectStateDict(avg.stateDict(), c.after_update_bn, "after updateBn");
    });
  }

  for (const c of fx.swalr) {
    it(`SWALR ${JSON.stringify(c.options)}`, () => {
      const opt = new FakeOptimizer([{ lr: 0.5 }, { lr: 0.05 }]);
      const o = c.options as {
        swa_lr: number | number[];
        anneal_epochs: number;
        anneal_strategy: "cos" | "linear";
      };
      const sched = new SWALR(opt, {
        swaLr: o.swa_lr,
        annealEpochs: o.anneal_epochs,
        annealStrategy: o.anneal_strategy,
      });
      const lrs = [opt.paramGroups.map((g) => g.lr)];
      for (let i = 0; i < 8; i++) {
        opt.step();
        sched.step();
        lrs.push(opt.paramGroups.map((g) => g.lr));
      }
      lrs.forEach((row, i) =>
        row.forEach((lr, j) => {
          const e = c.lrs[i]![j]!;
          expect(Math.abs(lr - e), `step ${i} group ${j}`).toBeLessThanOrEqual(1e-15 * Math.abs(e));
        }),
      );
    });
  }
});

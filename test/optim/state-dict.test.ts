/**
 * State-dict round trips: save mid-run (tensors and JSON for the rest), load into a fresh
 * optimizer, continue — identical to the uninterrupted run, bit for bit. Also: state dicts written
 * by torch 1.13 load and continue exactly as current PyTorch continues them.
 */

import { describe, expect, test } from "vitest";
import type { Optimizer, OptimizerStateDict } from "../../src/optim/index.js";
import { LBFGS } from "../../src/optim/index.js";
import { Tensor } from "../../src/tensor/tensor.js";
import { expectClose, expectExact } from "../helpers/close.js";
import { decodeValues } from "../helpers/fixtures.js";
import {
  camelOptions,
  decodeStateDict,
  decodeTensor,
  fixture,
  optimizerClass,
  stateValues,
  type Dtype,
} from "./helpers.js";
import { makeInputs } from "./stream.js";

/** A state dict as JSON text: tensors as {dtype, shape, data}, everything else as is. */
function serialise(sd: OptimizerStateDict): string {
  return JSON.stringify(sd, (_key, value: unknown) =>
    value instanceof Tensor
      ? { dtype: value.dtype, shape: value.shape, data: Array.from(value.toTypedArray()) }
      : value,
  );
}

function deserialise(text: string): OptimizerStateDict {
  return JSON.parse(text, (_key, value: unknown) => {
    if (
      value !== null &&
      typeof value === "object" &&
      "dtype" in value &&
      "shape" in value &&
      "data" in value
    ) {
      const v = value as { dtype: "float32" | "float64"; shape: number[]; data: number[] };
      return new Tensor(
        v.dtype === "float32" ? Float32Array.from(v.data) : Float64Array.from(v.data),
        v.shape,
      );
    }
    return value;
  }) as OptimizerStateDict;
}

/** Every optimizer with flags that give it all its state (momentum, amsgrad, centered, ...). */
const CONFIGS: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
  ["SGD", { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }, { lr: 0.01, momentum: 0.5 }],
  ["SGD", { lr: 0.05 }, { lr: 0.01 }],
  ["Adam", { lr: 0.01, amsgrad: true, weightDecay: 0.1 }, { lr: 0.1 }],
  ["Adam", { lr: 0.01, decoupledWeightDecay: true, weightDecay: 0.1 }, {}],
  ["AdamW", { lr: 0.01, maximize: true }, { lr: 0.5 }],
  ["Adagrad", { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.2 }, { lr: 1 }],
  [
    "RMSprop",
    { lr: 0.01, centered: true, momentum: 0.5 },
    { lr: 0.01, centered: true, momentum: 0.5, alpha: 0.5 },
  ],
  ["Adadelta", { lr: 0.5, rho: 0.8 }, {}],
  ["Adamax", { lr: 0.02 }, {}],
  ["NAdam", { lr: 0.01, decoupledWeightDecay: true, weightDecay: 0.1 }, {}],
  ["RAdam", { lr: 0.01, weightDecay: 0.1 }, {}],
  ["ASGD", { lr: 0.02, t0: 3, lambd: 0.01 }, {}],
  ["Rprop", { lr: 0.01, etas: [0.4, 1.3] }, {}],
];

const SHAPES = fixture().shapes;

function stepAll(opt: Optimizer, params: Tensor[], grads: Tensor[]): void {
  params.forEach((p, j) => (p.grad = (grads[j] as Tensor).clone()));
  opt.step();
}

describe.each(["float32", "float64"] as const)("round trip mid-run (%s)", (dtype: Dtype) => {
  test.each(CONFIGS.map((c, i) => [`${c[0]} ${JSON.stringify(c[1])}`, i] as const))("%s", (_name, i) => {
    const [name, options, otherOptions] = CONFIGS[i] as (typeof CONFIGS)[number];
    const cls = optimizerClass(name);
    const { params: init, grads } = makeInputs(500 + i, dtype, 16, SHAPES);
    const a = init.map((p) => p.clone().requiresGrad_());
    const optA = new cls([{ params: [a[0] as Tensor] }, { params: [a[1] as Tensor], lr: 0.003 }], options);
    for (let s = 0; s < 7; s++) stepAll(optA, a, grads[s] as Tensor[]);

    const text = serialise(optA.stateDict());
    const b = a.map((p) => new Tensor(p.toTypedArray(), p.shape).requiresGrad_());
    // Built with other hyperparameters: the saved ones must win.
    const optB = new cls([{ params: [b[0] as Tensor] }, { params: [b[1] as Tensor] }], otherOptions);
    optB.loadStateDict(deserialise(text));
    expect(optB.paramGroups.map((g) => ({ ...g, params: g.params.length }))).toEqual(
      optA.paramGroups.map((g) => ({ ...g, params: g.params.length })),
    );

    // PyTorch's load_state_dict casts every state tensor but `step` to the parameter's dtype, so
    // NAdam's float32 `mu_product` (and ASGD's `eta`, `mu`) become float64 for float64 parameters.
    // ASGD rounds its new values to float32 anyway; NAdam then multiplies its product in float64, as
    // PyTorch does after a reload (the 1.13 state-dict cases below check that bit for bit). The
    // uninterrupted run is given the same cast at the save point, and then both must agree exactly.
    const recast = dtype === "float64" && name === "NAdam";
    if (recast) {
      for (const st of optA.state.values()) {
        const mp = st.mu_product as Tensor;
        st.mu_product = new Tensor(Float64Array.from(mp.toTypedArray()), mp.shape);
      }
    }
    for (let s = 7; s < 16; s++) {
      stepAll(optA, a, grads[s] as Tensor[]);
      stepAll(optB, b, grads[s] as Tensor[]);
    }
    a.forEach((p, j) => expectExact((b[j] as Tensor).toTypedArray(), p.toTypedArray(), `param ${j}`));
    const sa = optA.stateDict().state;
    const sb = optB.stateDict().state;
    expect(Object.keys(sb)).toEqual(Object.keys(sa));
    for (const [idx, stA] of Object.entries(sa)) {
      const stB = sb[idx] as Record<string, unknown>;
      expect(Object.keys(stB)).toEqual(Object.keys(stA));
      for (const [k, v] of Object.entries(stA)) {
        const w = stB[k];
        if (v instanceof Tensor && w instanceof Tensor) {
          const scalarState = ["mu_product", "eta", "mu"].includes(k);
          expect(w.dtype, `${idx}.${k} dtype`).toBe(scalarState ? (a[0] as Tensor).dtype : v.dtype);
        }
        expectExact(stateValues(w), stateValues(v), `${idx}.${k}`);
      }
    }
    const hyper = (o: Optimizer) =>
      o.paramGroups.map(({ params, ...rest }) => ({ ...rest, size: params.length }));
    expect(hyper(optB)).toEqual(hyper(optA));
  });

  test("the loaded optimizer owns its state (no storage shared with the dict)", () => {
    const { params: init, grads } = makeInputs(77, dtype, 3, SHAPES);
    const a = init.map((p) => p.clone().requiresGrad_());
    const optA = new (optimizerClass("Adam"))(a, { lr: 0.01 });
    stepAll(optA, a, grads[0] as Tensor[]);
    const sd = optA.stateDict();
    const optB = new (optimizerClass("Adam"))(
      a.map((p) => p.clone().detach().requiresGrad_()),
      {},
    );
    optB.loadStateDict(sd);
    const saved = (sd.state["0"] as Record<string, Tensor>).exp_avg as Tensor;
    const loaded = (optB.stateDict().state["0"] as Record<string, Tensor>).exp_avg as Tensor;
    expect(loaded).not.toBe(saved);
    expect(loaded.data).not.toBe(saved.data);
  });
});

test("LBFGS round trip mid-run (float64 Rosenbrock, strong Wolfe)", () => {
  const make = (start: number[]) => {
    const x = new Tensor(Float64Array.from(start), [start.length]).requiresGrad_();
    const closure = (): Tensor => {
      const v = x.toTypedArray();
      let f = 0;
      const g = new Float64Array(v.length);
      for (let i = 0; i + 1 < v.length; i++) {
        const a = 1 - (v[i] as number);
        const b = (v[i + 1] as number) - (v[i] as number) * (v[i] as number);
        f += a * a + 100 * b * b;
        g[i] = (g[i] as number) - 2 * a - 400 * (v[i] as number) * b;
        g[i + 1] = (g[i + 1] as number) + 200 * b;
      }
      x.grad = new Tensor(g, x.shape);
      return new Tensor(Float64Array.of(f), []);
    };
    return { x, closure };
  };
  const A = make([-1.2, 1, 0.5]);
  const optA = new LBFGS([A.x], { lineSearchFn: "strong_wolfe", historySize: 4, maxIter: 6 });
  optA.step(A.closure);
  optA.step(A.closure);
  const text = serialise(optA.stateDict());
  const B = make(Array.from(A.x.toTypedArray()));
  const optB = new LBFGS([B.x], { maxIter: 1 });
  optB.loadStateDict(deserialise(text));
  for (let k = 0; k < 3; k++) {
    expect(optB.step(B.closure).item()).toBe(optA.step(A.closure).item());
  }
  expectExact(B.x.toTypedArray(), A.x.toTypedArray(), "x");
  expect(serialise(optB.stateDict())).toBe(serialise(optA.stateDict()));
});

describe("state dicts written by torch 1.13", () => {
  const cases = fixture().legacy_state_dicts;
  test.each(cases.map((c) => [c.name, c] as const))(
    "%s loads and continues like current PyTorch",
    (_name, c) => {
      const params = c.params_at_save.map((e) => decodeTensor(e).requiresGrad_());
      const { grads } = makeInputs(c.seed, c.dtype, c.saved_after + c.continued, SHAPES);
      const opt = new (optimizerClass(c.optimizer))(params, camelOptions(c.kwargs));
      opt.loadStateDict(decodeStateDict(c.state_dict));
      if (c.optimizer === "AdamW") expect(opt.paramGroups[0]?.decoupledWeightDecay).toBe(true);
      for (let s = c.saved_after; s < c.saved_after + c.continued; s++)
        stepAll(opt, params, grads[s] as Tensor[]);
      const rtol = c.dtype === "float64" ? 1e-12 : 1e-5;
      c.params.forEach((e, i) => {
        const actual = (params[i] as Tensor).toTypedArray();
        expectExact(actual, decodeValues(e), `param ${i}`);
        expectClose(actual, decodeValues(e), { rtol });
      });
      const state = opt.stateDict().state;
      for (const [idx, want] of Object.entries(c.state)) {
        for (const [k, v] of Object.entries(want)) {
          expectExact(
            stateValues((state[idx] as Record<string, unknown>)[k]),
            stateValues(v),
            `state ${idx}.${k}`,
          );
        }
      }
      // A 1.13 step stored as a number (Adadelta, RMSprop, Rprop) is a 0-dim tensor after loading.
      for (const s of Object.values(state)) if ("step" in s) expect(s.step).toBeInstanceOf(Tensor);
    },
  );
});

import { afterEach, describe, expect, test, vi } from "vitest";
import { isGradEnabled, noGrad } from "../autograd/grad-mode.js";
import { Tensor } from "../tensor/tensor.js";
import { KeyError, ValueError } from "../util/errors.js";
import * as optim from "./index.js";
import { Adam, AdamW, ASGD, Adadelta, Adagrad, Adamax, NAdam, RAdam, RMSprop, Rprop, SGD } from "./index.js";
import type { Optimizer, ParamGroupInput } from "./optimizer.js";
import { DUPLICATE_PARAMS_WARNING } from "./warn.js";

function vec(values: number[], dtype: "float32" | "float64" = "float32"): Tensor {
  const data = dtype === "float32" ? Float32Array.from(values) : Float64Array.from(values);
  return new Tensor(data, [values.length]).requiresGrad_();
}

function grad(p: Tensor, values: number[]): void {
  p.grad = new Tensor(p.dtype === "float32" ? Float32Array.from(values) : Float64Array.from(values), p.shape);
}

type Ctor = new (params: Iterable<Tensor> | Iterable<ParamGroupInput>, options?: object) => Optimizer;
const ALL: Array<[string, Ctor]> = [
  ["SGD", SGD],
  ["Adam", Adam],
  ["AdamW", AdamW],
  ["Adagrad", Adagrad],
  ["RMSprop", RMSprop],
  ["Adadelta", Adadelta],
  ["Adamax", Adamax],
  ["NAdam", NAdam],
  ["RAdam", RAdam],
  ["ASGD", ASGD],
  ["Rprop", Rprop],
];

afterEach(() => vi.restoreAllMocks());

describe("construction (PyTorch's checks and messages)", () => {
  test.each(ALL)("%s: a single tensor instead of a list", (_name, cls) => {
    expect(() => new cls(vec([1]) as unknown as Tensor[])).toThrow(
      new TypeError(
        "params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor",
      ),
    );
  });

  test.each(ALL)("%s: an empty parameter list", (_name, cls) => {
    expect(() => new cls([])).toThrow(new ValueError("optimizer got an empty parameter list"));
  });

  test("a parameter that is not a tensor", () => {
    expect(() => new SGD([vec([1]), 1.5 as unknown as Tensor])).toThrow(
      new TypeError("optimizer can only optimize Tensors, but one of the params is float"),
    );
  });

  test("a non-leaf tensor, unless differentiable", () => {
    const w = vec([1, 2]);
    const y = w.mul(2);
    expect(() => new SGD([y])).toThrow(new ValueError("can't optimize a non-leaf Tensor"));
    expect(() => new SGD([y], { differentiable: true })).not.toThrow();
    y.retainGrad();
    expect(() => new SGD([y])).not.toThrow();
  });

  test("a Set inside a group is rejected, a Set of parameters is accepted", () => {
    const w = vec([1]);
    expect(() => new SGD([{ params: new Set([w]) }])).toThrow(
      new TypeError(
        "optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.",
      ),
    );
    expect(new SGD(new Set([w])).paramGroups[0]?.params).toEqual([w]);
  });

  test("a generator of parameters is consumed once", () => {
    const a = vec([1]);
    const b = vec([2]);
    function* gen() {
      yield a;
      yield b;
    }
    expect(new Adam(gen()).paramGroups[0]?.params).toEqual([a, b]);
  });

  test("a parameter in two groups is an error; twice in one group is a warning", () => {
    const w = vec([1]);
    expect(() => new SGD([{ params: [w] }, { params: w }])).toThrow(
      new ValueError("some parameters appear in more than one parameter group"),
    );
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    new SGD([w, w]);
    expect(spy).toHaveBeenCalledWith(DUPLICATE_PARAMS_WARNING, "UserWarning");
  });

  test("addParamGroup wants an object", () => {
    const opt = new SGD([vec([1])]);
    expect(() => opt.addParamGroup([vec([2])] as unknown as ParamGroupInput)).toThrow(
      new TypeError("param_group must be a dict, but got <class 'list'>"),
    );
    expect(() => opt.addParamGroup({} as ParamGroupInput)).toThrow(KeyError);
  });

  test("unknown options suggest the camelCase name, also for typos", () => {
    const w = vec([1]);
    expect(() => new SGD([w], { weight_decay: 0.1 } as object)).toThrow(
      new TypeError("unknown option weight_decay for SGD; did you mean weightDecay?"),
    );
    expect(() => new SGD([w], { momentm: 0.9 } as object)).toThrow(
      new TypeError("unknown option momentm for SGD; did you mean momentum?"),
    );
    expect(() => new Adam([w], { beta: [0.9, 0.99] } as object)).toThrow(
      new TypeError("unknown option beta for Adam; did you mean betas?"),
    );
    expect(() => new Adagrad([w], { initial_accumulator_value: 0.1 } as object)).toThrow(
      new TypeError(
        "unknown option initial_accumulator_value for Adagrad; did you mean initialAccumulatorValue?",
      ),
    );
    expect(() => new AdamW([w], { decoupledWeightDecay: true } as object)).toThrow(
      /unknown option decoupledWeightDecay for AdamW/,
    );
    expect(() => new SGD([w], { colour: 1 } as object)).toThrow(
      new TypeError(
        "unknown option colour for SGD; expected one of lr, momentum, dampening, weightDecay, nesterov, maximize, foreach, differentiable, fused, decoupledWeightDecay, decayScale, cautiousWeightDecay",
      ),
    );
  });

  test("misspelt hyperparameters in a group are errors; other keys are kept", () => {
    const w = vec([1]);
    expect(() => new SGD([{ params: [w], weight_decay: 0.1 }])).toThrow(
      new TypeError("unknown option weight_decay in parameter group 0 for SGD; did you mean weightDecay?"),
    );
    expect(() => new SGD([{ params: [w], lR: 0.1 }])).toThrow(/did you mean lr\?/);
    const opt = new SGD([{ params: [w], name: "encoder" }]);
    expect(opt.paramGroups[0]?.name).toBe("encoder");
  });

  test("options of the wrong type are TypeErrors", () => {
    const w = vec([1]);
    expect(() => new SGD([w], { lr: "0.1" } as object)).toThrow(TypeError);
    expect(() => new SGD([w], { nesterov: 1 } as object)).toThrow(TypeError);
    expect(() => new Adam([w], { betas: [0.9] } as object)).toThrow(TypeError);
    expect(() => new Adam([w], { lr: new Tensor(new Float32Array([1, 2]), [2]) } as object)).toThrow(
      new ValueError("Tensor lr must be 1-element"),
    );
  });
});

describe("parameter groups", () => {
  test("defaults are merged in PyTorch's key order after the user's keys", () => {
    const a = vec([1]);
    const b = vec([2]);
    const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.5, nesterov: false }], {
      lr: 0.1,
      momentum: 0.9,
    });
    expect(Object.keys(opt.paramGroups[0] as object)).toEqual([
      "params",
      "lr",
      "momentum",
      "dampening",
      "weightDecay",
      "nesterov",
      "maximize",
      "foreach",
      "differentiable",
      "fused",
    ]);
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.5, momentum: 0.9, nesterov: false });
    expect(Object.keys(opt.paramGroups[1] as object).slice(0, 3)).toEqual(["params", "lr", "nesterov"]);
  });

  test("groups do not share mutable option arrays", () => {
    const opt = new Adam([{ params: [vec([1])] }, { params: [vec([2])] }]);
    (opt.paramGroups[0]?.betas as number[])[0] = 0.5;
    expect(opt.paramGroups[1]?.betas).toEqual([0.9, 0.999]);
    expect(opt.defaults.betas).toEqual([0.9, 0.999]);
  });

  test("a group added later gets the defaults and is stepped", () => {
    const a = vec([1]);
    const b = vec([1]);
    const opt = new SGD([a], { lr: 0.1 });
    opt.addParamGroup({ params: [b], lr: 1 });
    grad(a, [1]);
    grad(b, [1]);
    opt.step();
    expect(a.item()).toBeCloseTo(0.9, 6);
    expect(b.item()).toBe(0);
  });

  test("per-group hyperparameters are read at every step (schedulers edit them)", () => {
    const w = vec([1]);
    const opt = new SGD([w], { lr: 0.1 });
    const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.5 });
    grad(w, [1]);
    opt.step();
    sched.step();
    expect(opt.paramGroups[0]?.lr).toBe(0.05);
    grad(w, [1]);
    opt.step();
    expect(w.item()).toBeCloseTo(1 - 0.1 - 0.05, 6);
    expect(sched.getLastLr()).toEqual([0.05]);
  });

  test("schedulers cycle Adam's beta1 and SGD's momentum", () => {
    const adam = new Adam([vec([1])], { lr: 0.1 });
    new optim.lrScheduler.OneCycleLR(adam, { maxLr: 0.1, totalSteps: 10 });
    expect((adam.paramGroups[0]?.betas as number[])[0]).toBe(0.95);
    const sgd = new SGD([vec([1])], { lr: 0.1, momentum: 0.9 });
    const cyclic = new optim.lrScheduler.CyclicLR(sgd, { baseLr: 0.01, maxLr: 0.1, maxMomentum: 0.93 });
    expect(sgd.paramGroups[0]?.momentum).toBe(0.93);
    sgd.step();
    cyclic.step();
    expect(sgd.paramGroups[0]?.momentum).toBeLessThan(0.93);
  });
});

describe("step, closure and zeroGrad", () => {
  test("step returns the closure's loss, evaluated first with gradients enabled", () => {
    const w = vec([2]);
    const opt = new SGD([w], { lr: 0.1 });
    let enabled: boolean | undefined;
    const out = noGrad(() =>
      opt.step(() => {
        enabled = isGradEnabled();
        opt.zeroGrad();
        const loss = w.mul(w).sum();
        loss.backward();
        return loss;
      }),
    );
    expect(enabled).toBe(true);
    expect(out?.item()).toBe(4);
    expect(w.item()).toBeCloseTo(2 - 0.1 * 4, 6);
    expect(opt.step()).toBeUndefined();
    expect(opt.stepCount).toBe(2);
  });

  test("step does not record autograd history and bumps the version counter", () => {
    const w = vec([1, 2]);
    const opt = new Adam([w]);
    grad(w, [1, 1]);
    const before = w._version.value;
    opt.step();
    expect(w.isLeaf).toBe(true);
    expect(w._version.value).toBe(before + 1);
  });

  test("zeroGrad sets gradients to null by default, or fills zeros", () => {
    const w = vec([1, 2]);
    const opt = new Adam([w], { weightDecay: 0.1 });
    grad(w, [1, 1]);
    opt.zeroGrad();
    expect(w.grad).toBeNull();
    opt.step();
    expect(opt.state.size).toBe(0);
    expect(Array.from(w.toTypedArray())).toEqual([1, 2]);

    grad(w, [1, 1]);
    opt.zeroGrad({ setToNone: false });
    expect(Array.from(w.grad!.toTypedArray())).toEqual([0, 0]);
    opt.step();
    // A zero gradient still steps: the state is created and weight decay moves the parameter.
    expect(opt.state.size).toBe(1);
    expect(w.toTypedArray()[0]).not.toBe(1);
  });

  test("a parameter without a gradient is skipped entirely", () => {
    const a = vec([1]);
    const b = vec([1]);
    const opt = new SGD([a, b], { lr: 0.1, momentum: 0.9 });
    grad(a, [1]);
    opt.step();
    expect(opt.state.has(a)).toBe(true);
    expect(opt.state.has(b)).toBe(false);
  });

  test("SGD keeps no state without momentum (current PyTorch)", () => {
    const w = vec([1]);
    const opt = new SGD([w], { lr: 0.1 });
    grad(w, [1]);
    opt.step();
    expect(opt.stateDict().state).toEqual({});
  });

  test.each(ALL)(
    "%s: strided parameters and gradients give the same bits as contiguous ones",
    (_name, cls) => {
      for (const dtype of ["float32", "float64"] as const) {
        const values = Array.from({ length: 12 }, (_, i) => Math.sin(i + 1));
        const grads = Array.from({ length: 12 }, (_, i) => Math.cos(3 * i));
        const make = (v: number[]) =>
          new Tensor(dtype === "float32" ? Float32Array.from(v) : Float64Array.from(v), [3, 4]);
        const base = make(values);
        const strided = base.t().requiresGrad_(); // shape [4, 3], a strided leaf view
        const dense = new Tensor(strided.toTypedArray(), [4, 3]).requiresGrad_();
        const optS = new cls([strided], { lr: 0.01 });
        const optD = new cls([dense], { lr: 0.01 });
        for (let s = 0; s < 3; s++) {
          const g = make(grads.map((x) => x * (s + 1))).t();
          strided.grad = g;
          dense.grad = new Tensor(g.toTypedArray(), [4, 3]);
          optS.step();
          optD.step();
        }
        expect(Array.from(strided.toTypedArray())).toEqual(Array.from(dense.toTypedArray()));
      }
    },
  );
});

describe("stateDict / loadStateDict", () => {
  test("PyTorch's layout: snake_case keys, params last, indices shared by duplicates", () => {
    const a = vec([1]);
    const b = vec([2]);
    const c = vec([3]);
    vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const opt = new Adam([{ params: [a, b, a] }, { params: [c], lr: 0.1 }], { weightDecay: 0.01 });
    for (const p of [a, b, c]) grad(p, [1]);
    opt.step();
    const sd = opt.stateDict();
    expect(sd.param_groups.map((g) => g.params)).toEqual([[0, 1, 0], [3]]);
    expect(Object.keys(sd.param_groups[0] as object)).toEqual([
      "lr",
      "betas",
      "eps",
      "weight_decay",
      "amsgrad",
      "maximize",
      "foreach",
      "capturable",
      "differentiable",
      "fused",
      "decoupled_weight_decay",
      "params",
    ]);
    expect(Object.keys(sd.state)).toEqual(["0", "1", "3"]);
    expect(Object.keys(sd.state["0"] as object)).toEqual(["step", "exp_avg", "exp_avg_sq"]);
    const step = (sd.state["0"] as Record<string, Tensor>).step as Tensor;
    expect(step.dtype).toBe("float32");
    expect(step.shape).toEqual([]);
    // As in PyTorch, a tensor listed twice is updated twice per step (hence the warning).
    expect(step.item()).toBe(2);
    expect(((sd.state["1"] as Record<string, Tensor>).step as Tensor).item()).toBe(1);
  });

  test("scheduler keys round-trip as snake_case (initial_lr)", () => {
    const opt = new SGD([vec([1])], { lr: 0.1 });
    new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.9 });
    const sd = opt.stateDict();
    expect(sd.param_groups[0]?.initial_lr).toBe(0.1);
    const fresh = new SGD([vec([1])]);
    fresh.loadStateDict(sd);
    expect(fresh.paramGroups[0]?.initialLr).toBe(0.1);
  });

  test("PyTorch's validation of group count and sizes", () => {
    const opt = new SGD([vec([1]), vec([2])], { lr: 0.1 });
    const sd = opt.stateDict();
    expect(() => new SGD([{ params: [vec([1])] }, { params: [vec([2])] }]).loadStateDict(sd)).toThrow(
      new ValueError("loaded state dict has a different number of parameter groups"),
    );
    expect(() => new SGD([vec([1])]).loadStateDict(sd)).toThrow(
      new ValueError(
        "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
      ),
    );
    expect(() =>
      new SGD([vec([1]), vec([2])]).loadStateDict({ state: { 7: {} }, param_groups: sd.param_groups }),
    ).toThrow(ValueError);
    const missing = { state: {}, param_groups: [{ params: [0, 1], momentum: 0 }] };
    expect(() => new SGD([vec([1]), vec([2])]).loadStateDict(missing as never)).toThrow(KeyError);
  });

  test("flags older versions did not save get their defaults; AdamW stays decoupled", () => {
    const w = vec([1]);
    const old = {
      state: {},
      param_groups: [
        { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.1, amsgrad: false, params: [0] },
      ],
    };
    const adam = new Adam([w]);
    adam.loadStateDict(old);
    expect(adam.paramGroups[0]).toMatchObject({
      maximize: false,
      foreach: null,
      decoupledWeightDecay: false,
      lr: 0.01,
    });
    const adamw = new AdamW([w]);
    adamw.loadStateDict(old);
    expect(adamw.paramGroups[0]?.decoupledWeightDecay).toBe(true);
    // Adam loading an AdamW state dict inherits decoupled weight decay from the saved group.
    const fromW = new Adam([w]);
    fromW.loadStateDict(new AdamW([vec([1])]).stateDict());
    expect(fromW.paramGroups[0]?.decoupledWeightDecay).toBe(true);
  });

  test("a numeric step from an old checkpoint becomes a 0-dim tensor; tensors take the param dtype", () => {
    const w = vec([1, 2], "float64");
    const opt = new Adam([w]);
    opt.loadStateDict({
      state: {
        0: {
          step: 3,
          exp_avg: new Tensor(Float32Array.of(0.1, 0.2), [2]),
          exp_avg_sq: new Tensor(Float32Array.of(1, 2), [2]),
        },
      },
      param_groups: [{ ...new Adam([vec([1])]).stateDict().param_groups[0], params: [0] }],
    });
    const st = opt.state.get(w)!;
    expect(st.step).toBeInstanceOf(Tensor);
    expect((st.step as Tensor).item()).toBe(3);
    expect((st.exp_avg as Tensor).dtype).toBe("float64");
    grad(w, [1, 1]);
    opt.step();
    expect((st.step as Tensor).item()).toBe(4);
  });

  test("toString is PyTorch's repr", () => {
    const opt = new Adam([vec([1])], { lr: 0.01 });
    expect(String(opt)).toBe(
      [
        "Adam (",
        "Parameter Group 0",
        "    amsgrad: False",
        "    betas: (0.9, 0.999)",
        "    capturable: False",
        "    decoupled_weight_decay: False",
        "    differentiable: False",
        "    eps: 1e-08",
        "    foreach: None",
        "    fused: None",
        "    lr: 0.01",
        "    maximize: False",
        "    weight_decay: 0",
        ")",
      ].join("\n"),
    );
  });
});

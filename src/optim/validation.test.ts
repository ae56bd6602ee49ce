import { describe, expect, test } from "vitest";
import { Tensor } from "../tensor/tensor.js";
import { RuntimeError, ValueError } from "../util/errors.js";
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  ASGD,
  LBFGS,
  NAdam,
  RAdam,
  RMSprop,
  Rprop,
  SGD,
} from "./index.js";

const w = () => new Tensor(Float32Array.of(1, 2), [2]).requiresGrad_();

/** [description, constructor call, error class, PyTorch's message]. */
const CASES: Array<[string, () => unknown, typeof ValueError | typeof RuntimeError, string]> = [
  // SGD: `lr < 0.0`-style checks (NaN passes), nesterov rules.
  ["SGD lr", () => new SGD([w()], { lr: -0.1 }), ValueError, "Invalid learning rate: -0.1"],
  [
    "SGD momentum",
    () => new SGD([w()], { lr: 1e-2, momentum: -0.5 }),
    ValueError,
    "Invalid momentum value: -0.5",
  ],
  [
    "SGD weight decay",
    () => new SGD([w()], { weightDecay: -1e-5 }),
    ValueError,
    "Invalid weight_decay value: -1e-05",
  ],
  [
    "SGD nesterov without momentum",
    () => new SGD([w()], { nesterov: true }),
    ValueError,
    "Nesterov momentum requires a momentum and zero dampening",
  ],
  [
    "SGD nesterov with dampening",
    () => new SGD([w()], { nesterov: true, momentum: 0.9, dampening: 0.1 }),
    ValueError,
    "Nesterov momentum requires a momentum and zero dampening",
  ],
  [
    "SGD fused+foreach",
    () => new SGD([w()], { fused: true, foreach: true }),
    RuntimeError,
    "`fused` and `foreach` cannot be `True` together.",
  ],
  [
    "SGD fused+differentiable",
    () => new SGD([w()], { fused: true, differentiable: true }),
    RuntimeError,
    "`fused` does not support `differentiable`",
  ],
  // Adam / AdamW: `not 0.0 <= x`-style checks (NaN fails).
  ["Adam lr NaN", () => new Adam([w()], { lr: NaN }), ValueError, "Invalid learning rate: nan"],
  ["Adam eps", () => new Adam([w()], { eps: -1e-8 }), ValueError, "Invalid epsilon value: -1e-08"],
  [
    "Adam beta0",
    () => new Adam([w()], { lr: 1e-2, betas: [1.0, 0.0] }),
    ValueError,
    "Invalid beta parameter at index 0: 1",
  ],
  [
    "Adam beta1",
    () => new Adam([w()], { betas: [0.9, 1.5] }),
    ValueError,
    "Invalid beta parameter at index 1: 1.5",
  ],
  [
    "Adam weight decay",
    () => new Adam([w()], { lr: 1e-2, weightDecay: -1 }),
    ValueError,
    "Invalid weight_decay value: -1",
  ],
  [
    "AdamW beta0",
    () => new AdamW([w()], { betas: [1.0, 0.0] }),
    ValueError,
    "Invalid beta parameter at index 0: 1",
  ],
  [
    "AdamW weight decay",
    () => new AdamW([w()], { weightDecay: -0.5 }),
    ValueError,
    "Invalid weight_decay value: -0.5",
  ],
  [
    "Adam fused+foreach",
    () => new Adam([w()], { fused: true, foreach: true }),
    RuntimeError,
    "`fused` and `foreach` cannot be `True` together.",
  ],
  [
    "Adam tensor lr with foreach",
    () => new Adam([w()], { lr: new Tensor(Float32Array.of(0.001), []) as unknown as number, foreach: true }),
    ValueError,
    "lr as a Tensor is not supported for capturable=False and foreach=True",
  ],
  [
    "Adamax beta1",
    () => new Adamax([w()], { lr: 1e-2, betas: [0.0, 1.0] }),
    ValueError,
    "Invalid beta parameter at index 1: 1",
  ],
  ["Adamax eps", () => new Adamax([w()], { eps: -1 }), ValueError, "Invalid epsilon value: -1"],
  [
    "NAdam beta0",
    () => new NAdam([w()], { lr: 1e-2, betas: [1.0, 0.0] }),
    ValueError,
    "Invalid beta parameter at index 0: 1",
  ],
  [
    "NAdam momentum decay",
    () => new NAdam([w()], { lr: 1e-2, momentumDecay: -0.2 }),
    ValueError,
    "Invalid momentum_decay value: -0.2",
  ],
  [
    "RAdam beta0",
    () => new RAdam([w()], { lr: 1e-2, betas: [1.0, 0.0] }),
    ValueError,
    "Invalid beta parameter at index 0: 1",
  ],
  [
    "RAdam weight decay",
    () => new RAdam([w()], { lr: 1e-2, weightDecay: -1 }),
    ValueError,
    "Invalid weight_decay value: -1",
  ],
  [
    "Adagrad lr decay",
    () => new Adagrad([w()], { lr: 1e-2, lrDecay: -0.5 }),
    ValueError,
    "Invalid lr_decay value: -0.5",
  ],
  [
    "Adagrad initial accumulator",
    () => new Adagrad([w()], { initialAccumulatorValue: -0.1 }),
    ValueError,
    "Invalid initial_accumulator_value value: -0.1",
  ],
  ["Adagrad eps", () => new Adagrad([w()], { eps: -1e-10 }), ValueError, "Invalid epsilon value: -1e-10"],
  ["Adadelta rho", () => new Adadelta([w()], { lr: 1e-2, rho: 1.1 }), ValueError, "Invalid rho value: 1.1"],
  ["Adadelta lr", () => new Adadelta([w()], { lr: -1 }), ValueError, "Invalid learning rate: -1"],
  [
    "RMSprop momentum",
    () => new RMSprop([w()], { lr: 1e-2, momentum: -1.0 }),
    ValueError,
    "Invalid momentum value: -1",
  ],
  ["RMSprop alpha", () => new RMSprop([w()], { alpha: -0.1 }), ValueError, "Invalid alpha value: -0.1"],
  [
    "ASGD weight decay",
    () => new ASGD([w()], { lr: 1e-2, weightDecay: -0.5 }),
    ValueError,
    "Invalid weight_decay value: -0.5",
  ],
  ["ASGD lambd", () => new ASGD([w()], { lr: 1e-2, lambd: -0.5 }), ValueError, "Invalid lambd value: -0.5"],
  ["ASGD alpha", () => new ASGD([w()], { lr: 1e-2, alpha: -0.5 }), ValueError, "Invalid alpha value: -0.5"],
  [
    "Rprop etas",
    () => new Rprop([w()], { lr: 1e-2, etas: [1.0, 0.5] }),
    ValueError,
    "Invalid eta values: 1, 0.5",
  ],
  [
    "Rprop etas boundary",
    () => new Rprop([w()], { etas: [0.5, 1.0] }),
    ValueError,
    "Invalid eta values: 0.5, 1",
  ],
  ["LBFGS lr", () => new LBFGS([w()], { lr: -1 }), ValueError, "Invalid learning rate: -1"],
  [
    "LBFGS groups",
    () => new LBFGS([{ params: [w()] }, { params: [w()] }]),
    ValueError,
    "LBFGS doesn't support per-parameter options (parameter groups)",
  ],
];

describe("hyperparameter validation with PyTorch's messages", () => {
  test.each(CASES)("%s", (_name, make, cls, message) => {
    let error: unknown;
    try {
      make();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(cls);
    expect((error as Error).message).toBe(message);
  });

  test("boundary values that PyTorch accepts", () => {
    expect(() => new SGD([w()], { lr: 0 })).not.toThrow();
    expect(() => new SGD([w()], { lr: NaN, momentum: NaN })).not.toThrow(); // `lr < 0.0` is false for NaN
    expect(() => new Adadelta([w()], { rho: 1 })).not.toThrow();
    expect(() => new Adadelta([w()], { rho: 0 })).not.toThrow();
    expect(() => new Adam([w()], { betas: [0, 0.99] })).not.toThrow(); // JS cannot tell 0 from 0.0
    expect(() => new RMSprop([w()], { alpha: 1.5 })).not.toThrow(); // only a lower bound
    expect(() => new ASGD([w()], { t0: -5 })).not.toThrow(); // t0 is not validated
    expect(() => new SGD([w()], { dampening: -1 })).not.toThrow(); // dampening is not validated
    expect(() => new Adam([w()], { fused: true })).not.toThrow();
  });
});

describe("defaults (current PyTorch)", () => {
  test("learning rates and decay defaults", () => {
    const lr = (o: { paramGroups: Array<{ lr: number }> }) => o.paramGroups[0]?.lr;
    expect(lr(new SGD([w()]))).toBe(1e-3);
    expect(lr(new Adam([w()]))).toBe(1e-3);
    expect(lr(new Adamax([w()]))).toBe(2e-3);
    expect(lr(new NAdam([w()]))).toBe(2e-3);
    expect(lr(new Adagrad([w()]))).toBe(1e-2);
    expect(lr(new Adadelta([w()]))).toBe(1);
    expect(lr(new LBFGS([w()]))).toBe(1);
    expect(new AdamW([w()]).paramGroups[0]).toMatchObject({ weightDecay: 1e-2, decoupledWeightDecay: true });
    expect(new LBFGS([w()], { maxIter: 7 }).paramGroups[0]?.maxEval).toBe(8); // 7 * 5 // 4
    expect(new LBFGS([w()]).paramGroups[0]?.maxEval).toBe(25);
  });

  test.each([
    [
      () => new SGD([w()]),
      "lr momentum dampening weight_decay nesterov maximize foreach differentiable fused",
    ],
    [
      () => new Adam([w()]),
      "lr betas eps weight_decay amsgrad maximize foreach capturable differentiable fused decoupled_weight_decay",
    ],
    [
      () => new AdamW([w()]),
      "lr betas eps weight_decay amsgrad maximize foreach capturable differentiable fused decoupled_weight_decay",
    ],
    [() => new Adamax([w()]), "lr betas eps weight_decay foreach maximize differentiable capturable"],
    [
      () => new NAdam([w()]),
      "lr betas eps weight_decay momentum_decay decoupled_weight_decay maximize foreach capturable differentiable",
    ],
    [
      () => new RAdam([w()]),
      "lr betas eps weight_decay maximize foreach capturable decoupled_weight_decay differentiable",
    ],
    [
      () => new Adagrad([w()]),
      "lr lr_decay eps weight_decay initial_accumulator_value foreach maximize differentiable fused",
    ],
    [() => new Adadelta([w()]), "lr rho eps weight_decay maximize capturable foreach differentiable"],
    [
      () => new RMSprop([w()]),
      "lr momentum alpha eps centered weight_decay capturable foreach maximize differentiable",
    ],
    [() => new ASGD([w()]), "lr lambd alpha t0 weight_decay foreach maximize differentiable capturable"],
    [() => new Rprop([w()]), "lr etas step_sizes foreach maximize differentiable capturable"],
    [
      () => new LBFGS([w()]),
      "lr max_iter max_eval tolerance_grad tolerance_change history_size line_search_fn",
    ],
  ])("state-dict key order of %#", (make, keys) => {
    const group = make().stateDict().param_groups[0] as Record<string, unknown>;
    expect(Object.keys(group).join(" ")).toBe(`${keys} params`);
  });

  test("Adagrad creates its state at construction, from the constructor's accumulator value", () => {
    const a = w();
    const b = w();
    const opt = new Adagrad([{ params: [a] }, { params: [b], initialAccumulatorValue: 0.5 }], {
      initialAccumulatorValue: 0.1,
    });
    const sum = (p: Tensor) => Array.from((opt.state.get(p)!.sum as Tensor).toTypedArray());
    expect(sum(a)).toEqual([Math.fround(0.1), Math.fround(0.1)]);
    expect(sum(b)).toEqual([Math.fround(0.1), Math.fround(0.1)]); // the group's value is ignored, as in PyTorch
    const c = w();
    opt.addParamGroup({ params: [c] });
    expect(opt.state.has(c)).toBe(false); // created lazily at its first step (current PyTorch)
    c.grad = new Tensor(Float32Array.of(1, 1), [2]);
    opt.step();
    expect((opt.state.get(c)!.step as Tensor).item()).toBe(1);
  });
});

describe("LBFGS specifics", () => {
  test("step needs a closure; an unknown line search fails when it is reached", () => {
    const x = w();
    const closure = () => {
      x.grad = new Tensor(Float32Array.of(1, 1), [2]);
      return new Tensor(Float32Array.of(1), []);
    };
    expect(() => new LBFGS([x]).step()).toThrow(TypeError);
    expect(() => new LBFGS([x], { lineSearchFn: "backtracking" as "strong_wolfe" }).step(closure)).toThrow(
      new RuntimeError("only 'strong_wolfe' is supported"),
    );
  });

  test("a gradient already below toleranceGrad returns at once with the closure's loss", () => {
    const x = w();
    const loss = new Tensor(Float32Array.of(3), []);
    const opt = new LBFGS([x]);
    const out = opt.step(() => {
      x.grad = new Tensor(new Float32Array(2), [2]);
      return loss;
    });
    expect(out).toBe(loss);
    expect(opt.state.get(x)).toEqual({ func_evals: 1, n_iter: 0 });
  });

  test("a second group added later is refused at step", () => {
    const opt = new LBFGS([w()]);
    opt.addParamGroup({ params: [w()] });
    expect(() => opt.step(() => 0)).toThrow(new RuntimeError("Expected exactly one param_group, but got 2"));
  });
});

import { describe, expect, it } from "vitest";
import { tensor, zeros } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";
import { deepcopy } from "./deepcopy.js";
import { Module } from "./module.js";
import { BatchNorm1d } from "./modules/batchnorm.js";
import { Sequential } from "./modules/container.js";
import { Linear } from "./modules/linear.js";
import { Parameter } from "./parameter.js";

const f32 = (v: number[]): Tensor => tensor(v, { dtype: "float32" });

class Net extends Module {
  fc1 = new Linear(3, 4);
  alpha = new Parameter(f32([1]));
  fc2 = new Linear(4, 2);
  constructor() {
    super();
    this.registerBuffer("step_count", zeros([1]));
    this.registerBuffer("scratch", zeros([2]), false);
  }
  override forward(x: Tensor): Tensor {
    return this.fc2.forward(this.fc1.forward(x).mul(this.alpha));
  }
}

describe("Module registration", () => {
  it("discovers Parameter and Module fields in definition order, buffers by registration", () => {
    const net = new Net();
    expect(net.namedParameters().map(([k]) => k)).toEqual([
      "alpha",
      "fc1.weight",
      "fc1.bias",
      "fc2.weight",
      "fc2.bias",
    ]);
    expect(net.namedBuffers().map(([k]) => k)).toEqual(["step_count", "scratch"]);
    expect(Object.keys(net.stateDict())).toEqual([
      "alpha",
      "step_count",
      "fc1.weight",
      "fc1.bias",
      "fc2.weight",
      "fc2.bias",
    ]);
    expect(net.namedChildren().map(([k]) => k)).toEqual(["fc1", "fc2"]);
  });

  it("follows field reassignment and deletion", () => {
    const net = new Net();
    const replacement = new Linear(3, 4, { bias: false });
    net.fc1 = replacement;
    expect(net.getSubmodule("fc1")).toBe(replacement);
    expect(net.namedParameters().map(([k]) => k)).toEqual(["alpha", "fc1.weight", "fc2.weight", "fc2.bias"]);
    delete (net as Partial<Net>).fc2;
    expect(net.namedChildren().map(([k]) => k)).toEqual(["fc1"]);
  });

  it("rejects assigning a plain tensor where a parameter is registered, with PyTorch's message", () => {
    const net = new Net();
    (net as unknown as { alpha: Tensor }).alpha = f32([2]);
    expect(() => net.parameters()).toThrow(
      "cannot assign 'torch.FloatTensor' as parameter 'alpha' (torch.nn.Parameter or None expected)",
    );
  });

  it("validates names and values as PyTorch does", () => {
    const m = new Module();
    expect(() => m.registerParameter("a.b", null)).toThrow('parameter name can\'t contain "."');
    expect(() => m.registerParameter("", null)).toThrow('parameter name can\'t be empty string ""');
    expect(() => m.registerParameter("w", f32([1]) as Parameter)).toThrow(
      "cannot assign 'torch.FloatTensor' object to parameter 'w' (torch.nn.Parameter or None required)",
    );
    expect(() => m.registerBuffer("x.y", null)).toThrow('buffer name can\'t contain "."');
    expect(() => m.registerModule("x.y", new Module())).toThrow('module name can\'t contain ".", got: x.y');
    expect(() => m.registerModule("m", 3 as unknown as Module)).toThrow("int is not a Module subclass");
    expect(() => m.registerBuffer("train", null)).toThrow("attribute 'train' already exists");
    const leafless = f32([1]).requiresGrad_().mul(2);
    expect(() => m.registerParameter("p", leafless as unknown as Parameter)).toThrow(
      "cannot assign 'torch.FloatTensor' object to parameter 'p'",
    );
  });

  it("reads and replaces buffers through their names, also on deep copies", () => {
    const net = new Net();
    const view = net as unknown as { step_count: Tensor };
    expect(view.step_count).toBe(net.getBuffer("step_count"));
    const t = zeros([1]).fill_(3);
    view.step_count = t;
    expect(net.getBuffer("step_count")).toBe(t);
    const copy = deepcopy(net) as unknown as { step_count: Tensor };
    expect(copy.step_count).not.toBe(t);
    expect(copy.step_count.item()).toBe(3);
  });

  it("exposes explicitly registered parameters and modules as fields", () => {
    const m = new Module();
    const p = new Parameter(f32([1, 2]));
    m.registerParameter("w", p);
    m.registerModule("head", new Linear(2, 1));
    expect((m as unknown as { w: Parameter }).w).toBe(p);
    expect(m.namedParameters().map(([k]) => k)).toEqual(["w", "head.weight", "head.bias"]);
  });

  it("lists shared modules and parameters once, but keeps both names in the state dict", () => {
    const shared = new Linear(2, 2);
    const seq = new Sequential(shared, shared);
    expect(seq.parameters().length).toBe(2);
    expect(seq.namedModules().map(([k]) => k)).toEqual(["", "0"]);
    expect(seq.namedModules({ removeDuplicate: false }).map(([k]) => k)).toEqual(["", "0", "1"]);
    expect(Object.keys(seq.stateDict())).toEqual(["0.weight", "0.bias", "1.weight", "1.bias"]);
  });

  it("forward must be defined", () => {
    expect(() => new Module().forward()).toThrow(
      'Module [Module] is missing the required "forward" function',
    );
  });
});

describe("Module behaviour", () => {
  it("train/eval propagate and check their argument", () => {
    const net = new Sequential(new Linear(2, 2), new BatchNorm1d(2));
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
    expect(() => net.train("yes" as unknown as boolean)).toThrow("training mode is expected to be boolean");
  });

  it("zeroGrad sets gradients to null or zeros them in place", () => {
    const net = new Net();
    net
      .forward(f32([1, 2, 3]))
      .sum()
      .backward();
    const g = net.fc1.weight.grad!;
    net.zeroGrad({ setToNone: false });
    expect(net.fc1.weight.grad).toBe(g);
    expect(Array.from(g.toTypedArray()).every((v) => v === 0)).toBe(true);
    net.zeroGrad();
    expect(net.fc1.weight.grad).toBeNull();
  });

  it("apply visits children first, then the module", () => {
    const order: string[] = [];
    new Net().apply((m) => order.push(m.constructor.name));
    expect(order).toEqual(["Linear", "Linear", "Net"]);
  });

  it("getSubmodule and getParameter follow dotted paths", () => {
    const seq = new Sequential(new Net());
    expect(seq.getParameter("0.fc2.bias")).toBe((seq.at(0) as Net).fc2.bias);
    expect(() => seq.getSubmodule("0.fc3")).toThrow("Net has no attribute `fc3`");
  });

  it("requiresGrad_ freezes and unfreezes every parameter", () => {
    const net = new Net();
    net.requiresGrad_(false);
    expect(net.parameters().some((p) => p.requiresGrad)).toBe(false);
    net.requiresGrad_();
    expect(net.parameters().every((p) => p.requiresGrad)).toBe(true);
  });

  it("stateDict tensors are detached views; keepVars returns the parameters", () => {
    const net = new Net();
    const sd = net.stateDict();
    expect(sd.alpha).not.toBe(net.alpha);
    expect(sd.alpha!.requiresGrad).toBe(false);
    expect(sd.alpha!.data).toBe(net.alpha.data);
    expect(net.stateDict({ keepVars: true }).alpha).toBe(net.alpha);
  });

  it("deepcopy gives independent parameters of the same class", () => {
    const net = new Net();
    const copy = deepcopy(net);
    expect(copy).toBeInstanceOf(Net);
    expect(copy.fc1.weight).not.toBe(net.fc1.weight);
    expect(Array.from(copy.fc1.weight.toTypedArray())).toEqual(Array.from(net.fc1.weight.toTypedArray()));
    copy.fc1.weight.data[0] = 123;
    expect(net.fc1.weight.data[0]).not.toBe(123);
    expect(copy.namedParameters().map(([k]) => k)).toEqual(net.namedParameters().map(([k]) => k));
    expect(copy.parameters().every((p) => p instanceof Parameter && p.requiresGrad)).toBe(true);
  });

  it("Parameter shares the wrapped storage and prints like PyTorch", () => {
    const t = f32([1.5]);
    const p = new Parameter(t);
    expect(p.data).toBe(t.data);
    expect(p.isLeaf).toBe(true);
    expect(String(p)).toBe("Parameter containing:\ntensor([1.5000], requires_grad=True)");
    expect(new Parameter(t, false).requiresGrad).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { tensor } from "../../tensor/creation.js";
import type { Module } from "../module.js";
import { ReLU, Tanh } from "./activation.js";
import { ModuleDict, ModuleList, Sequential } from "./container.js";
import { Identity, Linear } from "./linear.js";

describe("Sequential", () => {
  it("names children by position or by the keys of a record, and runs them in order", () => {
    const seq = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
    expect(seq.namedChildren().map(([k]) => k)).toEqual(["0", "1", "2"]);
    expect(seq.length).toBe(3);
    expect(seq.at(-1)).toBe(seq.at(2));
    expect(() => seq.at(3)).toThrow("index 3 is out of range");
    expect(seq.forward(tensor([[1, 2]], { dtype: "float32" })).shape).toEqual([1, 1]);
    const named = new Sequential({ fc: new Linear(2, 2), act: new Tanh() });
    expect(Object.keys(named.stateDict())).toEqual(["fc.weight", "fc.bias"]);
    seq.append(new Identity());
    expect(seq.namedChildren().map(([k]) => k)).toEqual(["0", "1", "2", "3"]);
    expect([...seq].length).toBe(4);
    expect(() => new Sequential(3 as unknown as Module)).toThrow(
      "Sequential entries must be Modules, got Number",
    );
  });

  it("prints like PyTorch", () => {
    expect(String(new Sequential(new Linear(2, 3), new ReLU()))).toBe(
      "Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): ReLU()\n)",
    );
  });
});

describe("ModuleList", () => {
  it("appends, inserts, replaces and pops with renumbering", () => {
    const a = new Linear(1, 1);
    const b = new Linear(1, 2);
    const c = new Linear(2, 1);
    const list = new ModuleList<Module>([a, c]);
    list.insert(1, b);
    expect([...list]).toEqual([a, b, c]);
    expect(Object.keys(list.stateDict())).toEqual([
      "0.weight",
      "0.bias",
      "1.weight",
      "1.bias",
      "2.weight",
      "2.bias",
    ]);
    expect(list.pop(0)).toBe(a);
    expect(list.namedChildren().map(([k, m]) => [k, m])).toEqual([
      ["0", b],
      ["1", c],
    ]);
    list.set(-1, a);
    expect(list.at(1)).toBe(a);
    list.extend([new Identity(), new Identity()]);
    expect(list.length).toBe(4);
  });
});

describe("ModuleDict", () => {
  it("keeps insertion order, replaces in place and refuses names that shadow methods", () => {
    const d = new ModuleDict<Module>({ b: new Linear(1, 1), a: new Linear(1, 1) });
    expect(d.keys()).toEqual(["b", "a"]);
    const repl = new Identity();
    d.set("b", repl);
    expect(d.keys()).toEqual(["b", "a"]);
    expect(d.get("b")).toBe(repl);
    expect(d.has("a")).toBe(true);
    expect(d.pop("a")).toBeInstanceOf(Linear);
    expect(d.keys()).toEqual(["b"]);
    expect(() => d.pop("zz")).toThrow("'zz'");
    expect(() => d.set("keys", new Identity())).toThrow("attribute 'keys' already exists");
    expect([...d]).toEqual(["b"]);
  });
});

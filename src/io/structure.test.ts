import { describe, expect, it } from "vitest";
import { tensor } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";
import { RuntimeError } from "../util/errors.js";
import { flatten, unflatten, type EntryLookup } from "./structure.js";

function lookupOf(entries: ReturnType<typeof flatten>["entries"]): EntryLookup {
  const m = new Map(entries.map((e) => [e.name, e.value]));
  return {
    tensor: (n) => m.get(n) as Tensor,
    typedArray: (n) => m.get(n) as Uint8Array,
  };
}

describe("flatten / unflatten", () => {
  it("names tensors by their dotted path and keeps everything else as JSON", () => {
    const w = tensor([1, 2]);
    const value = {
      state: { 0: { step: 3, exp_avg: w } },
      param_groups: [{ lr: 0.1, params: [0], nesterov: false, foreach: null }],
    };
    const { skeleton, entries } = flatten(value);
    expect(entries.map((e) => e.name)).toEqual(["state.0.exp_avg"]);
    expect(skeleton).toEqual({
      state: { 0: { step: 3, exp_avg: { $tensor: "state.0.exp_avg" } } },
      param_groups: [{ lr: 0.1, params: [0], nesterov: false, foreach: null }],
    });
    expect(unflatten(JSON.parse(JSON.stringify(skeleton)), lookupOf(entries), "f")).toEqual(value);
  });

  it("keeps values JSON cannot hold and keys that look like markers", () => {
    const value = {
      specials: [NaN, Infinity, -Infinity, -0, 0],
      big: 2n ** 64n + 1n,
      missing: undefined,
      $tensor: "not a tensor",
      $$x: 1,
      ["__proto__"]: { a: 1 },
      bytes: Uint8Array.from([1, 2]),
    };
    Object.defineProperty(value, "__proto__", { value: { a: 1 }, enumerable: true });
    const { skeleton, entries } = flatten(value);
    const back = unflatten(JSON.parse(JSON.stringify(skeleton)), lookupOf(entries), "f") as typeof value;
    expect(Object.is(back.specials[3], -0)).toBe(true);
    expect(back.specials.slice(0, 3)).toEqual([NaN, Infinity, -Infinity]);
    expect(back.big).toBe(2n ** 64n + 1n);
    expect("missing" in back && back.missing === undefined).toBe(true);
    expect(back.$tensor).toBe("not a tensor");
    expect(back.$$x).toBe(1);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(back, "__proto__")?.value).toEqual({ a: 1 });
    expect(back.bytes).toEqual(Uint8Array.from([1, 2]));
  });

  it("gives colliding paths distinct names and names a root tensor", () => {
    const { entries } = flatten({ "a.b": tensor([1]), a: { b: tensor([2]) }, __metadata__: tensor([3]) });
    expect(entries.map((e) => e.name)).toEqual(["a.b", "a.b#2", "__metadata__#2"]);
    expect(flatten(tensor([1])).entries[0]!.name).toBe("tensor");
  });

  it("refuses what it cannot store, naming the path", () => {
    expect(() => flatten({ a: { b: new Map() } })).toThrow('io.save: cannot store a Map at "a.b"');
    expect(() => flatten({ f: () => 1 })).toThrow('cannot store a function at "f"');
    expect(() => flatten([Symbol("s")])).toThrow('cannot store a symbol at "0"');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => flatten(cyclic)).toThrow('circular reference at "self"');
    const shared = { x: 1 };
    expect(() => flatten({ a: shared, b: shared })).not.toThrow();
  });

  it("reports malformed skeletons", () => {
    const l = lookupOf([]);
    expect(() => unflatten({ $what: 1 }, l, "f.st")).toThrow(RuntimeError);
    expect(() => unflatten({ $what: 1 }, l, "f.st")).toThrow(
      "f.st: the tsgrad structure in __metadata__ is malformed: unknown marker $what",
    );
    expect(() => unflatten({ $number: "x" }, l, "f")).toThrow('unknown $number "x"');
    expect(() => unflatten({ $tensor: 3 }, l, "f")).toThrow("$tensor must name an entry");
    expect(() => unflatten({ $bigint: "1.5" }, l, "f")).toThrow("bad $bigint");
    expect(() => unflatten({ a: 1, $b: 2 }, l, "f")).toThrow('unescaped key "$b"');
  });
});

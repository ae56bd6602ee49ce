import { describe, expect, test } from "vitest";
import { Tensor } from "../tensor/tensor.js";
import { suggestName as suggestOption } from "../util/options.js";
import { checkGroupKey, pyTypeName, resolveOptions } from "./options.js";

describe("option bags", () => {
  test("suggestions: same letters first, then near typos, else none", () => {
    const known = ["lr", "momentum", "weightDecay", "nesterov", "betas"];
    expect(suggestOption("weight_decay", known)).toBe("weightDecay");
    expect(suggestOption("WEIGHT_DECAY", known)).toBe("weightDecay");
    expect(suggestOption("momentun", known)).toBe("momentum");
    expect(suggestOption("nestrov", known)).toBe("nesterov");
    expect(suggestOption("temperature", known)).toBeUndefined();
  });

  test("resolveOptions keeps the defaults' order and ignores undefined values", () => {
    const out = resolveOptions("X", { a: 1, b: 2, c: 3 }, { c: 30, a: undefined });
    expect(Object.entries(out)).toEqual([
      ["a", 1],
      ["b", 2],
      ["c", 30],
    ]);
    expect(() => resolveOptions("X", { a: 1 }, 5)).toThrow(
      new TypeError("X options must be an object, got number"),
    );
  });

  test("group keys: misspellings of hyperparameters are errors, other keys pass", () => {
    const known = ["lr", "weightDecay", "betas"];
    expect(() => checkGroupKey("Adam", 1, "weight_decay", known)).toThrow(
      new TypeError("unknown option weight_decay in parameter group 1 for Adam; did you mean weightDecay?"),
    );
    expect(() => checkGroupKey("Adam", 0, "beta", known)).toThrow(/did you mean betas/);
    expect(() => checkGroupKey("Adam", 0, "name", known)).not.toThrow();
    expect(() => checkGroupKey("Adam", 0, "initialLr", known)).not.toThrow();
  });

  test("Python type names for messages", () => {
    expect(pyTypeName(1)).toBe("int");
    expect(pyTypeName(1.5)).toBe("float");
    expect(pyTypeName("a")).toBe("str");
    expect(pyTypeName(null)).toBe("NoneType");
    expect(pyTypeName([1])).toBe("list");
    expect(pyTypeName({})).toBe("dict");
    expect(pyTypeName(new Tensor(new Float32Array(1), [1]))).toBe("Tensor");
  });
});

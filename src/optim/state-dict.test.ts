import { describe, expect, test } from "vitest";
import { Tensor } from "../tensor/tensor.js";
import { castStateValue, copyTensor, isPlainObject, toCamelCase, toSnakeCase } from "./state-dict.js";

describe("state-dict helpers", () => {
  test("camelCase and snake_case names convert both ways", () => {
    const names = [
      ["weightDecay", "weight_decay"],
      ["decoupledWeightDecay", "decoupled_weight_decay"],
      ["initialAccumulatorValue", "initial_accumulator_value"],
      ["lrDecay", "lr_decay"],
      ["t0", "t0"],
      ["maxEval", "max_eval"],
      ["lineSearchFn", "line_search_fn"],
      ["initialLr", "initial_lr"],
      ["maxMomentum", "max_momentum"],
      ["lr", "lr"],
    ];
    for (const [camel, snake] of names) {
      expect(toSnakeCase(camel as string)).toBe(snake);
      expect(toCamelCase(snake as string)).toBe(camel);
    }
  });

  test("castStateValue copies, converts to the parameter dtype, and keeps step's dtype", () => {
    const p = new Tensor(new Float64Array(2), [2]);
    const step = new Tensor(Float32Array.of(3), []);
    const buf = new Tensor(Float32Array.of(0.1, 0.2), [2]);
    const out = castStateValue(p, "", { step, exp_avg: buf, list: [buf], n: 5, none: null }) as Record<
      string,
      unknown
    >;
    expect((out.step as Tensor).dtype).toBe("float32");
    expect(out.step).not.toBe(step);
    expect((out.exp_avg as Tensor).dtype).toBe("float64");
    expect(Array.from((out.exp_avg as Tensor).toTypedArray())).toEqual([Math.fround(0.1), Math.fround(0.2)]);
    expect(((out.list as Tensor[])[0] as Tensor).dtype).toBe("float64");
    expect(out.n).toBe(5);
    expect(out.none).toBeNull();
  });

  test("copyTensor makes dense copies of strided tensors", () => {
    const t = new Tensor(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]).t();
    const c = copyTensor(t);
    expect(c.isContiguous()).toBe(true);
    expect(Array.from(c.toTypedArray())).toEqual([1, 4, 2, 5, 3, 6]);
  });

  test("isPlainObject tells records from class instances", () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainObject(new Tensor(new Float32Array(1), [1]))).toBe(false);
  });
});

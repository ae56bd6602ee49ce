import { describe, expect, it } from "vitest";
import { tensor } from "../tensor/creation.js";
import { Tensor } from "../tensor/tensor.js";
import { IndexError, KeyError, RuntimeError } from "../util/errors.js";
import { defaultCollate, defaultConvert } from "./collate.js";

describe("defaultCollate", () => {
  it("stacks tensors along a new first dim", () => {
    const out = defaultCollate([tensor([1, 2]), tensor([3, 4])]);
    expect(out.shape).toEqual([2, 2]);
    expect(out.tolist()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it("turns integers into int32 (PyTorch's int64), other numbers into float64, booleans into bool", () => {
    const ints = defaultCollate([1, 2, 3]);
    expect(ints.dtype).toBe("int32");
    const floats = defaultCollate([0.5, 2]);
    expect(floats.dtype).toBe("float64");
    expect(floats.tolist()).toEqual([0.5, 2]);
    expect(defaultCollate([3e9, 1]).dtype).toBe("float64");
    expect(defaultCollate([true, false]).dtype).toBe("bool");
  });

  it("collates tuples column by column and objects key by key", () => {
    const [x, y, name] = defaultCollate([
      [tensor([1, 2]), 0, "a"] as [Tensor, number, string],
      [tensor([3, 4]), 1, "b"] as [Tensor, number, string],
    ]);
    expect(x.shape).toEqual([2, 2]);
    expect(y.tolist()).toEqual([0, 1]);
    expect(name).toEqual(["a", "b"]);
    const obj = defaultCollate([
      { a: 1, b: { c: 0.5 } },
      { a: 2, b: { c: 1.5 } },
    ]);
    expect(obj.a.tolist()).toEqual([1, 2]);
    expect(obj.b.c.dtype).toBe("float64");
  });

  it("turns typed arrays into tensors (bytes as int32)", () => {
    const out = defaultCollate([new Float32Array([1, 2]), new Float32Array([3, 4])]);
    expect(out.dtype).toBe("float32");
    expect(out.shape).toEqual([2, 2]);
    expect(defaultCollate([new Uint8Array([255]), new Uint8Array([1])]).tolist()).toEqual([[255], [1]]);
  });

  it("raises PyTorch's errors", () => {
    expect(() => defaultCollate([[1, 2], [3]])).toThrow(
      new RuntimeError("each element in list of batch should be of equal size"),
    );
    expect(() => defaultCollate([null])).toThrow(
      "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found <class 'NoneType'>",
    );
    expect(() => defaultCollate([new Map()])).toThrow("found <class 'Map'>");
    expect(() => defaultCollate([{ a: 1 }, { b: 2 }])).toThrow(KeyError);
    expect(() => defaultCollate([])).toThrow(IndexError);
    expect(() => defaultCollate([tensor([1]), tensor([1, 2])])).toThrow(
      "stack expects each tensor to be equal size",
    );
  });
});

describe("defaultConvert", () => {
  it("turns typed arrays into tensors and leaves the rest", () => {
    const out = defaultConvert({ x: new Float64Array([1, 2]), y: 3, z: ["s", new Int32Array([4])] });
    expect(out.x).toBeInstanceOf(Tensor);
    expect((out.x as unknown as Tensor).dtype).toBe("float64");
    expect(out.y).toBe(3);
    expect((out.z[1] as unknown as Tensor).tolist()).toEqual([4]);
  });
});

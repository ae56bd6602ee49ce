import { describe, expect, it } from "vitest";
import { tensor } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";
import { rawToTensor, rawToTypedArray, rawValues, tensorToRaw, typedArrayToRaw } from "./convert.js";
import type { RawTensor } from "./safetensors.js";

function raw(dtype: RawTensor["dtype"], shape: number[], bytes: number[] | Uint8Array): RawTensor {
  return { name: "t", dtype, shape, bytes: Uint8Array.from(bytes) };
}

describe("tensor ↔ safetensors entry", () => {
  it("round-trips every dtype, int32 through I64", () => {
    const cases: Tensor[] = [
      tensor(
        [
          [1.5, -2],
          [Math.fround(0.1), 3],
        ],
        { dtype: "float32" },
      ),
      tensor([0.1, -0, NaN, Infinity, 5e-324], { dtype: "float64" }),
      tensor([0, -1, 2147483647, -2147483648], { dtype: "int32" }),
      tensor([true, false, true]),
      tensor(2.5, { dtype: "float64" }),
    ];
    for (const t of cases) {
      const r = tensorToRaw("t", t);
      const back = rawToTensor(r, "x");
      expect(back.dtype).toBe(t.dtype);
      expect(back.shape).toEqual(t.shape);
      expect(Array.from(back.toTypedArray())).toEqual(Array.from(t.toTypedArray()));
    }
    const i64 = tensorToRaw("t", tensor([-1, 5], { dtype: "int32" }));
    expect(i64.dtype).toBe("I64");
    expect(Array.from(new BigInt64Array(i64.bytes.slice().buffer))).toEqual([-1n, 5n]);
  });

  it("writes views as their values, row-major", () => {
    const t = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: "float32" },
    ).t();
    expect(Array.from(new Float32Array(tensorToRaw("t", t).bytes.slice().buffer))).toEqual([1, 3, 2, 4]);
  });

  it("reads the other dtypes PyTorch writes", () => {
    expect(Array.from(rawValues(raw("F16", [3], [0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00]), "x"))).toEqual([
      1,
      -2,
      2 ** -24,
    ]);
    expect(Array.from(rawValues(raw("F16", [2], [0x00, 0x7c, 0x01, 0x7c]), "x"))).toEqual([Infinity, NaN]);
    expect(Array.from(rawValues(raw("BF16", [2], [0x80, 0x3f, 0xc0, 0xbf]), "x"))).toEqual([1, -1.5]);
    expect(Array.from(rawValues(raw("I8", [2], [0xff, 0x7f]), "x"))).toEqual([-1, 127]);
    expect(Array.from(rawValues(raw("U8", [1], [0xff]), "x"))).toEqual([255]);
    expect(Array.from(rawValues(raw("I16", [1], [0x00, 0x80]), "x"))).toEqual([-32768]);
    expect(Array.from(rawValues(raw("U16", [1], [0xff, 0xff]), "x"))).toEqual([65535]);
    expect(Array.from(rawValues(raw("I32", [1], [0xff, 0xff, 0xff, 0xff]), "x"))).toEqual([-1]);
    expect(Array.from(rawValues(raw("U64", [1], [5, 0, 0, 0, 0, 0, 0, 0]), "x"))).toEqual([5]);
    expect(Array.from(rawValues(raw("BOOL", [2], [0, 2]), "x"))).toEqual([0, 1]);
    expect(rawToTensor(raw("F16", [1], [0, 0x3c]), "x").dtype).toBe("float32");
  });

  it("refuses integers outside int32, naming file, tensor and element", () => {
    const big = raw("I64", [2], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0]);
    expect(() => rawValues(big, "m.safetensors")).toThrow(
      'm.safetensors: tensor "t" (I64) holds 2147483648 at element 1, outside the int32 range',
    );
    expect(() => rawValues(raw("U32", [1], [0, 0, 0, 0x80]), "x")).toThrow("holds 2147483648 at element 0");
    expect(() => rawValues(raw("U64", [1], [0, 0, 0, 0, 1, 0, 0, 0]), "x")).toThrow("holds 4294967296");
  });

  it("round-trips typed arrays in their own dtype", () => {
    for (const a of [
      Uint8Array.from([1, 255]),
      Int32Array.from([-3]),
      Float32Array.from([0.5]),
      Float64Array.from([0.1]),
    ]) {
      const back = rawToTypedArray(typedArrayToRaw("a", a), "x");
      expect(back.constructor).toBe(a.constructor);
      expect(Array.from(back)).toEqual(Array.from(a));
    }
    expect(() => rawToTypedArray(raw("U8", [1, 1], [1]), "x")).toThrow("must be 1-D");
    expect(() => rawToTypedArray(raw("BOOL", [1], [1]), "x")).toThrow("expected U8, I32, F32 or F64");
  });
});

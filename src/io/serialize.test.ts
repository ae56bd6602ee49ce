import { describe, expect, it } from "vitest";
import { tensor } from "../tensor/creation.js";
import { Tensor } from "../tensor/tensor.js";
import { RuntimeError } from "../util/errors.js";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.js";
import { deserialize, deserializeTensors, serialize, serializeTensors } from "./serialize.js";

function same(a: unknown, b: unknown): void {
  if (a instanceof Tensor) {
    expect(b).toBeInstanceOf(Tensor);
    const t = b as Tensor;
    expect([t.dtype, t.shape]).toEqual([a.dtype, a.shape]);
    expect(Array.from(t.toTypedArray())).toEqual(Array.from(a.toTypedArray()));
    return;
  }
  if (Array.isArray(a)) {
    expect(Array.isArray(b)).toBe(true);
    expect((b as unknown[]).length).toBe(a.length);
    a.forEach((x, i) => same(x, (b as unknown[])[i]));
    return;
  }
  if (a !== null && typeof a === "object" && !ArrayBuffer.isView(a)) {
    expect(Object.keys(b as object)).toEqual(Object.keys(a));
    for (const k of Object.keys(a))
      same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
    return;
  }
  expect(b).toEqual(a);
}

describe("serialize / deserialize", () => {
  it("round-trips a checkpoint-like object exactly", () => {
    const value = {
      model: {
        "fc1.weight": tensor([[0.1, 0.2]], { dtype: "float32" }),
        "bn.num_batches_tracked": tensor(7),
      },
      optimizer: {
        state: {
          0: { step: tensor(3, { dtype: "float32" }), exp_avg: tensor([1e-300, -0], { dtype: "float64" }) },
        },
        param_groups: [
          { lr: 1e-3, betas: [0.9, 0.999], amsgrad: false, maximize: false, foreach: null, params: [0] },
        ],
      },
      scheduler: { best: Infinity, last_epoch: -1, _last_lr: [NaN] },
      rng: Uint8Array.from([1, 2, 3]),
      mask: tensor([true, false]),
      seed: 2n ** 63n,
      note: "épreuve ✓",
    };
    const bytes = serialize(value);
    same(value, deserialize(bytes));
    // Every tensor is a safetensors entry named by its path; int32 became I64.
    const dec = decodeSafetensors(bytes);
    expect(Object.fromEntries(dec.tensors.map((t) => [t.name, t.dtype]))).toEqual({
      "model.fc1.weight": "F32",
      "model.bn.num_batches_tracked": "I64",
      "optimizer.state.0.step": "F32",
      "optimizer.state.0.exp_avg": "F64",
      rng: "U8",
      mask: "BOOL",
    });
    expect(dec.metadata?.format).toBe("pt");
    // Deterministic bytes.
    expect(serialize(value)).toEqual(bytes);
  });

  it("loads a foreign safetensors file as a name → tensor object", () => {
    const bytes = encodeSafetensors([
      { name: "0.weight", dtype: "F32", shape: [1], bytes: new Uint8Array(4) },
    ]);
    const out = deserialize(bytes) as Record<string, Tensor>;
    expect(Object.keys(out)).toEqual(["0.weight"]);
    expect(out["0.weight"]!.dtype).toBe("float32");
  });

  it("reports a structure that does not match the file", () => {
    const withStructure = (structure: string, names: string[] = []) =>
      encodeSafetensors(
        names.map((name) => ({ name, dtype: "U8", shape: [0], bytes: new Uint8Array(0) })),
        { tsgrad: structure },
      );
    expect(() => deserialize(withStructure("{"), "c.st")).toThrow(
      "c.st: __metadata__.tsgrad is not valid JSON",
    );
    expect(() => deserialize(withStructure('{"version":2,"value":1}'), "c.st")).toThrow(
      "c.st: __metadata__.tsgrad has structure version 2; this tsgrad reads version 1",
    );
    expect(() => deserialize(withStructure('{"version":1,"value":{"$tensor":"w"}}'), "c.st")).toThrow(
      'c.st: the tsgrad structure refers to tensor "w", which the file does not contain',
    );
    expect(() => deserialize(withStructure('{"version":1,"value":3}', ["extra"]), "c.st")).toThrow(
      'the file holds tensors its tsgrad structure does not mention ("extra")',
    );
    expect(() => deserialize(withStructure('{"version":1,"value":3}', ["extra"]))).toThrow(RuntimeError);
    expect(deserialize(withStructure('{"version":1,"value":[1,{"$$a":2}]}'))).toEqual([1, { $a: 2 }]);
  });

  it("saves plain tensor maps as PyTorch's save_file would", () => {
    const bytes = serializeTensors({
      b: tensor([1], { dtype: "float32" }),
      a: tensor([2], { dtype: "int32" }),
    });
    const dec = decodeSafetensors(bytes);
    expect(dec.metadata).toEqual({ format: "pt" });
    expect(dec.tensors.map((t) => [t.name, t.dtype])).toEqual([
      ["a", "I64"],
      ["b", "F32"],
    ]);
    const back = deserializeTensors(bytes);
    expect(back.a!.dtype).toBe("int32");
    expect(back.b!.tolist()).toEqual([1]);
    expect(decodeSafetensors(serializeTensors({}, { metadata: { x: "y" } })).metadata).toEqual({ x: "y" });
    expect(() => serializeTensors({ a: 1 } as never)).toThrow('saveTensors: "a" is not a Tensor');
    expect(() => serializeTensors(tensor([1]) as never)).toThrow(TypeError);
    expect(() => serializeTensors({}, { meta: {} } as never)).toThrow("did you mean metadata?");
  });
});

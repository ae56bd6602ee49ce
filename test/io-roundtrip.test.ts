import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { decodeSafetensors, load, serializeTensors } from "../src/io/index.js";
import { tensor } from "../src/tensor/creation.js";
import type { Tensor } from "../src/tensor/tensor.js";
import { noGrad } from "../src/autograd/grad-mode.js";
import {
  Net,
  TSGRAD_MODEL_FILE,
  tsgradModel,
  tsgradModelBytes,
} from "../scripts/fixtures/io-write-tsgrad.js";
import { decodeValues, loadFixture, type EncodedTensor } from "./helpers/fixtures.js";
import { expectClose, expectExact, maxRelativeError } from "./helpers/close.js";

interface Fixture {
  torchFile: string;
  keys: string[];
  dtypes: Record<string, string>;
  input: EncodedTensor;
  ids: number[];
  torchOutputs: EncodedTensor;
  torchOutputs64: EncodedTensor;
  state: Record<string, EncodedTensor>;
  tsgradFile: {
    path: string;
    bytes: number;
    metadataFormat: string;
    structureVersion: number;
    dtypes: Record<string, string>;
    state: Record<string, EncodedTensor>;
    torchOutputs: EncodedTensor;
    torchOutputs64: EncodedTensor;
  };
}

const fx = loadFixture<Fixture>("io-roundtrip");
const root = fileURLToPath(new URL("../", import.meta.url));
const torchFile = root + fx.torchFile;
const x = tensor(decodeValues(fx.input), { dtype: "float32", shape: fx.input.shape });
const ids = tensor(fx.ids, { dtype: "int32" });

// float32 forward passes: tsgrad and PyTorch sum convolutions, matmuls and norms in different
// orders, so outputs agree to a few float32 ulps, not bit for bit.
const F32_RTOL = 2e-6;
const F32_ATOL = 1e-6;

// In float64 the same weights give outputs equal to rounding error.
const F64_RTOL = 1e-14;
const F64_ATOL = 1e-15;

function forward(model: Net): Float32Array {
  return noGrad(() => model.forward(x, ids)).toTypedArray() as Float32Array;
}

function forward64(model: Net): Float64Array {
  return noGrad(() => model.double().forward(x.double(), ids)).toTypedArray() as Float64Array;
}

describe("a PyTorch state dict saved as safetensors loads into tsgrad", () => {
  const state = load(torchFile) as Record<string, Tensor>;

  it("has PyTorch's keys, with int64 buffers as int32 and the exact values", () => {
    expect(Object.keys(state).sort()).toEqual([...fx.keys].sort());
    for (const key of fx.keys) {
      const t = state[key]!;
      const expected = fx.state[key]!;
      expect(t.dtype, key).toBe(expected.dtype);
      expect(t.shape, key).toEqual(expected.shape);
      expectExact(t.toTypedArray(), decodeValues(expected), key);
    }
    expect(fx.dtypes["bn.num_batches_tracked"]).toBe("I64");
  });

  it("gives PyTorch's outputs in a tsgrad model", () => {
    const model = new Net();
    model.loadStateDict(state);
    model.eval();
    const out = forward(model);
    expect(maxRelativeError(out, decodeValues(fx.torchOutputs))).toBeLessThan(1e-5);
    expectClose(out, decodeValues(fx.torchOutputs), { rtol: F32_RTOL, atol: F32_ATOL, label: "outputs" });
    expectClose(forward64(model), decodeValues(fx.torchOutputs64), {
      rtol: F64_RTOL,
      atol: F64_ATOL,
      label: "float64 outputs",
    });
  });

  it("is written back by tsgrad byte for byte (same canonical layout as the Python writer)", () => {
    const bytes = serializeTensors(state);
    expect(Buffer.from(bytes).equals(readFileSync(torchFile))).toBe(true);
  });
});

describe("a tsgrad state dict saved with io.save loads into PyTorch", () => {
  it("is still the committed file, byte for byte", () => {
    const committed = readFileSync(TSGRAD_MODEL_FILE);
    expect(committed.length).toBe(fx.tsgradFile.bytes);
    expect(Buffer.from(tsgradModelBytes()).equals(committed)).toBe(true);
    const { metadata } = decodeSafetensors(new Uint8Array(committed));
    expect(metadata?.format).toBe(fx.tsgradFile.metadataFormat);
    expect(JSON.parse(metadata!.tsgrad!).version).toBe(fx.tsgradFile.structureVersion);
  });

  it("holds what PyTorch read from it: tsgrad's state dict, int32 as int64", () => {
    const sd = tsgradModel().stateDict();
    expect(Object.keys(fx.tsgradFile.state).sort()).toEqual(Object.keys(sd).sort());
    for (const [key, t] of Object.entries(sd)) {
      expectExact(t.toTypedArray(), decodeValues(fx.tsgradFile.state[key]!), key);
    }
    expect(fx.tsgradFile.dtypes["bn.num_batches_tracked"]).toBe("I64");
    expect(sd["bn.num_batches_tracked"]!.item()).toBe(2);
  });

  it("gives tsgrad's outputs in PyTorch", () => {
    const model = tsgradModel();
    const out = forward(model);
    expectClose(out, decodeValues(fx.tsgradFile.torchOutputs), {
      rtol: F32_RTOL,
      atol: F32_ATOL,
      label: "outputs",
    });
    expectClose(forward64(tsgradModel()), decodeValues(fx.tsgradFile.torchOutputs64), {
      rtol: F64_RTOL,
      atol: F64_ATOL,
      label: "float64 outputs",
    });
    // Loading the file back into a fresh tsgrad model reproduces the model exactly.
    const again = new Net();
    again.loadStateDict(load(TSGRAD_MODEL_FILE) as Record<string, Tensor>);
    again.eval();
    expectExact(forward(again), out, "reloaded outputs");
  });
});

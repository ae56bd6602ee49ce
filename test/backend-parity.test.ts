/**
 * The PyTorch parity cases that go through `backend().gemm` (matmul / mm / bmm / dot from
 * test/fixtures/ops.json; conv1d / conv2d / linear from test/fixtures/nn-ops.json), forward and
 * backward, on every backend: pure JS, WebAssembly on one thread, and WebAssembly on two threads
 * with every product split across them. (`npm run test:wasm` runs the whole suite on the
 * WebAssembly backend; this file keeps the backend-dependent cases in the default run.)
 *
 * float64: each backend's results must be bit-identical to the JS backend's (the WebAssembly
 * kernels accumulate in the same order), and within 1e-12 of each tensor's scale of PyTorch's.
 * float32: the rule of test/ops.test.ts: with r the same case recomputed in float64 from the same
 * inputs, |a − e| ≤ 2·|e − r| + 2⁻²¹·max(|r|, ‖r‖∞) per element against PyTorch's e.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend, jsBackend, setBackend, type Backend } from "../src/backend/backend.js";
import { gemmTuning } from "../src/backend/wasm/gemm.js";
import { createWasmBackend, type WasmBackend } from "../src/backend/wasm/index.js";
import * as F from "../src/nn/functional/index.js";
import * as tg from "../src/index.js";
import type { Tensor, TensorLike } from "../src/index.js";
import { decodeNumber, decodeValues, loadFixture, type EncodedTensor } from "./helpers/fixtures.js";
import { OPS, buildInputs, decodeTensor, type OpCase } from "./helpers/op-cases.js";

interface NnCase {
  name: string;
  op: string;
  dtype: "float32" | "float64";
  inputs: Record<string, EncodedTensor>;
  requiresGrad: string[];
  options: Record<string, unknown>;
  outputs: EncodedTensor[];
  gouts: Array<EncodedTensor | null>;
  grads: Record<string, EncodedTensor>;
}

/** A case reduced to: run it (optionally in float64) and get [out, ...grads] with their expectations. */
interface Runnable {
  name: string;
  dtype: string;
  run(upcast: boolean): Array<Tensor | null>;
  expected: Array<EncodedTensor | null>;
}

const ops = loadFixture<{ cases: OpCase[] }>("ops").cases.filter(
  (c) => c.family === "matmul" && ["float32", "float64"].includes((c.out as EncodedTensor).dtype),
);
const nn = loadFixture<{ cases: NnCase[] }>("nn-ops").cases.filter((c) =>
  ["conv1d", "conv2d", "linear"].includes(c.op),
);

const upcastEnc = (e: EncodedTensor, upcast: boolean): EncodedTensor =>
  upcast && e.dtype === "float32" ? { ...e, dtype: "float64" } : e;

const CASES: Runnable[] = [
  ...ops.map((c): Runnable => ({
    name: c.name,
    dtype: (c.out as EncodedTensor).dtype,
    expected: [c.out as EncodedTensor, ...(c.grads ?? [])],
    run(upcast) {
      const { leaves, operands } = buildInputs(c, upcast);
      const out = OPS[c.op]!(operands as TensorLike[], c.args) as Tensor;
      if (c.grads && c.gout) out.backward(decodeTensor(upcastEnc(c.gout as EncodedTensor, upcast)));
      return [out, ...(c.grads ?? []).map((_, i) => leaves[i]?.grad ?? null)];
    },
  })),
  ...nn.map((c): Runnable => ({
    name: c.name,
    dtype: c.dtype,
    expected: [c.outputs[0]!, ...c.requiresGrad.map((k) => c.grads[k] ?? null)],
    run(upcast) {
      const t: Record<string, Tensor> = {};
      for (const [k, e] of Object.entries(c.inputs)) {
        const enc = upcastEnc(e, upcast);
        const values = Float64Array.from(enc.data.map((v) => decodeNumber(v)));
        t[k] = tg.tensor(enc.dtype === "float32" ? Float32Array.from(values) : values, {
          shape: enc.shape,
          dtype: enc.dtype,
          requiresGrad: c.requiresGrad.includes(k),
        });
      }
      const o = c.options;
      const out =
        c.op === "linear"
          ? F.linear(t.input!, t.weight!, t.bias)
          : (c.op === "conv1d" ? F.conv1d : F.conv2d)(t.input!, t.weight!, t.bias, o);
      const gout = c.gouts[0];
      if (gout) out.backward(decodeTensor(upcastEnc(gout, upcast)));
      return [out, ...c.requiresGrad.map((k) => t[k]!.grad)];
    },
  })),
];

function maxAbs(xs: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < xs.length; i++) {
    const v = Math.abs(xs[i] as number);
    if (Number.isFinite(v) && v > m) m = v;
  }
  return m;
}

/** The comparison of the file header; returns a failure message or null. */
function check(
  what: string,
  dtype: string,
  got: Tensor | null,
  expected: EncodedTensor | null,
  viaJs: Tensor | null,
  ref: Tensor | null,
): string | null {
  if (expected === null) return null;
  if (got === null) return `${what}: missing`;
  const a = got.toTypedArray() as ArrayLike<number>;
  const e = decodeValues(expected);
  if (a.length !== e.length) return `${what}: ${a.length} elements, expected ${e.length}`;
  if (dtype === "float64") {
    const j = (viaJs as Tensor).toTypedArray() as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) {
      if (!Object.is(a[i], j[i])) return `${what}[${i}]: ${a[i]} differs from the JS backend's ${j[i]}`;
    }
    const scale = maxAbs(e);
    for (let i = 0; i < a.length; i++) {
      const err = Math.abs((a[i] as number) - (e[i] as number));
      if (!(err <= 1e-12 * Math.max(Math.abs(e[i] as number), scale)) && !Object.is(a[i], e[i])) {
        return `${what}[${i}]: ${a[i]} vs PyTorch ${e[i]}`;
      }
    }
    return null;
  }
  const r = (ref as Tensor).toTypedArray() as ArrayLike<number>;
  const rScale = maxAbs(r);
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = e[i] as number;
    if (!Number.isFinite(y) || !Number.isFinite(x)) {
      if (!Object.is(x, y) && !(Number.isNaN(x) && Number.isNaN(y))) return `${what}[${i}]: ${x} vs ${y}`;
      continue;
    }
    const ri = r[i] as number;
    const tol = 2 * Math.abs(y - ri) + 2 ** -21 * Math.max(Math.abs(ri), rScale);
    if (!(Math.abs(x - y) <= tol))
      return `${what}[${i}]: ${x} vs PyTorch ${y} (reference ${ri}, tolerance ${tol})`;
  }
  return null;
}

let wasm1: WasmBackend;
let wasm2: WasmBackend;
const savedMinFlops = gemmTuning.parallelMinFlops;

beforeAll(async () => {
  wasm1 = await createWasmBackend({ threads: 1 });
  wasm2 = await createWasmBackend({ threads: 2 });
});

afterAll(async () => {
  setBackend(jsBackend);
  gemmTuning.parallelMinFlops = savedMinFlops;
  await wasm1.dispose();
  await wasm2.dispose();
});

function withBackend<R>(b: Backend, split: boolean, fn: () => R): R {
  const saved = backend();
  const flops = gemmTuning.parallelMinFlops;
  setBackend(b);
  if (split) gemmTuning.parallelMinFlops = 0;
  try {
    return fn();
  } finally {
    setBackend(saved);
    gemmTuning.parallelMinFlops = flops;
  }
}

const BACKENDS: Array<{ label: string; get: () => Backend; split: boolean }> = [
  { label: "js", get: () => jsBackend, split: false },
  { label: "wasm, 1 thread", get: () => wasm1, split: false },
  { label: "wasm, 2 threads, every product split", get: () => wasm2, split: true },
];

describe.each(BACKENDS)("gemm-backed PyTorch parity on $label", ({ get, split }) => {
  it("has the cases", () => {
    expect(ops.length).toBeGreaterThan(40);
    expect(nn.length).toBeGreaterThan(20);
  });
  for (const c of CASES) {
    it(c.name, () => {
      const got = withBackend(get(), split, () => c.run(false));
      const viaJs = c.dtype === "float64" ? withBackend(jsBackend, false, () => c.run(false)) : [];
      const ref = c.dtype === "float32" ? withBackend(jsBackend, false, () => c.run(true)) : [];
      const failures = c.expected
        .map((e, i) =>
          check(
            i === 0 ? "out" : `grad${i - 1}`,
            c.dtype,
            got[i] ?? null,
            e,
            viaJs[i] ?? null,
            ref[i] ?? null,
          ),
        )
        .filter((f) => f !== null);
      expect(failures).toEqual([]);
    });
  }
});

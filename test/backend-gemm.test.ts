/**
 * Backend conformance for `gemm`: every backend (pure JS, WebAssembly on one thread, WebAssembly
 * on two threads with every product split) against the JS reference, over every transpose layout,
 * padded and element-strided operands, broadcast (zero-stride) rows and batches, views that skip
 * most of their storage, scattered output offsets, ragged sizes around the kernels' block sizes,
 * k = 0, and NaN/Inf propagation.
 *
 * float64: the WebAssembly kernels accumulate in the JS reference's order (same K blocks, one
 * running sum per output within a block), so results must be bit-identical.
 * float32: the kernels accumulate in float32 like a BLAS, so each element is held to the classic
 * dot-product error bound |ŝ − s| ≤ γ_k · Σ|a_p·b_p| with γ_k = k·u / (1 − k·u), u = 2⁻²⁴,
 * against the exact-enough float64 product of the same float32 inputs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsBackend, type Backend } from "../src/backend/backend.js";
import { gemmJs, type GemmArgs } from "../src/backend/js/gemm.js";
import type { FloatBuffer } from "../src/backend/layout.js";
import { gemmTuning, partitionGemm } from "../src/backend/wasm/gemm.js";
import { createWasmBackend, type WasmBackend } from "../src/backend/wasm/index.js";

/** mulberry32: a tiny seeded generator, so every run sees the same operands. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
type Layout = "row" | "col" | "padded" | "strided" | "sparse" | "broadcastRows";

interface Operand {
  data: FloatBuffer;
  offsets: number[];
  rs: number;
  cs: number;
}

/** A batch of rows×cols matrices in the given storage layout, filled with values in [-1, 1). */
function operand(
  C: Ctor,
  rows: number,
  cols: number,
  layout: Layout,
  batches: number,
  broadcastBatch: boolean,
  rand: () => number,
  spread = false,
): Operand {
  let rs: number;
  let cs: number;
  let extent: number;
  switch (layout) {
    case "row":
      [rs, cs, extent] = [cols, 1, rows * cols];
      break;
    case "col":
      [rs, cs, extent] = [1, rows, rows * cols];
      break;
    case "padded":
      [rs, cs, extent] = [cols + 3, 1, rows * (cols + 3)];
      break;
    case "strided":
      [rs, cs, extent] = [2 * cols * 2 + 1, 2, rows * (4 * cols + 1)];
      break;
    case "sparse": // a narrow view of a wide matrix: the storage span dwarfs the data
      [rs, cs, extent] = [cols * 2000 + 7, 1, rows * (cols * 2000 + 7)];
      break;
    case "broadcastRows": // expand() of one row: row stride 0
      [rs, cs, extent] = [0, 1, cols];
      break;
  }
  const distinct = broadcastBatch ? 1 : batches;
  const gap = spread ? 20011 : 5; // far-apart batches need one copy per matrix
  const data = new C(distinct * (extent + gap) + 11);
  for (let i = 0; i < data.length; i++) data[i] = rand() * 2 - 1;
  const offsets = Array.from({ length: batches }, (_, b) => (broadcastBatch ? 0 : b) * (extent + gap) + 11);
  return { data, offsets, rs, cs };
}

interface Case {
  m: number;
  n: number;
  k: number;
  batches: number;
  aLayout: Layout;
  bLayout: Layout;
  broadcastA?: boolean;
  broadcastB?: boolean;
  scatterOut?: boolean;
  spreadBatches?: boolean;
}

function build(C: Ctor, c: Case, seed: number): { args: GemmArgs; outLength: number } {
  const rand = rng(seed);
  const a = operand(C, c.m, c.k, c.aLayout, c.batches, !!c.broadcastA, rand, c.spreadBatches);
  const b = operand(C, c.k, c.n, c.bLayout, c.batches, !!c.broadcastB, rand, c.spreadBatches);
  const mn = c.m * c.n;
  const outOffsets = Array.from({ length: c.batches }, (_, i) =>
    c.scatterOut ? (c.batches - 1 - i) * (mn + 3) + 2 : i * mn,
  );
  const outLength = c.scatterOut ? c.batches * (mn + 3) + 2 : c.batches * mn;
  const args: GemmArgs = {
    m: c.m,
    n: c.n,
    k: c.k,
    a: a.data,
    aOffsets: a.offsets,
    aRowStride: a.rs,
    aColStride: a.cs,
    b: b.data,
    bOffsets: b.offsets,
    bRowStride: b.rs,
    bColStride: b.cs,
    out: new C(outLength).fill(NaN),
    outOffsets,
  };
  return { args, outLength };
}

/** Σ|a_p·b_p| per output element, in float64. */
function absProducts(args: GemmArgs): Float64Array {
  const { m, n, k } = args;
  const out = new Float64Array(args.out.length);
  for (let t = 0; t < args.outOffsets.length; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const x = args.a[
            (args.aOffsets[t] as number) + i * args.aRowStride + p * args.aColStride
          ] as number;
          const y = args.b[
            (args.bOffsets[t] as number) + p * args.bRowStride + j * args.bColStride
          ] as number;
          s += Math.abs(x * y);
        }
        out[(args.outOffsets[t] as number) + i * n + j] = s;
      }
    }
  }
  return out;
}

/** The same product with float64 storage (exact-enough reference for float32 inputs). */
function reference64(args: GemmArgs): Float64Array {
  const out = new Float64Array(args.out.length).fill(NaN);
  gemmJs({ ...args, a: Float64Array.from(args.a), b: Float64Array.from(args.b), out });
  return out;
}

function check(C: Ctor, backend: Backend, c: Case, seed: number): void {
  const { args } = build(C, c, seed);
  backend.gemm(args);
  const got = args.out;
  if (C === Float64Array) {
    const expected = new Float64Array(got.length).fill(NaN);
    gemmJs({ ...args, out: expected });
    for (let i = 0; i < got.length; i++) {
      if (!Object.is(got[i], expected[i])) {
        expect.fail(`[${i}] got ${got[i]}, expected exactly ${expected[i]} (${JSON.stringify(c)})`);
      }
    }
    return;
  }
  const ref = reference64(args);
  const bound = absProducts(args);
  const u = 2 ** -24;
  const gamma = (c.k * u) / (1 - c.k * u);
  for (let i = 0; i < got.length; i++) {
    const r = ref[i] as number;
    if (Number.isNaN(r)) {
      if (!Number.isNaN(got[i] as number)) expect.fail(`[${i}] written outside the output blocks`);
      continue;
    }
    const err = Math.abs((got[i] as number) - r);
    const tol = gamma * (bound[i] as number) + Math.abs(r) * u; // + the final rounding of a float64 reference
    if (!(err <= tol))
      expect.fail(`[${i}] got ${got[i]}, reference ${r}, error ${err} > ${tol} (${JSON.stringify(c)})`);
  }
}

const LAYOUTS: Layout[] = ["row", "col", "padded", "strided"];

const CASES: Case[] = [];
// Every pair of layouts for A and B, at a ragged size that exercises edge tiles in both dims.
for (const aLayout of LAYOUTS) {
  for (const bLayout of LAYOUTS) CASES.push({ m: 13, n: 19, k: 37, batches: 1, aLayout, bLayout });
}
CASES.push(
  // Sizes around the micro-tile (4×8 / 4×4) and K block (256) boundaries.
  { m: 1, n: 1, k: 1, batches: 1, aLayout: "row", bLayout: "row" },
  { m: 4, n: 8, k: 256, batches: 1, aLayout: "row", bLayout: "row" },
  { m: 5, n: 9, k: 257, batches: 1, aLayout: "col", bLayout: "col" },
  { m: 3, n: 7, k: 1, batches: 1, aLayout: "row", bLayout: "col" },
  { m: 1, n: 300, k: 64, batches: 1, aLayout: "row", bLayout: "col" },
  { m: 300, n: 1, k: 64, batches: 1, aLayout: "col", bLayout: "row" },
  { m: 130, n: 70, k: 520, batches: 1, aLayout: "col", bLayout: "row" },
  { m: 67, n: 2057, k: 9, batches: 1, aLayout: "row", bLayout: "row" }, // crosses the N block (2048)
  { m: 260, n: 33, k: 40, batches: 1, aLayout: "row", bLayout: "padded" }, // crosses the M block (128)
  // Batches: distinct, broadcast on either side, scattered output, mixed layouts.
  { m: 7, n: 6, k: 5, batches: 6, aLayout: "row", bLayout: "row" },
  { m: 9, n: 10, k: 11, batches: 5, aLayout: "col", bLayout: "row", broadcastB: true },
  { m: 9, n: 10, k: 11, batches: 3, aLayout: "row", bLayout: "col", broadcastA: true },
  { m: 12, n: 16, k: 20, batches: 4, aLayout: "strided", bLayout: "padded", scatterOut: true },
  { m: 33, n: 40, k: 50, batches: 3, aLayout: "col", bLayout: "col" },
  // Storage layouts that need a per-matrix copy or a gather.
  { m: 6, n: 5, k: 4, batches: 3, aLayout: "sparse", bLayout: "row" },
  { m: 6, n: 5, k: 4, batches: 2, aLayout: "row", bLayout: "sparse" },
  { m: 10, n: 12, k: 14, batches: 4, aLayout: "col", bLayout: "padded", spreadBatches: true },
  { m: 8, n: 8, k: 8, batches: 4, aLayout: "broadcastRows", bLayout: "row" },
);

interface Named {
  label: string;
  backend: () => Backend;
}

let wasm1: WasmBackend;
let wasm2: WasmBackend;
const savedMinFlops = gemmTuning.parallelMinFlops;

beforeAll(async () => {
  wasm1 = await createWasmBackend({ threads: 1 });
  wasm2 = await createWasmBackend({ threads: 2 });
  gemmTuning.parallelMinFlops = 0; // split even the smallest products across both threads
});

afterAll(async () => {
  gemmTuning.parallelMinFlops = savedMinFlops;
  await wasm1.dispose();
  await wasm2.dispose();
});

const BACKENDS: Named[] = [
  { label: "js", backend: () => jsBackend },
  { label: "wasm, 1 thread", backend: () => wasm1 },
  { label: "wasm, 2 threads", backend: () => wasm2 },
];

describe.each(BACKENDS)("gemm on $label", ({ backend }) => {
  for (const C of [Float64Array, Float32Array] as Ctor[]) {
    describe(C === Float64Array ? "float64" : "float32", () => {
      CASES.forEach((c, i) => {
        const name = `${c.batches}×(${c.m}×${c.k})·(${c.k}×${c.n}) A:${c.aLayout}${c.broadcastA ? "(bcast)" : ""} B:${c.bLayout}${c.broadcastB ? "(bcast)" : ""}${c.scatterOut ? " scattered out" : ""}${c.spreadBatches ? " spread" : ""}`;
        it(name, () => check(C, backend(), c, 1000 + i));
      });

      it("k = 0 gives zeros", () => {
        const out = new C(6).fill(7);
        backend().gemm({
          m: 2,
          n: 3,
          k: 0,
          a: new C(0),
          aOffsets: [0],
          aRowStride: 0,
          aColStride: 1,
          b: new C(0),
          bOffsets: [0],
          bRowStride: 3,
          bColStride: 1,
          out,
          outOffsets: [0],
        });
        expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
      });

      it("NaN and infinities propagate to their row and column only", () => {
        const { args } = build(C, { m: 9, n: 10, k: 12, batches: 1, aLayout: "row", bLayout: "row" }, 7);
        (args.a as FloatBuffer)[(args.aOffsets[0] as number) + 2 * 12 + 5] = NaN; // A[2, 5]
        (args.b as FloatBuffer)[(args.bOffsets[0] as number) + 3 * 10 + 4] = Infinity; // B[3, 4]
        backend().gemm(args);
        for (let i = 0; i < 9; i++) {
          for (let j = 0; j < 10; j++) {
            const v = args.out[i * 10 + j] as number;
            if (i === 2) expect(v, `C[${i}, ${j}]`).toBeNaN();
            else if (j === 4) expect(Math.abs(v), `C[${i}, ${j}]`).toBe(Infinity);
            else expect(Number.isFinite(v), `C[${i}, ${j}]`).toBe(true);
          }
        }
      });
    });
  }
});

describe("wasm backend", () => {
  it("names its threads", () => {
    expect(wasm1.name).toBe("wasm-simd(1 thread)");
    expect(wasm2.name).toMatch(/^wasm-simd\((1 thread|2 threads)\)$/);
  });

  it("rejects a thread count that is not a positive integer", async () => {
    await expect(createWasmBackend({ threads: 0 })).rejects.toThrow(/positive integer/);
    await expect(createWasmBackend({ threads: 1.5 })).rejects.toThrow(/positive integer/);
  });

  it("partitions work into block-aligned, covering, disjoint parts", () => {
    const saved = gemmTuning.parallelMinFlops;
    gemmTuning.parallelMinFlops = 0;
    try {
      for (const [batches, m, n] of [
        [1, 1024, 1024],
        [1, 1000, 3],
        [1, 3, 1000],
        [6, 5, 5],
        [3, 64, 64],
        [1, 2, 2],
      ] as const) {
        for (const threads of [1, 2, 3, 4]) {
          const parts = partitionGemm(batches, m, n, 8, threads, 4, 8);
          expect(parts.length).toBeGreaterThan(0);
          expect(parts.length).toBeLessThanOrEqual(threads);
          const covered = new Uint8Array(batches * m * n);
          for (const p of parts) {
            expect(p.r0 % 4 === 0 && p.c0 % 8 === 0).toBe(true);
            for (let b = p.b0; b < p.b1; b++) {
              for (let i = p.r0; i < p.r1; i++)
                for (let j = p.c0; j < p.c1; j++) covered[(b * m + i) * n + j]!++;
            }
          }
          expect(covered.every((x) => x === 1)).toBe(true);
        }
      }
    } finally {
      gemmTuning.parallelMinFlops = saved;
    }
  });

  it("grows its memory for large operands and keeps working afterwards", () => {
    const m = 400;
    const k = 410;
    const n = 420;
    const { args } = build(Float64Array, { m, n, k, batches: 3, aLayout: "row", bLayout: "col" }, 99);
    const before = wasm2.runtime.memory.buffer.byteLength;
    wasm2.gemm(args);
    expect(wasm2.runtime.memory.buffer.byteLength).toBeGreaterThan(before);
    const expected = new Float64Array(args.out.length);
    gemmJs({ ...args, out: expected });
    expect(Object.is(args.out[12345], expected[12345])).toBe(true);
    check(Float32Array, wasm2, { m: 31, n: 29, k: 27, batches: 2, aLayout: "col", bLayout: "row" }, 5);
  });
});

/**
 * The WebAssembly GEMM driver: copies the operands' storage into the kernel memory (one memcpy
 * per operand in the common case, whatever the transpose layout), splits the work across threads,
 * runs the packed SIMD kernels and copies C out. Numerics: float64 accumulates exactly like the JS
 * reference (same K blocks, same order within a block), so float64 results are bit-identical to
 * {@link gemmJs}; float32 accumulates in float32 like a BLAS (the JS reference accumulates in
 * double and rounds once).
 *
 * @example
 * ```ts
 * wasmGemm(runtime, args); // args as for jsBackend.gemm
 * ```
 * @module
 */

import { gemmJs, type GemmArgs } from "../js/gemm.js";
import type { FloatBuffer } from "../layout.js";
import { LAYOUT } from "./generated/kernels.js";
import { alignUp, type WasmRuntime } from "./runtime.js";

const T = LAYOUT.task;

/** One thread's share of a batched product: batches × rows × columns of C. */
export interface GemmPart {
  b0: number;
  b1: number;
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

/**
 * Tuning knobs, exposed for tests and benchmarks.
 * @example gemmTuning.parallelMinFlops = 0; // a test forces even tiny products onto every thread
 */
export const gemmTuning = {
  /** Products smaller than this many flops run on one thread (waking a worker costs ~10-50 µs). */
  parallelMinFlops: 4e6,
  /** Units of work per thread in a dynamic split (more units balance better, cost more packing). */
  unitsPerThread: 4,
  /** Largest packed copy of the shared operand one thread may cache, in bytes. */
  cacheBytes: 32 << 20,
};

/**
 * How the threads share a batched product. "static": one fixed part per thread. "dynamic": the
 * `axis` (0 batches, 1 rows, 2 columns) is cut into `units` of `unitSize` that threads claim from
 * a shared counter until none are left, so a thread that was descheduled or started late simply
 * takes fewer units; with `cache` the operand every unit needs in full (A for column units, B for
 * row units) is packed once per thread instead of once per unit.
 */
export type GemmPlan =
  | { kind: "static"; parts: GemmPart[] }
  | {
      kind: "dynamic";
      axis: 0 | 1 | 2;
      unitSize: number;
      units: number;
      extent: number;
      cache: "A" | "B" | null;
    };

/**
 * Plan the threads' shares of `batches` products of m×n×k with C blocks of `mr`×`nr` and
 * `es`-byte elements: one static part below the parallel threshold (or with one thread), else
 * dynamic units over batches (when there are at least two per thread) or over the dimension of C
 * with more blocks.
 *
 * @example
 * ```ts
 * planGemm(1, 128, 512, 784, 2, 4, 8, 4); // dynamic column units, A cached
 * ```
 */
export function planGemm(
  batches: number,
  m: number,
  n: number,
  k: number,
  threads: number,
  mr: number,
  nr: number,
  es: number,
): GemmPlan {
  const whole: GemmPart = { b0: 0, b1: batches, r0: 0, r1: m, c0: 0, c1: n };
  if (threads <= 1 || 2 * batches * m * n * k < gemmTuning.parallelMinFlops)
    return { kind: "static", parts: [whole] };
  const target = threads * gemmTuning.unitsPerThread;
  if (batches >= 2 * threads) {
    const unitSize = Math.max(1, Math.floor(batches / target));
    return {
      kind: "dynamic",
      axis: 0,
      unitSize,
      units: Math.ceil(batches / unitSize),
      extent: batches,
      cache: null,
    };
  }
  const rowBlocks = Math.ceil(m / mr);
  const colBlocks = Math.ceil(n / nr);
  const byRows = rowBlocks > colBlocks;
  const blocks = byRows ? rowBlocks : colBlocks;
  if (blocks < 2) return { kind: "static", parts: [whole] };
  const unitSize = Math.ceil(blocks / Math.min(blocks, target)) * (byRows ? mr : nr);
  const extent = byRows ? m : n;
  const sharedBytes = (byRows ? Math.ceil(n / nr) * nr : Math.ceil(m / mr) * mr) * k * es;
  const cache = batches === 1 && sharedBytes <= gemmTuning.cacheBytes ? (byRows ? "B" : "A") : null;
  return {
    kind: "dynamic",
    axis: byRows ? 1 : 2,
    unitSize,
    units: Math.ceil(extent / unitSize),
    extent,
    cache,
  };
}

/**
 * Split `batches` products of m×n (C blocks of `mr`×`nr`) into at most `threads` parts of about
 * equal work: whole batches when there are enough of them, else block-aligned row or column
 * ranges of every batch (whichever dimension has more blocks).
 *
 * @example
 * ```ts
 * partitionGemm(1, 1024, 1024, 1024, 2, 4, 8); // two row halves
 * ```
 */
export function partitionGemm(
  batches: number,
  m: number,
  n: number,
  k: number,
  threads: number,
  mr: number,
  nr: number,
): GemmPart[] {
  const whole: GemmPart = { b0: 0, b1: batches, r0: 0, r1: m, c0: 0, c1: n };
  if (threads <= 1 || 2 * batches * m * n * k < gemmTuning.parallelMinFlops) return [whole];
  if (batches >= threads && (batches % threads === 0 || batches >= 3 * threads)) {
    const parts: GemmPart[] = [];
    for (let t = 0; t < threads; t++) {
      const b0 = Math.floor((t * batches) / threads);
      const b1 = Math.floor(((t + 1) * batches) / threads);
      if (b1 > b0) parts.push({ ...whole, b0, b1 });
    }
    return parts;
  }
  const rowBlocks = Math.ceil(m / mr);
  const colBlocks = Math.ceil(n / nr);
  const byRows = rowBlocks > colBlocks;
  const blocks = byRows ? rowBlocks : colBlocks;
  const size = byRows ? mr : nr;
  const extent = byRows ? m : n;
  const count = Math.min(threads, blocks);
  const parts: GemmPart[] = [];
  for (let t = 0; t < count; t++) {
    const lo = Math.min(extent, Math.floor((t * blocks) / count) * size);
    const hi = Math.min(extent, Math.floor(((t + 1) * blocks) / count) * size);
    if (hi > lo) parts.push(byRows ? { ...whole, r0: lo, r1: hi } : { ...whole, c0: lo, c1: hi });
  }
  return parts;
}

/** How one operand's storage reaches the kernel memory. */
export interface Placement {
  /** "span": one copy of storage[lo, hi); "each": one copy per distinct matrix; "gather": dense copies. */
  mode: "span" | "each" | "gather";
  lo: number;
  /** Elements the copy occupies in kernel memory. */
  elements: number;
  /** Strides as the kernels see them. */
  rs: number;
  cs: number;
  /** Distinct batch offsets (each/gather modes) and, per batch, its index among them. */
  distinct: number[];
  slot: Int32Array;
  /** Elements one matrix spans in storage. */
  extent: number;
}

/**
 * Decide how to copy a rows×cols strided operand whose batches start at `offsets`: the whole
 * storage span when it is not much larger than the data, else each distinct matrix's span, else
 * a dense gather (views that skip most of their storage, like a narrow column slice).
 *
 * @example
 * ```ts
 * placeOperand([0], 3, 4, 1, 3).mode; // "span": a transposed 3×4 view, copied as it is
 * ```
 */
export function placeOperand(
  offsets: ArrayLike<number>,
  rows: number,
  cols: number,
  rs: number,
  cs: number,
): Placement {
  const extent = (rows - 1) * rs + (cols - 1) * cs + 1;
  const batches = offsets.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let b = 0; b < batches; b++) {
    const o = offsets[b] as number;
    if (o < lo) lo = o;
    if (o > hi) hi = o;
  }
  const need = rows * cols;
  const span = hi - lo + extent;
  const slot = new Int32Array(batches);
  if (span <= 2 * batches * need + 4096) {
    return { mode: "span", lo, elements: span, rs, cs, distinct: [], slot, extent };
  }
  const index = new Map<number, number>();
  const distinct: number[] = [];
  for (let b = 0; b < batches; b++) {
    const o = offsets[b] as number;
    let i = index.get(o);
    if (i === undefined) {
      i = distinct.length;
      index.set(o, i);
      distinct.push(o);
    }
    slot[b] = i;
  }
  if (extent <= 2 * need + 4096) {
    return { mode: "each", lo, elements: distinct.length * extent, rs, cs, distinct, slot, extent };
  }
  return {
    mode: "gather",
    lo,
    elements: distinct.length * need,
    rs: cols,
    cs: 1,
    distinct,
    slot,
    extent: need,
  };
}

/** Copy an operand into kernel memory at element index `at` and write its batch offsets. */
function copyIn(
  src: FloatBuffer,
  view: FloatBuffer,
  at: number,
  p: Placement,
  offsets: ArrayLike<number>,
  rows: number,
  cols: number,
  rs: number,
  cs: number,
  offsetsOut: Int32Array,
): void {
  const batches = offsets.length;
  if (p.mode === "span") {
    view.set(src.subarray(p.lo, p.lo + p.elements), at);
    for (let b = 0; b < batches; b++) offsetsOut[b] = (offsets[b] as number) - p.lo;
    return;
  }
  for (let i = 0; i < p.distinct.length; i++) {
    const o = p.distinct[i] as number;
    const dst = at + i * p.extent;
    if (p.mode === "each") {
      view.set(src.subarray(o, o + p.extent), dst);
    } else {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) view[dst + r * cols + c] = src[o + r * rs + c * cs] as number;
      }
    }
  }
  for (let b = 0; b < batches; b++) offsetsOut[b] = (p.slot[b] as number) * p.extent;
}

/**
 * `out[b] = A[b]·B[b]` for every batch on the WebAssembly kernels (see {@link GemmArgs}). Falls
 * back to the JS reference for mixed dtypes, negative strides, or operands too large for the
 * kernel memory even one batch at a time.
 *
 * @example
 * ```ts
 * wasmGemm(runtime, { m, n, k, a, aOffsets: [0], aRowStride: k, aColStride: 1,
 *   b, bOffsets: [0], bRowStride: n, bColStride: 1, out, outOffsets: [0] });
 * ```
 */
export function wasmGemm(rt: WasmRuntime, args: GemmArgs): void {
  const { m, n, k } = args;
  const batches = args.outOffsets.length;
  if (m === 0 || n === 0 || batches === 0) return;
  const f32 = args.a instanceof Float32Array;
  const sameType = f32
    ? args.b instanceof Float32Array && args.out instanceof Float32Array
    : args.a instanceof Float64Array && args.b instanceof Float64Array && args.out instanceof Float64Array;
  const strides = [args.aRowStride, args.aColStride, args.bRowStride, args.bColStride];
  if (!sameType || strides.some((s) => s < 0 || !Number.isInteger(s))) {
    gemmJs(args);
    return;
  }
  if (k === 0) {
    for (let b = 0; b < batches; b++) {
      const o = args.outOffsets[b] as number;
      args.out.fill(0, o, o + m * n);
    }
    return;
  }
  const es = f32 ? 4 : 8;
  const G = f32 ? LAYOUT.gemm.f32 : LAYOUT.gemm.f64;
  const plan =
    gemmTuning.unitsPerThread > 0
      ? planGemm(batches, m, n, k, rt.threads, G.MR, G.NR, es)
      : ({ kind: "static", parts: partitionGemm(batches, m, n, k, rt.threads, G.MR, G.NR) } as GemmPlan);
  const whole: GemmPart = { b0: 0, b1: batches, r0: 0, r1: m, c0: 0, c1: n };
  const parts = plan.kind === "static" ? plan.parts : Array.from({ length: rt.threads }, () => whole);
  let cacheBytes = 0;
  if (plan.kind === "dynamic" && plan.cache !== null) {
    const shared = plan.cache === "A" ? Math.ceil(m / G.MR) * G.MR : Math.ceil(n / G.NR) * G.NR;
    cacheBytes = alignUp(shared * k * es);
  }
  const pa = placeOperand(args.aOffsets, m, k, args.aRowStride, args.aColStride);
  const pb = placeOperand(args.bOffsets, k, n, args.bRowStride, args.bColStride);
  const aAddr = rt.scratchBase;
  const bAddr = alignUp(aAddr + pa.elements * es);
  const cAddr = alignUp(bAddr + pb.elements * es);
  const aOffs = alignUp(cAddr + batches * m * n * es);
  const bOffs = alignUp(aOffs + batches * 4);
  const cacheBase = alignUp(bOffs + batches * 4);
  const end = cacheBase + parts.length * cacheBytes;
  if (!rt.ensure(end)) {
    if (batches === 1) {
      gemmJs(args);
      return;
    }
    const half = batches >> 1;
    const slice = (lo: number, hi: number): GemmArgs => ({
      ...args,
      aOffsets: Array.from(args.aOffsets).slice(lo, hi),
      bOffsets: Array.from(args.bOffsets).slice(lo, hi),
      outOffsets: Array.from(args.outOffsets).slice(lo, hi),
    });
    wasmGemm(rt, slice(0, half));
    wasmGemm(rt, slice(half, batches));
    return;
  }
  const view = f32 ? rt.f32 : rt.f64;
  copyIn(
    args.a,
    view,
    aAddr / es,
    pa,
    args.aOffsets,
    m,
    k,
    args.aRowStride,
    args.aColStride,
    rt.i32.subarray(aOffs >> 2, (aOffs >> 2) + batches),
  );
  copyIn(
    args.b,
    view,
    bAddr / es,
    pb,
    args.bOffsets,
    k,
    n,
    args.bRowStride,
    args.bColStride,
    rt.i32.subarray(bOffs >> 2, (bOffs >> 2) + batches),
  );
  rt.clearTasks();
  parts.forEach((part, tid) => {
    const s = rt.task(tid) >> 2;
    const i32 = rt.i32;
    i32[s + T.kind] = f32 ? LAYOUT.kinds.gemmF32 : LAYOUT.kinds.gemmF64;
    i32[s + T.m] = m;
    i32[s + T.n] = n;
    i32[s + T.k] = k;
    i32[s + T.aBase] = aAddr;
    i32[s + T.aOffs] = aOffs;
    i32[s + T.rsA] = pa.rs;
    i32[s + T.csA] = pa.cs;
    i32[s + T.bBase] = bAddr;
    i32[s + T.bOffs] = bOffs;
    i32[s + T.rsB] = pb.rs;
    i32[s + T.csB] = pb.cs;
    i32[s + T.cBase] = cAddr;
    i32[s + T.b0] = part.b0;
    i32[s + T.b1] = part.b1;
    i32[s + T.r0] = part.r0;
    i32[s + T.r1] = part.r1;
    i32[s + T.c0] = part.c0;
    i32[s + T.c1] = part.c1;
    i32[s + T.ws] = rt.workspace(tid);
    let flags = 0;
    if (plan.kind === "dynamic") {
      flags |= LAYOUT.gemmFlags.dynamic;
      if (plan.cache === "A") flags |= LAYOUT.gemmFlags.cacheA;
      if (plan.cache === "B") flags |= LAYOUT.gemmFlags.cacheB;
      i32[s + T.units] = plan.units;
      i32[s + T.unitSize] = plan.unitSize;
      i32[s + T.extent] = plan.extent;
      i32[s + T.axis] = plan.axis;
    }
    i32[s + T.flags] = flags;
    i32[s + T.cacheA] = cacheBase + tid * cacheBytes;
    i32[s + T.cacheB] = cacheBase + tid * cacheBytes;
    i32[s + T.cachedA] = -1;
    i32[s + T.cachedB] = -1;
  });
  Atomics.store(rt.i32, LAYOUT.unitCounter >> 2, 0);
  rt.runTasks();
  const c0 = cAddr / es;
  const mn = m * n;
  const o0 = args.outOffsets[0] as number;
  let consecutive = true;
  for (let b = 1; b < batches && consecutive; b++) consecutive = args.outOffsets[b] === o0 + b * mn;
  if (consecutive) {
    args.out.set(view.subarray(c0, c0 + batches * mn), o0);
  } else {
    for (let b = 0; b < batches; b++) {
      args.out.set(view.subarray(c0 + b * mn, c0 + (b + 1) * mn), args.outOffsets[b] as number);
    }
  }
}

import type { Buffer, Layout } from "../layout.js";
import { coalesce, forEachRow } from "./strided-loop.js";

/**
 * How a reduction walks its input: one output element per position of the kept dims (row-major),
 * and for each, the reduced elements at `base + rel[j]` (or `base + j * stride` when the reduced
 * dims collapse to a single strided run, which is the common case).
 */
export interface ReducePlan {
  /** Number of output elements. */
  readonly outer: number;
  /** Number of elements reduced into each output. */
  readonly inner: number;
  /** Storage offset of the first reduced element of every output, in output order. */
  readonly bases: Int32Array;
  /** Stride of the single reduced run, or 0 when `rel` lists the offsets. */
  readonly stride: number;
  /** Offsets of the reduced elements relative to a base when they are not one strided run. */
  readonly rel: Int32Array | null;
}

/**
 * Plan a reduction of `layout` over the sorted, unique `dims`.
 * @example
 * ```ts
 * const rows = { shape: [2, 3], strides: [3, 1], offset: 0 };
 * planReduce(rows, [1]); // { outer: 2, inner: 3, bases: [0, 3], stride: 1, rel: null }
 * planReduce(rows, [0]); // { outer: 3, inner: 2, bases: [0, 1, 2], stride: 3, rel: null }
 * ```
 */
export function planReduce(layout: Layout, dims: readonly number[]): ReducePlan {
  const keptShape: number[] = [];
  const keptStrides: number[] = [];
  const redShape: number[] = [];
  const redStrides: number[] = [];
  for (let d = 0; d < layout.shape.length; d++) {
    if (dims.includes(d)) {
      redShape.push(layout.shape[d] as number);
      redStrides.push(layout.strides[d] as number);
    } else {
      keptShape.push(layout.shape[d] as number);
      keptStrides.push(layout.strides[d] as number);
    }
  }
  let outer = 1;
  for (const d of keptShape) outer *= d;
  let inner = 1;
  for (const d of redShape) inner *= d;
  const bases = new Int32Array(outer);
  let i = 0;
  if (outer > 0) {
    forEachRow(keptShape, [keptStrides], [layout.offset], (s, n, st) => {
      let o = s[0] as number;
      const so = st[0] as number;
      for (let j = 0; j < n; j++, o += so) bases[i++] = o;
    });
  }
  const c = coalesce(redShape, [redStrides]);
  if (c.shape.length <= 1) {
    return {
      outer,
      inner,
      bases,
      stride: c.shape.length === 1 ? (c.strides[0]![0] as number) : 1,
      rel: null,
    };
  }
  const rel = new Int32Array(inner);
  let k = 0;
  forEachRow(redShape, [redStrides], [0], (s, n, st) => {
    let o = s[0] as number;
    const so = st[0] as number;
    for (let j = 0; j < n; j++, o += so) rel[k++] = o;
  });
  return { outer, inner, bases, stride: 0, rel };
}

/**
 * Sum of each reduced group, accumulated in double with Neumaier compensation so the result is
 * (nearly) correctly rounded, which keeps it within an ulp or two of PyTorch's cascade sums.
 * @example
 * ```ts
 * const plan = planReduce({ shape: [2, 3], strides: [3, 1], offset: 0 }, [1]); // reduce each row
 * reduceSum(Float64Array.of(1, 2, 3, 4, 5, 6), plan, out); // out: [6, 15]
 * ```
 */
export function reduceSum(src: Buffer, plan: ReducePlan, out: Buffer): void {
  const { outer, inner, bases, stride, rel } = plan;
  if (rel === null && outer > 1 && stride >= outer && consecutive(bases)) {
    reduceSumRows(src, bases[0] as number, stride, outer, inner, out);
    return;
  }
  for (let o = 0; o < outer; o++) {
    const base = bases[o] as number;
    let sum = 0;
    let comp = 0;
    for (let j = 0; j < inner; j++) {
      const x = src[rel ? base + (rel[j] as number) : base + j * stride] as number;
      const t = sum + x;
      comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
      sum = t;
    }
    // NaN/Inf inputs make the compensation NaN; the plain sum is then the right answer.
    const total = sum + comp;
    out[o] = Number.isFinite(sum) ? total : sum;
  }
}

function consecutive(bases: Int32Array): boolean {
  const b0 = bases[0] as number;
  for (let o = 1; o < bases.length; o++) if (bases[o] !== b0 + o) return false;
  return true;
}

/**
 * The same compensated sums when the outputs are adjacent in memory and the reduced elements are
 * whole rows apart (a bias gradient: a [batch, features] tensor summed over the batch). Walking
 * row by row keeps every read sequential instead of striding down a column per output; each
 * output's additions still happen in the same order, so the result is identical.
 */
function reduceSumRows(
  src: Buffer,
  base: number,
  stride: number,
  outer: number,
  inner: number,
  out: Buffer,
): void {
  const sum = new Float64Array(outer);
  const comp = new Float64Array(outer);
  for (let j = 0; j < inner; j++) {
    const row = base + j * stride;
    for (let o = 0; o < outer; o++) {
      const x = src[row + o] as number;
      const s = sum[o] as number;
      const t = s + x;
      comp[o] = (comp[o] as number) + (Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s);
      sum[o] = t;
    }
  }
  for (let o = 0; o < outer; o++) {
    const s = sum[o] as number;
    out[o] = Number.isFinite(s) ? s + (comp[o] as number) : s;
  }
}

/**
 * Product of each reduced group.
 * @example
 * ```ts
 * const plan = planReduce({ shape: [2, 3], strides: [3, 1], offset: 0 }, [1]); // reduce each row
 * reduceProd(Float64Array.of(1, 2, 3, 4, 5, 6), plan, out); // out: [6, 120]
 * ```
 */
export function reduceProd(src: Buffer, plan: ReducePlan, out: Buffer): void {
  const { outer, inner, bases, stride, rel } = plan;
  for (let o = 0; o < outer; o++) {
    const base = bases[o] as number;
    let p = 1;
    for (let j = 0; j < inner; j++) p *= src[rel ? base + (rel[j] as number) : base + j * stride] as number;
    out[o] = p;
  }
}

/**
 * Maximum (or minimum) of each group and the position of its first occurrence within the group.
 * NaN wins, as in PyTorch: the first NaN is the result.
 * @example
 * ```ts
 * const plan = planReduce({ shape: [2, 3], strides: [3, 1], offset: 0 }, [1]); // reduce each row
 * reduceExtreme(Float64Array.of(1, 7, 7, 9, NaN, 3), plan, true, values, indices);
 * // values [7, NaN], indices [1, 1]: the first maximum, and NaN wins
 * ```
 */
export function reduceExtreme(
  src: Buffer,
  plan: ReducePlan,
  wantMax: boolean,
  values: Buffer | null,
  indices: Int32Array | null,
): void {
  const { outer, inner, bases, stride, rel } = plan;
  for (let o = 0; o < outer; o++) {
    const base = bases[o] as number;
    let best = src[base] as number;
    let bestIdx = 0;
    if (!Number.isNaN(best)) {
      for (let j = 1; j < inner; j++) {
        const x = src[rel ? base + (rel[j] as number) : base + j * stride] as number;
        if (x !== x) {
          best = x;
          bestIdx = j;
          break;
        }
        if (wantMax ? x > best : x < best) {
          best = x;
          bestIdx = j;
        }
      }
    }
    if (values) values[o] = best;
    if (indices) indices[o] = bestIdx;
  }
}

/**
 * Variance of each group with Bessel-style `correction` (1 = unbiased), computed in two passes in
 * double: the mean first, then the compensated sum of squared deviations.
 * @example
 * ```ts
 * const plan = planReduce({ shape: [2, 3], strides: [3, 1], offset: 0 }, [1]); // reduce each row
 * reduceVar(Float64Array.of(1, 2, 3, 4, 5, 6), plan, 1, out); // out: [1, 1]
 * ```
 */
export function reduceVar(src: Buffer, plan: ReducePlan, correction: number, out: Buffer): void {
  const { outer, inner, bases, stride, rel } = plan;
  for (let o = 0; o < outer; o++) {
    const base = bases[o] as number;
    let sum = 0;
    for (let j = 0; j < inner; j++) sum += src[rel ? base + (rel[j] as number) : base + j * stride] as number;
    const mean = sum / inner;
    let ss = 0;
    let comp = 0;
    for (let j = 0; j < inner; j++) {
      const d = (src[rel ? base + (rel[j] as number) : base + j * stride] as number) - mean;
      comp += d;
      ss += d * d;
    }
    // The `comp` term corrects for the rounding of the mean (the "corrected two-pass" algorithm).
    const m2 = ss - (comp * comp) / inner;
    out[o] = m2 / Math.max(inner - correction, 0);
  }
}

import { fma32, fma64 } from "../../util/fma.js";
import type { Buffer, Layout } from "../layout.js";
import { specialized } from "./specialize.js";
import { forEachRow } from "./strided-loop.js";

/** A scalar function applied per element. Results are stored into the output's typed array. */
export type UnaryFn = (x: number) => number;
/** A two-operand scalar function applied per element after broadcasting. */
export type BinaryFn = (x: number, y: number) => number;
/** A three-operand scalar function applied per element after broadcasting. */
export type TernaryFn = (x: number, y: number, z: number) => number;

function countOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

// The row loops. Each uses only its parameters, so `specialized` can compile dedicated copies.

function unaryLoop(
  fn: UnaryFn,
  out: Buffer,
  o: number,
  so: number,
  a: Buffer,
  ia: number,
  sa: number,
  n: number,
) {
  if (so === 1 && sa === 1) {
    for (let i = 0; i < n; i++) out[o + i] = fn(a[ia + i] as number);
  } else {
    for (let i = 0; i < n; i++, o += so, ia += sa) out[o] = fn(a[ia] as number);
  }
}

function binaryLoop(
  fn: BinaryFn,
  out: Buffer,
  o: number,
  so: number,
  a: Buffer,
  ia: number,
  sa: number,
  b: Buffer,
  ib: number,
  sb: number,
  n: number,
) {
  if (so === 1 && sa === 1 && sb === 1) {
    for (let i = 0; i < n; i++) out[o + i] = fn(a[ia + i] as number, b[ib + i] as number);
  } else if (so === 1 && sa === 1 && sb === 0) {
    const y = b[ib] as number;
    for (let i = 0; i < n; i++) out[o + i] = fn(a[ia + i] as number, y);
  } else {
    for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) out[o] = fn(a[ia] as number, b[ib] as number);
  }
}

function ternaryLoop(
  fn: TernaryFn,
  out: Buffer,
  o: number,
  so: number,
  a: Buffer,
  ia: number,
  sa: number,
  b: Buffer,
  ib: number,
  sb: number,
  c: Buffer,
  ic: number,
  sc: number,
  n: number,
) {
  for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb, ic += sc) {
    out[o] = fn(a[ia] as number, b[ib] as number, c[ic] as number);
  }
}

// Arithmetic operators get loops without a callback; `op` is fixed per specialised copy, so the
// switch folds away.
function arithLoop(
  op: ArithOp,
  out: Buffer,
  o: number,
  so: number,
  a: Buffer,
  ia: number,
  sa: number,
  b: Buffer,
  ib: number,
  sb: number,
  n: number,
) {
  if (so === 1 && sa === 1 && sb === 1) {
    if (op === "add") for (let i = 0; i < n; i++) out[o + i] = (a[ia + i] as number) + (b[ib + i] as number);
    else if (op === "sub")
      for (let i = 0; i < n; i++) out[o + i] = (a[ia + i] as number) - (b[ib + i] as number);
    else if (op === "mul")
      for (let i = 0; i < n; i++) out[o + i] = (a[ia + i] as number) * (b[ib + i] as number);
    else for (let i = 0; i < n; i++) out[o + i] = (a[ia + i] as number) / (b[ib + i] as number);
  } else if (so === 1 && sa === 1 && sb === 0) {
    const y = b[ib] as number;
    if (op === "add") for (let i = 0; i < n; i++) out[o + i] = (a[ia + i] as number) + y;
    else if (op === "sub") for (let i = 0; i < n; i++) out[o + i] = (a[ia + i] as number) - y;
    else if (op === "mul") for (let i = 0; i < n; i++) out[o + i] = (a[ia + i] as number) * y;
    else for (let i = 0; i < n; i++) out[o + i] = (a[ia + i] as number) / y;
  } else if (op === "add") {
    for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) out[o] = (a[ia] as number) + (b[ib] as number);
  } else if (op === "sub") {
    for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) out[o] = (a[ia] as number) - (b[ib] as number);
  } else if (op === "mul") {
    for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) out[o] = (a[ia] as number) * (b[ib] as number);
  } else {
    for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) out[o] = (a[ia] as number) / (b[ib] as number);
  }
}

/**
 * `out[i] = fn(src[i])` over a shape; both layouts have the output's shape (broadcast strides
 * allowed on the input).
 * @example mapUnary(Math.sqrt, x.data, x, out.data, out); // a Tensor serves as its own Layout
 */
export function mapUnary(fn: UnaryFn, src: Buffer, srcLayout: Layout, out: Buffer, outLayout: Layout): void {
  const loop = specialized(unaryLoop, fn, [out, src], countOf(outLayout.shape));
  forEachRow(
    outLayout.shape,
    [outLayout.strides, srcLayout.strides],
    [outLayout.offset, srcLayout.offset],
    (s, n, st) => loop(fn, out, s[0] as number, st[0] as number, src, s[1] as number, st[1] as number, n),
  );
}

/**
 * `out[i] = fn(a[i], b[i])` with broadcast strides on the inputs.
 * @example
 * ```ts
 * const out = new Float64Array(6);
 * const row = { shape: [2, 3], strides: [3, 1], offset: 0 };
 * const a = { shape: [2, 3], strides: [1, 0], offset: 0 }; // [2] broadcast along dim 1
 * const b = { shape: [2, 3], strides: [0, 1], offset: 0 }; // [3] broadcast along dim 0
 * mapBinary((x, y) => x + y, Float64Array.of(1, 2), a, Float64Array.of(10, 20, 30), b, out, row);
 * // out: [11, 21, 31, 12, 22, 32]
 * ```
 */
export function mapBinary(
  fn: BinaryFn,
  a: Buffer,
  aLayout: Layout,
  b: Buffer,
  bLayout: Layout,
  out: Buffer,
  outLayout: Layout,
): void {
  const loop = specialized(binaryLoop, fn, [out, a, b], countOf(outLayout.shape));
  forEachRow(
    outLayout.shape,
    [outLayout.strides, aLayout.strides, bLayout.strides],
    [outLayout.offset, aLayout.offset, bLayout.offset],
    (s, n, st) =>
      loop(
        fn,
        out,
        s[0] as number,
        st[0] as number,
        a,
        s[1] as number,
        st[1] as number,
        b,
        s[2] as number,
        st[2] as number,
        n,
      ),
  );
}

/**
 * `out[i] = fn(a[i], b[i], c[i])` with broadcast strides on the inputs.
 * @example mapTernary((x, p, q) => x + v * p * q, self.data, self, a.data, la, b.data, lb, self.data, self);
 */
export function mapTernary(
  fn: TernaryFn,
  a: Buffer,
  aLayout: Layout,
  b: Buffer,
  bLayout: Layout,
  c: Buffer,
  cLayout: Layout,
  out: Buffer,
  outLayout: Layout,
): void {
  const loop = specialized(ternaryLoop, fn, [out, a, b, c], countOf(outLayout.shape));
  forEachRow(
    outLayout.shape,
    [outLayout.strides, aLayout.strides, bLayout.strides, cLayout.strides],
    [outLayout.offset, aLayout.offset, bLayout.offset, cLayout.offset],
    (s, n, st) =>
      loop(
        fn,
        out,
        s[0] as number,
        st[0] as number,
        a,
        s[1] as number,
        st[1] as number,
        b,
        s[2] as number,
        st[2] as number,
        c,
        s[3] as number,
        st[3] as number,
        n,
      ),
  );
}

/** The four arithmetic operators, which get loops without a callback. */
export type ArithOp = "add" | "sub" | "mul" | "div";

/**
 * `out = a <op> b` elementwise with broadcast strides.
 * @example arith("mul", a.data, a, b.data, broadcastTo(b, a.shape), out.data, out); // out = a · b
 */
export function arith(
  op: ArithOp,
  a: Buffer,
  aLayout: Layout,
  b: Buffer,
  bLayout: Layout,
  out: Buffer,
  outLayout: Layout,
): void {
  const loop = specialized(arithLoop, op, [out, a, b], countOf(outLayout.shape));
  forEachRow(
    outLayout.shape,
    [outLayout.strides, aLayout.strides, bLayout.strides],
    [outLayout.offset, aLayout.offset, bLayout.offset],
    (s, n, st) =>
      loop(
        op,
        out,
        s[0] as number,
        st[0] as number,
        a,
        s[1] as number,
        st[1] as number,
        b,
        s[2] as number,
        st[2] as number,
        n,
      ),
  );
}

/**
 * Copy `src` into `out` element by element (with broadcasting and dtype conversion on store).
 * @example copyStrided(x.data, x, out.data, out); // x.t() into a contiguous out: a transposing copy
 */
export function copyStrided(src: Buffer, srcLayout: Layout, out: Buffer, outLayout: Layout): void {
  forEachRow(
    outLayout.shape,
    [outLayout.strides, srcLayout.strides],
    [outLayout.offset, srcLayout.offset],
    (s, n, st) => {
      let o = s[0] as number;
      let a = s[1] as number;
      const so = st[0] as number;
      const sa = st[1] as number;
      if (so === 1 && sa === 1 && out.constructor === src.constructor) {
        (out as Float64Array).set((src as Float64Array).subarray(a, a + n), o);
      } else {
        for (let i = 0; i < n; i++, o += so, a += sa) out[o] = src[a] as number;
      }
    },
  );
}

/**
 * Fill every element of a layout with one value.
 * @example
 * ```ts
 * const buf = new Float64Array(4);
 * fillStrided(buf, { shape: [2], strides: [2], offset: 1 }, 7); // buf: [0, 7, 0, 7]
 * ```
 */
export function fillStrided(out: Buffer, layout: Layout, value: number): void {
  forEachRow(layout.shape, [layout.strides], [layout.offset], (s, n, st) => {
    const so = st[0] as number;
    let o = s[0] as number;
    if (so === 1) out.fill(value, o, o + n);
    else for (let i = 0; i < n; i++, o += so) out[o] = value;
  });
}

/**
 * `out = a + alpha·b` for floats, rounded as PyTorch's x86-64 CPU kernel rounds it: a fused
 * multiply-add per element, except in one case its compiler produced. When `b` is constant along
 * a row (a scalar, or broadcast along the innermost dim), PyTorch processes each row in blocks of
 * two 8-lane (float32) or 4-lane (float64) vectors with an explicit FMA, then the leftover tail
 * with a scalar loop that the compiler vectorised with `alpha·b` hoisted out of it: after one
 * peeled fused element, whole 4-float (2-double) SSE chunks compute `a + round(alpha·b)` unfused,
 * and the rest is fused again. Measured on PyTorch 1.13's AVX2 build for every tail length.
 * @example axpyTorch(a.data, a, b.data, b, -0.5, out.data, out, true); // float32: out = a − 0.5·b
 */
export function axpyTorch(
  a: Buffer,
  aLayout: Layout,
  b: Buffer,
  bLayout: Layout,
  alpha: number,
  out: Buffer,
  outLayout: Layout,
  f32: boolean,
): void {
  const fma = f32 ? fma32 : fma64;
  const block = f32 ? 16 : 8;
  const chunk = f32 ? 4 : 2;
  forEachRow(
    outLayout.shape,
    [outLayout.strides, aLayout.strides, bLayout.strides],
    [outLayout.offset, aLayout.offset, bLayout.offset],
    (s, n, st) => {
      let o = s[0] as number;
      let ia = s[1] as number;
      let ib = s[2] as number;
      const so = st[0] as number;
      const sa = st[1] as number;
      const sb = st[2] as number;
      let unfusedFrom = n;
      let unfusedTo = n;
      if (sb === 0 && sa === 1 && so === 1) {
        const tailStart = n - (n % block);
        const tail = n - tailStart;
        if (tail > 1) {
          unfusedFrom = tailStart + 1;
          unfusedTo = unfusedFrom + Math.floor((tail - 1) / chunk) * chunk;
        }
      }
      const y0 = b[ib] as number;
      const hoisted = f32 ? Math.fround(alpha * y0) : alpha * y0;
      for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) {
        const x = a[ia] as number;
        out[o] = i >= unfusedFrom && i < unfusedTo ? x + hoisted : fma(b[ib] as number, alpha, x);
      }
    },
  );
}

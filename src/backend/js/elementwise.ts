import type { Buffer, Layout } from "../layout.js";
import { forEachRow } from "./strided-loop.js";

/** A scalar function applied per element. Results are stored into the output's typed array. */
export type UnaryFn = (x: number) => number;
/** A two-operand scalar function applied per element after broadcasting. */
export type BinaryFn = (x: number, y: number) => number;
/** A three-operand scalar function applied per element after broadcasting. */
export type TernaryFn = (x: number, y: number, z: number) => number;

/**
 * `out[i] = fn(src[i])` over a shape; both layouts have the output's shape (broadcast strides
 * allowed on the input).
 */
export function mapUnary(fn: UnaryFn, src: Buffer, srcLayout: Layout, out: Buffer, outLayout: Layout): void {
  forEachRow(
    outLayout.shape,
    [outLayout.strides, srcLayout.strides],
    [outLayout.offset, srcLayout.offset],
    (s, n, st) => {
      let o = s[0] as number;
      let a = s[1] as number;
      const so = st[0] as number;
      const sa = st[1] as number;
      if (so === 1 && sa === 1) {
        for (let i = 0; i < n; i++) out[o + i] = fn(src[a + i] as number);
      } else {
        for (let i = 0; i < n; i++, o += so, a += sa) out[o] = fn(src[a] as number);
      }
    },
  );
}

/** `out[i] = fn(a[i], b[i])` with broadcast strides on the inputs. */
export function mapBinary(
  fn: BinaryFn,
  a: Buffer,
  aLayout: Layout,
  b: Buffer,
  bLayout: Layout,
  out: Buffer,
  outLayout: Layout,
): void {
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
      if (so === 1 && sa === 1 && sb === 1) {
        for (let i = 0; i < n; i++) out[o + i] = fn(a[ia + i] as number, b[ib + i] as number);
      } else {
        for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb)
          out[o] = fn(a[ia] as number, b[ib] as number);
      }
    },
  );
}

/** `out[i] = fn(a[i], b[i], c[i])` with broadcast strides on the inputs. */
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
  forEachRow(
    outLayout.shape,
    [outLayout.strides, aLayout.strides, bLayout.strides, cLayout.strides],
    [outLayout.offset, aLayout.offset, bLayout.offset, cLayout.offset],
    (s, n, st) => {
      let o = s[0] as number;
      let ia = s[1] as number;
      let ib = s[2] as number;
      let ic = s[3] as number;
      const so = st[0] as number;
      const sa = st[1] as number;
      const sb = st[2] as number;
      const sc = st[3] as number;
      for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb, ic += sc) {
        out[o] = fn(a[ia] as number, b[ib] as number, c[ic] as number);
      }
    },
  );
}

/** The four arithmetic operators, which get dedicated loops because they dominate real workloads. */
export type ArithOp = "add" | "sub" | "mul" | "div";

/**
 * `out = a <op> b` elementwise with broadcast strides. A dedicated loop per operator keeps the hot
 * path free of a per-element function call.
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
  forEachRow(
    outLayout.shape,
    [outLayout.strides, aLayout.strides, bLayout.strides],
    [outLayout.offset, aLayout.offset, bLayout.offset],
    (s, n, st) => {
      const o = s[0] as number;
      const ia = s[1] as number;
      const ib = s[2] as number;
      const so = st[0] as number;
      const sa = st[1] as number;
      const sb = st[2] as number;
      if (so === 1 && sa === 1 && sb === 1) arithContiguous(op, a, ia, b, ib, out, o, n);
      else if (so === 1 && sa === 1 && sb === 0) arithScalarRight(op, a, ia, b[ib] as number, out, o, n);
      else arithStrided(op, a, ia, sa, b, ib, sb, out, o, so, n);
    },
  );
}

function arithContiguous(
  op: ArithOp,
  a: Buffer,
  ia: number,
  b: Buffer,
  ib: number,
  out: Buffer,
  o: number,
  n: number,
) {
  switch (op) {
    case "add":
      for (let i = 0; i < n; i++) out[o + i] = (a[ia + i] as number) + (b[ib + i] as number);
      return;
    case "sub":
      for (let i = 0; i < n; i++) out[o + i] = (a[ia + i] as number) - (b[ib + i] as number);
      return;
    case "mul":
      for (let i = 0; i < n; i++) out[o + i] = (a[ia + i] as number) * (b[ib + i] as number);
      return;
    case "div":
      for (let i = 0; i < n; i++) out[o + i] = (a[ia + i] as number) / (b[ib + i] as number);
      return;
  }
}

function arithScalarRight(op: ArithOp, a: Buffer, ia: number, y: number, out: Buffer, o: number, n: number) {
  switch (op) {
    case "add":
      for (let i = 0; i < n; i++) out[o + i] = (a[ia + i] as number) + y;
      return;
    case "sub":
      for (let i = 0; i < n; i++) out[o + i] = (a[ia + i] as number) - y;
      return;
    case "mul":
      for (let i = 0; i < n; i++) out[o + i] = (a[ia + i] as number) * y;
      return;
    case "div":
      for (let i = 0; i < n; i++) out[o + i] = (a[ia + i] as number) / y;
      return;
  }
}

function arithStrided(
  op: ArithOp,
  a: Buffer,
  ia: number,
  sa: number,
  b: Buffer,
  ib: number,
  sb: number,
  out: Buffer,
  o: number,
  so: number,
  n: number,
) {
  switch (op) {
    case "add":
      for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) out[o] = (a[ia] as number) + (b[ib] as number);
      return;
    case "sub":
      for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) out[o] = (a[ia] as number) - (b[ib] as number);
      return;
    case "mul":
      for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) out[o] = (a[ia] as number) * (b[ib] as number);
      return;
    case "div":
      for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) out[o] = (a[ia] as number) / (b[ib] as number);
      return;
  }
}

/** Copy `src` into `out` element by element (with broadcasting and dtype conversion on store). */
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

/** Fill every element of a layout with one value. */
export function fillStrided(out: Buffer, layout: Layout, value: number): void {
  forEachRow(layout.shape, [layout.strides], [layout.offset], (s, n, st) => {
    const so = st[0] as number;
    let o = s[0] as number;
    if (so === 1) out.fill(value, o, o + n);
    else for (let i = 0; i < n; i++, o += so) out[o] = value;
  });
}

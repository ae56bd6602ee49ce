import { IndexError, RuntimeError } from "../util/errors.js";

/** A tensor's dimensions, outermost first. An empty shape is a 0-dim (scalar) tensor. */
export type Shape = readonly number[];

/**
 * Number of elements of a shape.
 * @example numelOf([2, 3]) // 6
 */
export function numelOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Row-major strides of a contiguous tensor with this shape. A size-0 dim counts as 1, as in
 * PyTorch, so an empty tensor still has positive strides (`zeros([2, 0])` has strides [1, 1]).
 * @example contiguousStrides([2, 3, 4]) // [12, 4, 1]
 */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= Math.max(shape[i] as number, 1);
  }
  return strides;
}

/**
 * Whether a layout is row-major contiguous. Size-1 dimensions may have any stride, as in PyTorch.
 * @example isContiguousLayout([2, 3], [3, 1]) // true
 */
export function isContiguousLayout(shape: Shape, strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i] as number;
    if (d === 0) return true;
    if (d !== 1) {
      if (strides[i] !== expected) return false;
      expected *= d;
    }
  }
  return true;
}

/**
 * Shapes as PyTorch prints them inside messages: `[2, 3]`.
 * @example formatShape([2, 3]) // "[2, 3]"
 */
export function formatShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

/** Whether two shapes are equal. @example shapesEqual([2, 3], [2, 3]) // true */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The broadcast shape of two shapes, with PyTorch's error when they are incompatible.
 * @example broadcastShapes([3, 1], [4]) // [3, 4]
 */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else {
      throw new RuntimeError(
        `The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`,
      );
    }
  }
  return out;
}

/**
 * Strides that read a tensor of `shape`/`strides` as if it had `target` shape (stride 0 where a
 * dimension is broadcast). Assumes `broadcastShapes` already validated the pair.
 * @example broadcastStrides([3, 1], [1, 1], [2, 3, 4]) // [0, 1, 0]
 */
export function broadcastStrides(shape: Shape, strides: readonly number[], target: Shape): number[] {
  const out = new Array<number>(target.length).fill(0);
  const lead = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) {
    out[lead + i] = shape[i] === 1 && target[lead + i] !== 1 ? 0 : (strides[i] as number);
  }
  return out;
}

/**
 * Wrap a possibly negative dimension index into `[0, ndim)`, with PyTorch's IndexError.
 * A 0-dim tensor accepts dims -1 and 0, as in PyTorch.
 * @example normalizeDim(-1, 3) // 2
 */
export function normalizeDim(dim: number, ndim: number): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new IndexError(
      `Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`,
    );
  }
  return dim < 0 ? dim + n : dim;
}

/**
 * Normalise a list of dims (or one dim, or all dims when undefined) to sorted unique indices,
 * rejecting repeats as PyTorch does.
 * @example normalizeDims([-1, 0], 3) // [0, 2]
 */
export function normalizeDims(dims: number | readonly number[] | undefined | null, ndim: number): number[] {
  if (dims === undefined || dims === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === "number" ? [dims] : dims;
  const seen = new Set<number>();
  for (const d of list) {
    const nd = normalizeDim(d, ndim);
    if (seen.has(nd)) throw new RuntimeError(`dim ${nd} appears multiple times in the list of dims`);
    seen.add(nd);
  }
  return [...seen].filter((d) => d < Math.max(ndim, 0) || ndim === 0).sort((x, y) => x - y);
}

/**
 * Validate a user-given shape: non-negative integers. Returns a fresh array.
 * @example checkShape([2, 3]) // [2, 3]
 */
export function checkShape(shape: readonly number[], what = "shape"): number[] {
  if (!Array.isArray(shape))
    throw new TypeError(`${what} must be an array of integers, got ${String(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RuntimeError(`${what} must contain non-negative integers, got ${formatShape(shape)}`);
    }
  }
  return [...shape];
}

/**
 * Resolve a view/reshape target with at most one `-1`, with PyTorch's messages.
 * @example inferShape([-1, 2], 6) // [3, 2]
 */
export function inferShape(shape: readonly number[], numel: number): number[] {
  let infer = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i] as number;
    if (d === -1) {
      if (infer >= 0) throw new RuntimeError("only one dimension can be inferred");
      infer = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new RuntimeError(`invalid shape dimension ${d}`);
    } else known *= d;
  }
  const out = [...shape];
  if (infer >= 0) {
    if (known === 0 || numel % known !== 0) {
      throw new RuntimeError(`shape '${formatShape(shape)}' is invalid for input of size ${numel}`);
    }
    out[infer] = numel / known;
  } else if (known !== numel) {
    throw new RuntimeError(`shape '${formatShape(shape)}' is invalid for input of size ${numel}`);
  }
  return out;
}

import { RuntimeError } from "../util/errors.js";
import { allocate, dtypeOfArray, getDefaultDtype, isDType, type DType, type TypedArray } from "./dtype.js";
import { castScalar, scalarDtype } from "./ops/common.js";
import { converter } from "./ops/cast.js";
import { checkShape, numelOf } from "./shape.js";
import { fma32, fma64 } from "../util/fma.js";
import { Tensor } from "./tensor.js";

/** Options shared by creation functions. */
export interface CreationOptions {
  /** Element type; inferred from the data when omitted (floats use the default dtype). */
  dtype?: DType;
  /** Make the new tensor a leaf that requires grad. */
  requiresGrad?: boolean;
}

/** Nested arrays of numbers or booleans, as accepted by {@link tensor}. */
export type NestedArray = number | boolean | readonly NestedArray[];

function finish(t: Tensor, options: CreationOptions): Tensor {
  if (options.requiresGrad) {
    if (t.dtype !== "float32" && t.dtype !== "float64") {
      throw new RuntimeError("Only Tensors of floating point and complex dtype can require gradients");
    }
    t.requiresGrad_(true);
  }
  return t;
}

function checkDtype(dtype: DType | undefined): void {
  if (dtype !== undefined && !isDType(dtype)) {
    throw new TypeError(
      `dtype must be one of "float32", "float64", "int32", "bool", got ${JSON.stringify(dtype)}`,
    );
  }
}

function fromValues(values: ArrayLike<number>, shape: readonly number[], dtype: DType): Tensor {
  const data = allocate(dtype, values.length);
  const conv = converter(dtype);
  if (conv) for (let i = 0; i < values.length; i++) data[i] = conv(values[i] as number);
  else for (let i = 0; i < values.length; i++) data[i] = values[i] as number;
  return new Tensor(data, shape);
}

/**
 * Create a tensor from nested arrays, a number or boolean, a typed array (with an optional
 * `shape`), or another tensor (copied). Integer-valued numbers give an int tensor, as in
 * `torch.tensor([1, 2])`; any fractional number gives the default float dtype.
 *
 * @example
 * ```ts
 * tg.tensor([[1, 2], [3, 4]], { dtype: "float64", requiresGrad: true });
 * tg.tensor(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] });
 * ```
 */
export function tensor(
  data: NestedArray | TypedArray | Tensor,
  options: CreationOptions & { shape?: readonly number[] } = {},
): Tensor {
  checkDtype(options.dtype);
  if (data instanceof Tensor) {
    const src = data.detach().toTypedArray();
    return finish(fromValues(src, data.shape, options.dtype ?? data.dtype), options);
  }
  if (ArrayBuffer.isView(data)) {
    const arr = data as TypedArray;
    const shape = options.shape ? checkShape(options.shape) : [arr.length];
    if (numelOf(shape) !== arr.length) {
      throw new RuntimeError(`shape '[${shape.join(", ")}]' is invalid for input of size ${arr.length}`);
    }
    const dtype = options.dtype ?? dtypeOfArray(arr);
    return finish(fromValues(arr, shape, dtype), options);
  }
  const shape: number[] = [];
  let probe: NestedArray = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0] as NestedArray;
  }
  const flat: number[] = [];
  let sawFloat = false;
  let sawNumber = false;
  const walk = (x: NestedArray, depth: number): void => {
    if (depth === shape.length) {
      if (Array.isArray(x)) throw new RuntimeError(`expected a number at dim ${depth} but got a sequence`);
      if (typeof x === "boolean") flat.push(x ? 1 : 0);
      else if (typeof x === "number") {
        sawNumber = true;
        if (!Number.isInteger(x)) sawFloat = true;
        flat.push(x);
      } else throw new TypeError(`tensor(): could not infer dtype of ${typeof x}`);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) {
      throw new RuntimeError(
        `expected sequence of length ${shape[depth]} at dim ${depth} (got ${Array.isArray(x) ? x.length : "a number"})`,
      );
    }
    for (const item of x) walk(item, depth + 1);
  };
  walk(data, 0);
  const inferred: DType =
    shape.includes(0) && flat.length === 0
      ? getDefaultDtype()
      : sawFloat
        ? getDefaultDtype()
        : sawNumber
          ? "int32"
          : "bool";
  return finish(fromValues(flat, shape, options.dtype ?? inferred), options);
}

function filled(shape: readonly number[], value: number, dtype: DType, options: CreationOptions): Tensor {
  const s = checkShape(shape);
  const t = new Tensor(allocate(dtype, numelOf(s)), s);
  if (value !== 0) t.data.fill(castScalar(value, dtype));
  return finish(t, options);
}

/** A tensor of zeros. @example tg.zeros([2, 3], { dtype: "float64" }) */
export function zeros(shape: readonly number[], options: CreationOptions = {}): Tensor {
  checkDtype(options.dtype);
  return filled(shape, 0, options.dtype ?? getDefaultDtype(), options);
}

/** A tensor of ones. @example tg.ones([3]) */
export function ones(shape: readonly number[], options: CreationOptions = {}): Tensor {
  checkDtype(options.dtype);
  return filled(shape, 1, options.dtype ?? getDefaultDtype(), options);
}

/** An uninitialised tensor (zero-filled here, as typed arrays always are). @example tg.empty([4]) */
export function empty(shape: readonly number[], options: CreationOptions = {}): Tensor {
  return zeros(shape, options);
}

/** A tensor filled with one value; the dtype follows the value when not given. @example tg.full([2], 0.5) */
export function full(
  shape: readonly number[],
  value: number | boolean,
  options: CreationOptions = {},
): Tensor {
  checkDtype(options.dtype);
  const v = typeof value === "boolean" ? (value ? 1 : 0) : value;
  return filled(shape, v, options.dtype ?? scalarDtype(value), options);
}

/** Zeros with another tensor's shape (and dtype unless given). @example tg.zerosLike(p) */
export function zerosLike(t: Tensor, options: CreationOptions = {}): Tensor {
  return filled(t.shape, 0, options.dtype ?? t.dtype, options);
}

/** Ones with another tensor's shape. @example tg.onesLike(p) */
export function onesLike(t: Tensor, options: CreationOptions = {}): Tensor {
  return filled(t.shape, 1, options.dtype ?? t.dtype, options);
}

/** A constant with another tensor's shape. @example tg.fullLike(p, 0.1) */
export function fullLike(t: Tensor, value: number, options: CreationOptions = {}): Tensor {
  return filled(t.shape, value, options.dtype ?? t.dtype, options);
}

/** Lanes of PyTorch's AVX2 vectors for a dtype (the float32 kernels process 8 at a time). */
function vectorLanes(dtype: DType): number {
  return dtype === "float32" ? 8 : 4;
}

/**
 * Fill `out[0..n)` the way PyTorch's serial vectorised kernels (`cpu_serial_kernel_vec`) do: runs
 * of two vectors of `lanes` values from `vec(i, lanes)`, which writes `lanes` values starting at
 * index i, then the leftover tail one value at a time from `scalar(i)`.
 */
function fillLikeTorch(
  out: Float64Array,
  lanes: number,
  vec: (i: number, into: Float64Array) => void,
  scalar: (i: number) => number,
): void {
  const n = out.length;
  let i = 0;
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    vec(i, out);
    vec(i + lanes, out);
  }
  for (; i < n; i++) out[i] = scalar(i);
}

/**
 * Values from `start` up to (not including) `end` in steps of `step` (`torch.arange`); with one
 * argument, from 0 to it. Integer arguments give an int tensor. Values are computed in double as
 * `fma(step, i, start)` (PyTorch's compiled kernel fuses the multiply-add), and inside each
 * 8-value float32 (4-value float64) vector as `fma(k, step, base)` from the vector's first value
 * rounded to the dtype, so float32 results carry PyTorch's exact rounding.
 * @example tg.arange(5); tg.arange(0, 1, 0.25)
 */
export function arange(start: number, end?: number, step = 1, options: CreationOptions = {}): Tensor {
  checkDtype(options.dtype);
  let s = start;
  let e = end;
  if (e === undefined) {
    e = s;
    s = 0;
  }
  if (step === 0) throw new RuntimeError("step must be nonzero");
  if (!Number.isFinite(s) || !Number.isFinite(e))
    throw new RuntimeError("unsupported range: " + s + " -> " + e);
  if ((step > 0 && e < s) || (step < 0 && e > s)) {
    throw new RuntimeError("upper bound and larger bound inconsistent with step sign");
  }
  const dtype =
    options.dtype ??
    (Number.isInteger(s) && Number.isInteger(e) && Number.isInteger(step) ? "int32" : getDefaultDtype());
  const n = Math.max(Math.ceil((e - s) / step), 0);
  const values = new Float64Array(n);
  const round = (v: number) => castScalar(v, dtype);
  const lanes = vectorLanes(dtype);
  fillLikeTorch(
    values,
    lanes,
    (i, into) => {
      const base = round(fma64(step, i, s));
      into[i] = base;
      for (let k = 1; k < lanes; k++) into[i + k] = round(fma64(k, step, base));
    },
    (i) => fma64(step, i, s),
  );
  return finish(fromValues(values, [n], dtype), options);
}

/**
 * `steps` evenly spaced values from `start` to `end` inclusive (`torch.linspace`), as PyTorch's
 * kernel computes them: in the dtype's precision, the first half from `start` and the second from
 * `end` with a fused multiply-add, and inside each vector by repeated `base + k·step`.
 * @example tg.linspace(0, 1, 5)
 */
export function linspace(start: number, end: number, steps: number, options: CreationOptions = {}): Tensor {
  checkDtype(options.dtype);
  if (!Number.isInteger(steps) || steps < 0) throw new RuntimeError("number of steps must be non-negative");
  const dtype = options.dtype ?? getDefaultDtype();
  const values = new Float64Array(steps);
  if (steps === 1) values[0] = start;
  else if (steps > 1) {
    if (dtype === "float32" || dtype === "float64") {
      const r = dtype === "float32" ? Math.fround : (v: number) => v;
      const fma = dtype === "float32" ? fma32 : fma64;
      const s0 = r(start);
      const e0 = r(end);
      const step = r(r(e0 - s0) / (steps - 1));
      const half = Math.floor(steps / 2);
      const at = (i: number) => (i < half ? fma(step, i, s0) : fma(-step, steps - i - 1, e0));
      const lanes = vectorLanes(dtype);
      fillLikeTorch(
        values,
        lanes,
        (i, into) => {
          const base = at(i);
          into[i] = base;
          for (let k = 1; k < lanes; k++) into[i + k] = r(base + r(k * step));
        },
        at,
      );
    } else {
      // Integer and bool outputs: the step and the values in double, truncated on store.
      const s0 = Math.trunc(start);
      const e0 = Math.trunc(end);
      const step = (e0 - s0) / (steps - 1);
      const half = Math.floor(steps / 2);
      const at = (i: number) => (i < half ? fma64(step, i, s0) : fma64(-step, steps - i - 1, e0));
      fillLikeTorch(
        values,
        4,
        (i, into) => {
          const base = Math.trunc(at(i));
          into[i] = base;
          for (let k = 1; k < 4; k++) into[i + k] = base + k * step;
        },
        at,
      );
    }
  }
  return finish(fromValues(values, [steps], dtype), options);
}

/** An identity matrix of `n` rows and `m` (default `n`) columns. @example tg.eye(3) */
export function eye(n: number, m: number = n, options: CreationOptions = {}): Tensor {
  checkDtype(options.dtype);
  const t = filled([n, m], 0, options.dtype ?? getDefaultDtype(), {});
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return finish(t, options);
}

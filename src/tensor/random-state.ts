/**
 * numpy's legacy `np.random.RandomState` returning tsgrad tensors: float64 for floats, int32 for
 * integers (numpy's int64 values). Bit-identical to numpy 1.24 for the same seed and call
 * sequence, except `randn`/`normal`, whose last bits come from libm's `log` (within 2 ulp).
 * Omitting `size` returns a plain number, as numpy returns a Python float or int.
 */

import {
  NumpyRandomState,
  type NumpyRandomStateState,
  type NumpySeed,
  type NumpyStateTuple,
} from "../random/numpy-random-state.js";
import { IndexError, ValueError } from "../util/errors.js";
import { allocate } from "./dtype.js";
import { Tensor } from "./tensor.js";

/** A numpy `size`: one integer or an array of them. @example rs.random(3); rs.random([2, 3]) */
export type Size = number | readonly number[];

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function shapeOf(size: Size): number[] {
  const shape = typeof size === "number" ? [size] : size;
  if (!Array.isArray(shape))
    throw new TypeError(`size must be an integer or an array of integers, got ${String(size)}`);
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d)) {
      throw new TypeError(
        `'${typeof d === "number" ? "float" : typeof d}' object cannot be interpreted as an integer`,
      );
    }
    if (d < 0) throw new ValueError("negative dimensions are not allowed");
  }
  return [...shape];
}

function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function checkNumber(name: string, v: unknown): number {
  if (typeof v !== "number") throw new TypeError(`${name} must be a number, got ${typeof v}`);
  return v;
}

/**
 * numpy's legacy random generator (`np.random.RandomState`), returning tensors.
 *
 * @example
 * ```ts
 * const rs = new tg.random.RandomState(123);
 * const x = rs.random([3, 4]);   // np.random.seed(123); np.random.random((3, 4))
 * const w = rs.randn(4, 2);      // then np.random.randn(4, 2)
 * ```
 */
export class RandomState {
  /** @internal The engine that does the sampling. */
  readonly _engine: NumpyRandomState;

  /**
   * A generator seeded like `np.random.RandomState(seed)`: an integer in [0, 2³²), an array of
   * such integers, or nothing for OS entropy.
   * @example new RandomState(0)
   */
  constructor(seed?: NumpySeed) {
    this._engine = new NumpyRandomState(seed);
  }

  /**
   * Reseed (`RandomState.seed`); also clears the cached Gaussian.
   * @example rs.seed(123)
   */
  seed(seed?: NumpySeed): void {
    this._engine.seed(seed);
  }

  /** Fill a new float64 tensor of `size` with `fill`, or return one value when `size` is omitted. */
  private floats(
    size: Size | undefined,
    one: () => number,
    fill: (out: Float64Array) => void,
  ): number | Tensor {
    if (size === undefined || size === null) return one();
    const shape = shapeOf(size);
    const data = new Float64Array(numelOf(shape));
    fill(data);
    return new Tensor(data, shape);
  }

  /**
   * Uniform floats in [0, 1) (`random`, `random_sample`).
   * @example rs.random([2, 3]); rs.random() // a number
   */
  random(): number;
  random(size: Size): Tensor;
  random(size?: Size): number | Tensor {
    const e = this._engine;
    return this.floats(
      size,
      () => e.nextDouble(),
      (out) => e.randomFill(out),
    );
  }

  /**
   * Uniform floats in [0, 1) with the shape given as arguments (`rand(d0, d1, ...)`).
   * @example rs.rand(2, 3); rs.rand() // a number
   */
  rand(): number;
  rand(...dims: number[]): Tensor;
  rand(...dims: number[]): number | Tensor {
    return dims.length === 0 ? this.random() : this.random(dims);
  }

  /**
   * Standard normal floats (`standard_normal`), from the polar method with numpy's cached value.
   * @example rs.standardNormal([5])
   */
  standardNormal(): number;
  standardNormal(size: Size): Tensor;
  standardNormal(size?: Size): number | Tensor {
    const e = this._engine;
    return this.floats(
      size,
      () => e.gauss(),
      (out) => e.standardNormalFill(out),
    );
  }

  /**
   * Standard normal floats with the shape given as arguments (`randn(d0, d1, ...)`).
   * @example rs.randn(2, 3); rs.randn() // a number
   */
  randn(): number;
  randn(...dims: number[]): Tensor;
  randn(...dims: number[]): number | Tensor {
    return dims.length === 0 ? this.standardNormal() : this.standardNormal(dims);
  }

  /**
   * Normal floats `loc + scale·gauss()` (`normal`).
   * @example rs.normal(1.5, 3, [4])
   */
  normal(loc?: number, scale?: number): number;
  normal(loc: number, scale: number, size: Size): Tensor;
  normal(loc = 0, scale = 1, size?: Size): number | Tensor {
    checkNumber("loc", loc);
    checkNumber("scale", scale);
    if (!Number.isNaN(scale) && (scale < 0 || Object.is(scale, -0))) throw new ValueError("scale < 0");
    const e = this._engine;
    return this.floats(
      size,
      () => e.normal(loc, scale),
      (out) => e.normalFill(out, loc, scale),
    );
  }

  /**
   * Uniform floats `low + (high − low)·u` (`uniform`); `low > high` is allowed, as in numpy.
   * @example rs.uniform(-2, 5, [3])
   */
  uniform(low?: number, high?: number): number;
  uniform(low: number, high: number, size: Size): Tensor;
  uniform(low = 0, high = 1, size?: Size): number | Tensor {
    checkNumber("low", low);
    checkNumber("high", high);
    // numpy raises OverflowError here; tsgrad has no such class and uses ValueError.
    if (!Number.isFinite(high - low)) throw new ValueError("Range exceeds valid bounds");
    const e = this._engine;
    return this.floats(
      size,
      () => e.uniform(low, high),
      (out) => e.uniformFill(out, low, high),
    );
  }

  /**
   * Integers in [low, high) by numpy's legacy masked rejection (`randint`); `randint(high)` means
   * [0, high). With a size, an int32 tensor (the values must fit int32).
   * @example rs.randint(0, 10, [8]); rs.randint(5) // a number
   */
  randint(low: number, high?: number | null): number;
  randint(low: number, high: number | null | undefined, size: Size): Tensor;
  randint(low: number, high?: number | null, size?: Size): number | Tensor {
    let lo = low;
    let hi = high;
    if (hi === undefined || hi === null) {
      hi = lo;
      lo = 0;
    }
    for (const [name, v] of [
      ["low", lo],
      ["high", hi],
    ] as const) {
      if (typeof v !== "number" || !Number.isInteger(v)) {
        throw new TypeError(`randint(): ${name} must be an integer, got ${String(v)}`);
      }
    }
    const shape = size === undefined || size === null ? null : shapeOf(size);
    if (shape && numelOf(shape) === 0) return new Tensor(new Int32Array(0), shape);
    if (lo < -(2 ** 63)) throw new ValueError("low is out of bounds for int64");
    if (hi - 1 > 2 ** 63 - 1) throw new ValueError("high is out of bounds for int64");
    if (lo > hi - 1) throw new ValueError(lo === 0 ? "high <= 0" : "low >= high");
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) {
      throw new ValueError(`randint(): bounds beyond ±2^53 are not exact as JS numbers, got ${lo} and ${hi}`);
    }
    if (shape === null) return this._engine.randint(lo, hi);
    if (lo < INT32_MIN || hi - 1 > INT32_MAX) {
      throw new ValueError(
        `randint(): values in [${lo}, ${hi}) do not fit int32, the storage tsgrad uses for numpy's int64`,
      );
    }
    const data = new Int32Array(numelOf(shape));
    this._engine.randintFill(data, lo, hi);
    return new Tensor(data, shape);
  }

  /**
   * A shuffled copy (`permutation`): of `arange(n)` for a number (int32; n ≤ 0 gives an empty
   * tensor), or of a tensor's rows (same dtype, contiguous).
   * @example rs.permutation(10); rs.permutation(x)
   */
  permutation(x: number | Tensor): Tensor {
    if (typeof x === "number") {
      if (!Number.isInteger(x)) throw new TypeError("permutation(): x must be an integer or a Tensor");
      if (x > INT32_MAX + 1) throw new ValueError("permutation(): n does not fit int32 storage");
      return new Tensor(this._engine.permutation(x), [Math.max(0, x)]);
    }
    if (!(x instanceof Tensor)) throw new TypeError("permutation(): x must be an integer or a Tensor");
    if (x.ndim < 1) throw new IndexError("x must be an integer or at least 1-dimensional");
    const src = x.toTypedArray();
    const rows = x.shape[0]!;
    const rowSize = rows === 0 ? 0 : src.length / rows;
    if (x.ndim === 1) {
      const copy = src.slice();
      this._engine.shuffle(copy);
      return new Tensor(copy, x.shape);
    }
    const idx = this._engine.permutation(rows);
    const out = allocate(x.dtype, src.length);
    for (let r = 0; r < rows; r++)
      out.set(src.subarray(idx[r]! * rowSize, (idx[r]! + 1) * rowSize), r * rowSize);
    return new Tensor(out, x.shape);
  }

  /**
   * Shuffle a tensor in place along its first dimension (`shuffle`); views write through.
   * @example rs.shuffle(x)
   */
  shuffle(x: Tensor): void {
    if (!(x instanceof Tensor)) throw new TypeError("shuffle(): x must be a Tensor");
    if (x.ndim === 0) throw new TypeError("len() of unsized object");
    x._checkInplace();
    const rows = x.shape[0]!;
    if (rows <= 1) return;
    // Storage offsets of the elements of row 0, relative to the row start.
    const inner = x.shape.slice(1);
    const innerStrides = x.strides.slice(1);
    const rel: number[] = [];
    const walk = (d: number, base: number): void => {
      if (d === inner.length) {
        rel.push(base);
        return;
      }
      for (let i = 0; i < inner[d]!; i++) walk(d + 1, base + i * innerStrides[d]!);
    };
    walk(0, 0);
    const data = x.data;
    const stride0 = x.strides[0]!;
    this._engine.shuffleWith(rows, (i, j) => {
      if (i === j) return;
      const a = x.offset + i * stride0;
      const b = x.offset + j * stride0;
      for (const r of rel) {
        const t = data[a + r]!;
        data[a + r] = data[b + r]!;
        data[b + r] = t;
      }
    });
    x._bumpVersion();
  }

  /**
   * The state (`get_state()`): MT19937 words, position and the Gaussian cache.
   * @example const s = rs.getState(); rs.randn(3); rs.setState(s);
   */
  getState(): NumpyRandomStateState {
    return this._engine.getState();
  }

  /**
   * Restore a state from {@link getState} or numpy's tuple `['MT19937', key, pos, hasGauss, cached]`.
   * @example rs.setState(saved)
   */
  setState(state: NumpyRandomStateState | NumpyStateTuple): void {
    this._engine.setState(state);
  }
}

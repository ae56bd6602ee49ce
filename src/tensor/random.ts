/**
 * PyTorch's random tensor API on the CPU generator: `Generator`, `manualSeed`, `rand`, `randn`,
 * `randint`, `randperm`, `normal`, `randLike`, `randnLike`, and the kernels behind the in-place
 * `uniform_`, `normal_` and `bernoulli_`. For the same seed and call sequence the numbers are
 * PyTorch 1.13's on x86-64 (bit-exact, except float64 normals, whose last bits come from libm;
 * see `random/torch-generator.ts`). All functions share the default generator's state, as in
 * PyTorch, unless a `generator` is passed.
 *
 * Non-contiguous targets are filled in memory order (PyTorch's TensorIterator order), and
 * `normal_` on them always takes the scalar Box–Muller path, as PyTorch does.
 */

import { TorchCpuGenerator } from "../random/torch-generator.js";
import { RuntimeError } from "../util/errors.js";
import { noGrad } from "../autograd/grad-mode.js";
import { allocate, getDefaultDtype, isDType, isFloatingDType, type DType, type TypedArray } from "./dtype.js";
import { assertKnownOptions } from "../util/options.js";
import { broadcastShapes, contiguousStrides } from "./shape.js";
import { Tensor } from "./tensor.js";

// ---- Generator ------------------------------------------------------------------------------

/** A seed as a number, or a bigint for the full uint64 range PyTorch accepts. @example tg.manualSeed(2n ** 40n) */
export type Seed = number | bigint;

function seedOut(s: bigint): number | bigint {
  return s <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(s) : s;
}

/**
 * A CPU random number generator (`torch.Generator()`): MT19937 plus the cached second normal of
 * the Box–Muller pair. Pass one as `{ generator }` to keep a stream separate from the default one.
 *
 * @example
 * ```ts
 * const g = new tg.Generator().manualSeed(0);
 * const x = tg.randn([3], { generator: g }); // torch.randn(3, generator=torch.Generator().manual_seed(0))
 * ```
 */
export class Generator {
  /** @internal The engine that does the sampling. */
  readonly _engine: TorchCpuGenerator;

  /**
   * A generator with PyTorch's fixed default seed 67280421310721 (as `torch.Generator()`).
   * @example const g = new tg.Generator();
   */
  constructor(options: { device?: "cpu" } = {}) {
    assertKnownOptions("Generator", options, ["device"]);
    if (options.device !== undefined && options.device !== "cpu") {
      throw new RuntimeError(`Device type ${String(options.device)} is not supported by tsgrad's Generator`);
    }
    this._engine = new TorchCpuGenerator();
  }

  /** Always `"cpu"`. @example g.device // "cpu" */
  get device(): "cpu" {
    return "cpu";
  }

  /**
   * Seed the generator (`manual_seed`) and return it. Only `seed mod 2³²` reaches MT19937;
   * negative seeds down to −2⁶³ wrap into uint64 as in PyTorch.
   * @example const g = new tg.Generator().manualSeed(42);
   */
  manualSeed(seed: Seed): this {
    this._engine.manualSeed(seed);
    return this;
  }

  /**
   * The seed last set (`initial_seed()`): a number, or a bigint above 2⁵³ − 1.
   * @example new tg.Generator().manualSeed(7).initialSeed() // 7
   */
  initialSeed(): number | bigint {
    return seedOut(this._engine.initialSeed());
  }

  /**
   * Reseed from OS entropy and return the new seed (`seed()`).
   * @example const s = g.seed();
   */
  seed(): number | bigint {
    return seedOut(this._engine.seed());
  }

  /**
   * The state as `torch.Generator.get_state()` bytes (5056 bytes, PyTorch's layout), so a
   * state saved by PyTorch can be loaded here and the other way round.
   * @example const s = g.getState(); tg.rand([2], { generator: g }); g.setState(s);
   */
  getState(): Uint8Array {
    return this._engine.getState();
  }

  /**
   * Restore a state from {@link getState} or PyTorch's `get_state()` bytes; returns the generator.
   * @example g.setState(saved)
   */
  setState(state: Uint8Array | Tensor | ArrayLike<number>): this {
    let bytes: ArrayLike<number>;
    if (state instanceof Tensor) bytes = state.toTypedArray();
    else if (state instanceof Uint8Array || Array.isArray(state)) bytes = state;
    else throw new TypeError("RNG state must be a torch.ByteTensor");
    if (!(bytes instanceof Uint8Array)) {
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i]!;
        if (!Number.isInteger(b) || b < 0 || b > 255)
          throw new TypeError("RNG state must be a torch.ByteTensor");
      }
    }
    this._engine.setState(bytes);
    return this;
  }
}

/**
 * The generator every random function uses when none is given (`torch.default_generator`).
 * Seeded nondeterministically at load, as in PyTorch; call {@link manualSeed} for reproducibility.
 * @example tg.defaultGenerator.manualSeed(0)
 */
export const defaultGenerator: Generator = new Generator();
defaultGenerator.seed();

/**
 * Seed the default generator (`torch.manual_seed`) and return it.
 * @example tg.manualSeed(0); tg.rand([2]) // same numbers as torch.manual_seed(0); torch.rand(2)
 */
export function manualSeed(seed: Seed): Generator {
  return defaultGenerator.manualSeed(seed);
}

/**
 * The default generator's seed (`torch.initial_seed`).
 * @example tg.manualSeed(3); tg.initialSeed() // 3
 */
export function initialSeed(): number | bigint {
  return defaultGenerator.initialSeed();
}

/**
 * Reseed the default generator nondeterministically and return the seed (`torch.seed`).
 * @example const s = tg.seed();
 */
export function seed(): number | bigint {
  return defaultGenerator.seed();
}

/**
 * The default generator's state bytes (`torch.get_rng_state`).
 * @example const s = tg.getRngState(); tg.randn([3]); tg.setRngState(s);
 */
export function getRngState(): Uint8Array {
  return defaultGenerator.getState();
}

/**
 * Restore the default generator's state (`torch.set_rng_state`).
 * @example tg.setRngState(saved)
 */
export function setRngState(state: Uint8Array | Tensor | ArrayLike<number>): void {
  defaultGenerator.setState(state);
}

function engineOf(generator: Generator | undefined | null): TorchCpuGenerator {
  if (generator === undefined || generator === null) return defaultGenerator._engine;
  if (!(generator instanceof Generator)) {
    throw new TypeError(`generator must be a tg.Generator, got ${typeof generator}`);
  }
  return generator._engine;
}

// ---- messages -------------------------------------------------------------------------------

/** A double as C++'s `ostream <<` prints it (`%g` with 6 significant digits), for PyTorch's messages. */
function cpp(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mant, expText] = x.toExponential(5).split("e") as [string, string];
  const exp = Number(expText);
  const strip = (s: string): string => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (exp < -4 || exp >= 6) {
    return `${strip(mant)}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return strip(x.toFixed(5 - exp));
}

/** PyTorch's C++ type name of a dtype as kernels print it ("not implemented for 'Long'"). */
function kernelTypeName(dtype: DType): string {
  return { float32: "Float", float64: "Double", int32: "Long", bool: "Bool" }[dtype];
}

/** The `caffe2::TypeMeta` name PyTorch prints in bounds errors ("out of bounds for float"). */
function metaName(dtype: DType): string {
  return { float32: "float", float64: "double", int32: "long int", bool: "bool" }[dtype];
}

// ---- memory order ---------------------------------------------------------------------------

/**
 * Storage indices of a tensor's elements in the order PyTorch's TensorIterator visits them for an
 * output-only kernel: dimensions sorted by stride with the innermost (smallest stride) fastest,
 * using the same insertion sort and tie rules.
 */
function memoryOrderPositions(t: Tensor): Int32Array | Float64Array {
  const nd = t.shape.length;
  const shape = t.shape;
  const strides = t.strides;
  // perm[0] is the fastest-moving dimension.
  const perm: number[] = [];
  for (let i = nd - 1; i >= 0; i--) perm.push(i);
  const shouldSwap = (d0: number, d1: number): number => {
    const s0 = strides[d0]!;
    const s1 = strides[d1]!;
    if (s0 === 0 || s1 === 0) return 0;
    if (s0 < s1) return -1;
    if (s0 > s1) return 1;
    return shape[d0]! > shape[d1]! ? 1 : 0;
  };
  for (let i = 1; i < nd; i++) {
    let d1 = i;
    for (let d0 = i - 1; d0 >= 0; d0--) {
      const c = shouldSwap(perm[d0]!, perm[d1]!);
      if (c > 0) {
        const tmp = perm[d0]!;
        perm[d0] = perm[d1]!;
        perm[d1] = tmp;
        d1 = d0;
      } else if (c < 0) break;
    }
  }
  const n = t.numel();
  const out = t.data.length < 2 ** 31 ? new Int32Array(n) : new Float64Array(n);
  const counter = new Array<number>(nd).fill(0);
  let pos = t.offset;
  for (let k = 0; k < n; k++) {
    out[k] = pos;
    for (let q = 0; q < nd; q++) {
      const d = perm[q]!;
      counter[d]!++;
      pos += strides[d]!;
      if (counter[d]! < shape[d]!) break;
      pos -= strides[d]! * shape[d]!;
      counter[d] = 0;
    }
  }
  return out;
}

/** PyTorch's internal-overlap check for written tensors: a broadcast (stride-0) dimension. */
function assertNoInternalOverlap(t: Tensor): void {
  for (let d = 0; d < t.shape.length; d++) {
    if (t.strides[d] === 0 && t.shape[d]! > 1) {
      throw new RuntimeError(
        "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.",
      );
    }
  }
}

/**
 * Run `fill` on the tensor's elements in PyTorch's order: directly on the storage when the
 * tensor is contiguous, otherwise on a dense scratch buffer scattered back in memory order.
 */
function fillInOrder(
  t: Tensor,
  contiguousFill: (buf: TypedArray) => void,
  stridedFill = contiguousFill,
): void {
  const n = t.numel();
  if (n === 0) return;
  if (t.isContiguous()) {
    contiguousFill(t.data.subarray(t.offset, t.offset + n));
    return;
  }
  const scratch = allocate(t.dtype, n);
  stridedFill(scratch);
  const positions = memoryOrderPositions(t);
  const data = t.data;
  for (let k = 0; k < n; k++) data[positions[k]!] = scratch[k]!;
}

function checkFloatTarget(t: Tensor, kernel: string): void {
  if (!isFloatingDType(t.dtype)) {
    throw new RuntimeError(`"${kernel}" not implemented for '${kernelTypeName(t.dtype)}'`);
  }
}

function checkTensor(t: unknown, fn: string): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${fn}() expected a Tensor, got ${typeof t}`);
}

// ---- in-place kernels -----------------------------------------------------------------------

/**
 * Fill `t` in place with uniform samples in `[from, to)` (`Tensor.uniform_`): `from` and `to` are
 * cast to the dtype, and each value is `fma(x, to − from, from)` for a unit uniform x.
 * @example uniformInPlace(w, -0.1, 0.1)
 */
export function uniformInPlace(t: Tensor, from = 0, to = 1, generator?: Generator): void {
  checkTensor(t, "uniform_");
  t._checkInplace();
  checkFloatTarget(t, "check_uniform_bounds");
  const limit = t.dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
  const meta = metaName(t.dtype);
  if (!(from >= -limit && from <= limit)) throw new RuntimeError(`from is out of bounds for ${meta}`);
  if (!(to >= -limit && to <= limit)) throw new RuntimeError(`to is out of bounds for ${meta}`);
  if (from > to) {
    throw new RuntimeError(
      `uniform_ expects to return a [from, to) range, but found from=${cpp(from)} > to=${cpp(to)}`,
    );
  }
  if (!(to - from <= limit)) {
    throw new RuntimeError(
      `uniform_ expects to-from <= std::numeric_limits<${kernelTypeName(t.dtype)}>::max(), but found to=${cpp(to)} and from=${cpp(from)} which result in to-from to exceed the limit`,
    );
  }
  assertNoInternalOverlap(t);
  const engine = engineOf(generator);
  fillInOrder(t, (buf) => engine.uniformFill(buf as Float32Array | Float64Array, from, to));
  t._bumpVersion();
}

/**
 * Fill `t` in place with normal samples (`Tensor.normal_`). Contiguous float tensors of 16 or more
 * elements use PyTorch's 16-wide block path; smaller or non-contiguous ones the scalar Box–Muller
 * path, which shares the generator's cached second value.
 * @example normalInPlace(w, 0, 0.02)
 */
export function normalInPlace(t: Tensor, mean = 0, std = 1, generator?: Generator): void {
  checkTensor(t, "normal_");
  t._checkInplace();
  if (!(std >= 0)) throw new RuntimeError(`normal expects std >= 0.0, but found std ${cpp(std)}`);
  checkFloatTarget(t, "normal_kernel_cpu");
  assertNoInternalOverlap(t);
  const engine = engineOf(generator);
  fillInOrder(
    t,
    (buf) => engine.normalFill(buf as Float32Array | Float64Array, mean, std),
    (buf) => engine.normalFillScalar(buf as Float32Array | Float64Array, mean, std),
  );
  t._bumpVersion();
}

/**
 * Fill `t` in place with Bernoulli(p) samples, 1 with probability p and 0 otherwise
 * (`Tensor.bernoulli_(p)`; any dtype). Each element compares one unit double (two words) with p,
 * as PyTorch's CPU kernel does in builds without MKL; `nn.Dropout` draws its mask this way.
 * @example bernoulliInPlace(mask, 0.9)
 */
export function bernoulliInPlace(t: Tensor, p = 0.5, generator?: Generator): void {
  checkTensor(t, "bernoulli_");
  t._checkInplace();
  if (!(p >= 0 && p <= 1))
    throw new RuntimeError(`bernoulli_ expects p to be in [0, 1], but got p=${cpp(p)}`);
  assertNoInternalOverlap(t);
  const engine = engineOf(generator);
  fillInOrder(t, (buf) => engine.bernoulliFill(buf, p));
  t._bumpVersion();
}

// ---- factories ------------------------------------------------------------------------------

/** Options of the random factories. @example tg.randn([3], { dtype: "float64", generator: g, requiresGrad: true }) */
export interface RandomOptions {
  /** Element type (default: the default float dtype; int32 for randint/randperm). */
  dtype?: DType;
  /** Generator to draw from (default: {@link defaultGenerator}). */
  generator?: Generator;
  /** Make the result a leaf that requires grad. */
  requiresGrad?: boolean;
}

const FACTORY_OPTIONS = ["dtype", "generator", "requiresGrad"] as const;

function checkFactoryOptions(fn: string, options: RandomOptions): void {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${fn}() options must be an object`);
  }
  assertKnownOptions(fn, options, FACTORY_OPTIONS);
  if (options.dtype !== undefined && !isDType(options.dtype)) {
    throw new TypeError(
      `dtype must be one of "float32", "float64", "int32", "bool", got ${JSON.stringify(options.dtype)}`,
    );
  }
}

/** A size argument as PyTorch accepts it: an array of non-negative integers, or one integer. */
function sizeOf(size: readonly number[] | number): number[] {
  const shape = typeof size === "number" ? [size] : size;
  if (!Array.isArray(shape)) throw new TypeError(`size must be an array of integers, got ${String(size)}`);
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d)) {
      throw new TypeError(`size must contain integers, got [${shape.join(", ")}]`);
    }
    if (d < 0)
      throw new RuntimeError(`Trying to create tensor with negative dimension ${d}: [${shape.join(", ")}]`);
  }
  return [...shape];
}

function finish(t: Tensor, options: RandomOptions): Tensor {
  if (options.requiresGrad) t.requiresGrad_(true);
  return t;
}

/**
 * A tensor of uniform samples in [0, 1) (`torch.rand`).
 * @example tg.manualSeed(0); tg.rand([2, 3]); tg.rand([4], { dtype: "float64" })
 */
export function rand(size: readonly number[] | number, options: RandomOptions = {}): Tensor {
  checkFactoryOptions("rand", options);
  const t = Tensor._empty(sizeOf(size), options.dtype ?? getDefaultDtype());
  uniformInPlace(t, 0, 1, options.generator);
  return finish(t, options);
}

/**
 * A tensor of standard normal samples (`torch.randn`).
 * @example tg.manualSeed(0); tg.randn([2, 3])
 */
export function randn(size: readonly number[] | number, options: RandomOptions = {}): Tensor {
  checkFactoryOptions("randn", options);
  const t = Tensor._empty(sizeOf(size), options.dtype ?? getDefaultDtype());
  normalInPlace(t, 0, 1, options.generator);
  return finish(t, options);
}

/** An uninitialised tensor like `t` (`empty_like`, preserve format): same strides when dense. */
function emptyLike(t: Tensor, dtype: DType): Tensor {
  const n = t.numel();
  const dims = t.shape.map((_, d) => d).filter((d) => t.shape[d] !== 1);
  dims.sort((a, b) => t.strides[a]! - t.strides[b]!);
  let expected = 1;
  let dense = true;
  for (const d of dims) {
    if (t.strides[d] !== expected) {
      dense = false;
      break;
    }
    expected *= t.shape[d]!;
  }
  return new Tensor(allocate(dtype, n), t.shape, dense ? t.strides : contiguousStrides(t.shape));
}

/**
 * Uniform samples in [0, 1) shaped like `t` (`torch.rand_like`); keeps a dense input's strides.
 * @example tg.randLike(x)
 */
export function randLike(t: Tensor, options: RandomOptions = {}): Tensor {
  checkTensor(t, "rand_like");
  checkFactoryOptions("rand_like", options);
  const out = emptyLike(t, options.dtype ?? t.dtype);
  uniformInPlace(out, 0, 1, options.generator);
  return finish(out, options);
}

/**
 * Standard normal samples shaped like `t` (`torch.randn_like`); keeps a dense input's strides,
 * so a transposed input takes the scalar path, as in PyTorch.
 * @example tg.randnLike(x)
 */
export function randnLike(t: Tensor, options: RandomOptions = {}): Tensor {
  checkTensor(t, "randn_like");
  checkFactoryOptions("randn_like", options);
  const out = emptyLike(t, options.dtype ?? t.dtype);
  normalInPlace(out, 0, 1, options.generator);
  return finish(out, options);
}

/**
 * PyTorch's `update_from`/`update_to` for a float32 target: when `from + 1` or `to − 1` is not a
 * float32, the bound moves inward to the next representable integer, which changes the range the
 * modulo uses. (float64 needs no change for the safe-integer bounds accepted here.)
 */
function float32FromTo(low: number, high: number): [number, number] {
  const DIGITS = 24;
  // Index of the highest set bit, as C++'s `while (v >>= 1) ++n;` computes it.
  const highBit = (v: number): number => {
    let n = 0;
    for (let x = Math.abs(v); x >= 2; x = Math.floor(x / 2)) n++;
    return n;
  };
  let from = low;
  let to = high;
  const fromPlus1 = Math.trunc(Math.fround(from + 1));
  if (fromPlus1 < from) {
    from = fromPlus1 + 2 ** (highBit(from + 1) - DIGITS + 1);
  }
  const toMinus1 = Math.trunc(Math.fround(to - 1));
  if (toMinus1 >= to) {
    to = toMinus1 - 2 ** (highBit(to - 1) - DIGITS + 1);
  }
  if (from >= to) {
    throw new RuntimeError(
      `random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but got from=${from} >= to=${to}`,
    );
  }
  return [from, to];
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Integers drawn uniformly from [low, high) (`torch.randint`), as int32 (PyTorch's int64 values)
 * or the given dtype: `(r mod (high − low)) + low` per element, where r is one 32-bit word, or a
 * 64-bit draw when the range is 2³² or more. `randint(high, size)` means low = 0.
 * @example tg.manualSeed(0); tg.randint(0, 10, [8]); tg.randint(5, [3])
 */
export function randint(high: number, size: readonly number[] | number, options?: RandomOptions): Tensor;
export function randint(
  low: number,
  high: number,
  size: readonly number[] | number,
  options?: RandomOptions,
): Tensor;
export function randint(
  a: number,
  b: number | readonly number[],
  c?: readonly number[] | number | RandomOptions,
  d?: RandomOptions,
): Tensor {
  let low: number;
  let high: number;
  let size: readonly number[] | number;
  let options: RandomOptions;
  if (typeof b === "number" && (typeof c === "number" || Array.isArray(c))) {
    low = a;
    high = b;
    size = c as readonly number[] | number;
    options = d ?? {};
  } else {
    low = 0;
    high = a;
    size = b;
    options = (c as RandomOptions | undefined) ?? {};
  }
  checkFactoryOptions("randint", options);
  for (const [name, v] of [
    ["low", low],
    ["high", high],
  ] as const) {
    if (typeof v !== "number" || !Number.isSafeInteger(v)) {
      throw new TypeError(`randint(): ${name} must be a safe integer, got ${String(v)}`);
    }
  }
  const dtype = options.dtype ?? "int32";
  const shape = sizeOf(size);
  if (low >= high) {
    throw new RuntimeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  }
  if (dtype === "int32" || dtype === "bool") {
    const [min, max] = dtype === "bool" ? [0, 1] : [INT32_MIN, INT32_MAX];
    const note =
      dtype === "int32"
        ? ' (tsgrad stores PyTorch\'s int64 tensors as int32; pass { dtype: "float64" } for a wider range)'
        : "";
    if (low < min || low > max) throw new RuntimeError(`from is out of bounds for ${metaName(dtype)}${note}`);
    if (high - 1 < min || high - 1 > max) {
      throw new RuntimeError(`to - 1 is out of bounds for ${metaName(dtype)}${note}`);
    }
  }
  if (dtype === "float32") [low, high] = float32FromTo(low, high);
  const t = Tensor._empty(shape, dtype);
  const n = t.numel();
  if (n > 0) {
    const engine = engineOf(options.generator);
    if (dtype === "bool") {
      const tmp = new Int32Array(n);
      engine.randintFill(tmp, low, high);
      (t.data as Uint8Array).set(tmp);
    } else {
      engine.randintFill(t.data as Int32Array | Float32Array | Float64Array, low, high);
    }
  }
  return finish(t, options);
}

/**
 * A random permutation of 0..n−1 (`torch.randperm`), int32 by default.
 * @example tg.manualSeed(0); tg.randperm(10)
 */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  checkFactoryOptions("randperm", options);
  if (typeof n !== "number" || !Number.isInteger(n))
    throw new TypeError(`randperm(): n must be an integer, got ${n}`);
  if (n < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${n}: [${n}]`);
  const dtype = options.dtype ?? "int32";
  if (dtype === "bool") throw new RuntimeError(`"randperm" not implemented for 'Bool'`);
  if (dtype === "float32" && n > 2 ** 24 + 1)
    throw new RuntimeError("n cannot be greater than 2^24+1 for Float type.");
  if (dtype === "int32" && n - 1 > INT32_MAX) {
    throw new RuntimeError(
      `n is too large for result tensor type: 'torch.LongTensor' (tsgrad stores it as int32)`,
    );
  }
  const perm = engineOf(options.generator).randperm(n);
  const t = Tensor._empty([n], dtype);
  t.data.set(perm);
  return finish(t, options);
}

/** Options of {@link normal} (the same as the other factories). @example tg.normal(0, 1, [3], { dtype: "float64" }) */
export type NormalOptions = RandomOptions;

/**
 * Normal samples (`torch.normal`): with numbers `mean`, `std` and a `size`, a new tensor filled
 * by `normal_(mean, std)`; with a tensor mean and/or std, samples shaped like them (broadcast),
 * drawn as PyTorch does: `normal_(0, std)` then `+ mean` for a number std, otherwise
 * `normal_(0, 1)`, then `× std`, then `+ mean`, each step rounded to the output dtype. The result
 * does not require grad.
 * @example tg.normal(0.5, 2, [17]); tg.normal(meanTensor, 0.5)
 */
export function normal(
  mean: number,
  std: number,
  size: readonly number[] | number,
  options?: NormalOptions,
): Tensor;
export function normal(mean: Tensor | number, std?: Tensor | number, options?: NormalOptions): Tensor;
export function normal(
  mean: Tensor | number,
  std: Tensor | number = 1,
  c?: readonly number[] | number | NormalOptions,
  d?: NormalOptions,
): Tensor {
  const hasSize = typeof c === "number" || Array.isArray(c);
  const options = ((hasSize ? d : c) ?? {}) as NormalOptions;
  checkFactoryOptions("normal", options);
  if (!(mean instanceof Tensor) && !(std instanceof Tensor)) {
    if (!hasSize) throw new TypeError("normal(): with a number mean and std, a size is required");
    if (!(std >= 0)) throw new RuntimeError(`normal expects std >= 0.0, but found std ${cpp(std)}`);
    const t = Tensor._empty(sizeOf(c as readonly number[] | number), options.dtype ?? getDefaultDtype());
    normalInPlace(t, mean, std, options.generator);
    return finish(t, options);
  }
  if (hasSize) {
    throw new TypeError("normal(): a size can only be given with a number mean and a number std");
  }
  if (options.dtype !== undefined || options.requiresGrad !== undefined) {
    throw new TypeError("normal(): dtype and requiresGrad can only be given with a number mean and std");
  }
  return noGrad(() => {
    if (mean instanceof Tensor && !(std instanceof Tensor)) {
      if (!(std >= 0)) throw new RuntimeError(`normal expects std >= 0.0, but found std ${cpp(std)}`);
      const out = Tensor._empty(mean.shape, mean.dtype);
      normalInPlace(out, 0, std, options.generator);
      return castTo(out.add(mean), out.dtype);
    }
    const stdT = std as Tensor;
    if (!allNonNegative(stdT)) throw new RuntimeError("normal expects all elements of std >= 0.0");
    let out: Tensor;
    let meanT: Tensor;
    if (mean instanceof Tensor) {
      out = Tensor._empty(broadcastShapes(mean.shape, stdT.shape), mean.dtype);
      meanT = mean;
    } else {
      out = Tensor._empty(stdT.shape, stdT.dtype);
      meanT = Tensor._empty([], stdT.dtype);
      meanT.data[0] = out.dtype === "float32" ? Math.fround(mean) : mean;
    }
    normalInPlace(out, 0, 1, options.generator);
    const scaled = castTo(out.mul(stdT), out.dtype);
    return castTo(scaled.add(meanT), out.dtype);
  });
}

function castTo(t: Tensor, dtype: DType): Tensor {
  return t.dtype === dtype ? t : t.to(dtype);
}

function allNonNegative(t: Tensor): boolean {
  const values = t.toTypedArray();
  for (let i = 0; i < values.length; i++) if (!(values[i]! >= 0)) return false;
  return true;
}

/** @internal Exposed for tests: the storage order PyTorch fills a strided tensor in. @example _memoryOrderPositions(x.t()) */
export const _memoryOrderPositions = memoryOrderPositions;

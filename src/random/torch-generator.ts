/**
 * PyTorch 1.13's CPU generator (`CPUGeneratorImpl`) and its CPU sampling kernels, bit-identical on
 * x86-64 builds (AVX2 kernels compiled with FMA contraction; `rng-spec.md` §3). Outputs go into
 * plain typed arrays in storage order; the tensor-level API lives in `tensor/random.ts`.
 *
 * What is exact: raw words, unit uniforms, `uniform_` (one fused multiply-add), the float32
 * normal block path (Cephes polynomials), randint, randperm, bernoulli. What is not: float64
 * normals take their last bits from glibc's log/sin/cos; tsgrad evaluates them nearly correctly
 * rounded (`accurate-math.ts`), which differs from glibc on a fraction of a percent of values,
 * by an ulp or two.
 */

import { fma32, fma64 } from "../util/fma.js";
import { RuntimeError } from "../util/errors.js";
import { MT19937, MT_STATE_SIZE } from "./mt19937.js";
import { normalFill16Avx2 } from "./avx2-normal.js";
import { entropyWords } from "./entropy.js";
import { accurateLog, accurateSinCos } from "./accurate-math.js";

/** The seed of a `torch.Generator()` that was never seeded explicitly. @example new TorchCpuGenerator().initialSeed() === DEFAULT_GENERATOR_SEED */
export const DEFAULT_GENERATOR_SEED = 67280421310721n;

/** Bytes in PyTorch's `get_rng_state()` for a CPU generator (`CPUGeneratorImplState`). @example g.getState().length === TORCH_STATE_SIZE */
export const TORCH_STATE_SIZE = 5056;
/** Bytes in the pre-1.5 legacy state layout (`CPUGeneratorImplStateLegacy`), still accepted. @example g.setState(legacyBytes) // length TORCH_LEGACY_STATE_SIZE */
export const TORCH_LEGACY_STATE_SIZE = 5048;

/**
 * First n at which current PyTorch's randperm switches to the inside-out shuffle with 64-bit
 * draws: `n < UINT32_MAX / 20` in integer arithmetic keeps the 1.13 algorithm.
 * @example g.randperm(10, RANDPERM_LARGE_N) // the 1.13 algorithm
 */
export const RANDPERM_LARGE_N = Math.floor(0xffffffff / 20);

const TWO_PI_D = 2 * Math.PI;
const TWO_M24 = 2 ** -24;
const TWO_M53 = 2 ** -53;
const TWO32 = 4294967296;

// Byte offsets inside CPUGeneratorImplState (x86-64, little-endian, natural alignment).
const OFF_SEED = 0;
const OFF_LEFT = 8;
const OFF_SEEDED = 12;
const OFF_NEXT = 16;
const OFF_KEY = 24;
const OFF_NORMAL_X = OFF_KEY + 8 * MT_STATE_SIZE; // 5016
const OFF_NORMAL_Y = OFF_NORMAL_X + 8;
const OFF_NORMAL_RHO = OFF_NORMAL_Y + 8;
const OFF_NORMAL_VALID = OFF_NORMAL_RHO + 8; // 5040
const OFF_FLOAT_NORMAL = 5048;
const OFF_FLOAT_NORMAL_VALID = 5052;

/**
 * Which of PyTorch's x86-64 kernel builds to reproduce: `"avx2"` (what every AVX2 CPU runs, the
 * default; multiply-adds fused) or `"default"` (`ATEN_CPU_CAPABILITY=default`: separate multiply
 * and add, and the float32 normal block through libm's logf/cosf/sinf, which JS can only
 * approximate by rounding double results to float32, so that path is not bit-exact).
 * @example new TorchCpuGenerator(0, "default")
 */
export type TorchCpuCapability = "avx2" | "default";

/** `(hi·2³² + lo) mod m` without BigInt, for 1 ≤ m ≤ 2³⁷ (Horner in 16-bit chunks stays exact). */
function mod64(hi: number, lo: number, m: number): number {
  let x = hi % m;
  x = (x * 65536 + (lo >>> 16)) % m;
  return (x * 65536 + (lo & 0xffff)) % m;
}

/** Normalise a seed the way `torch.manual_seed` does: Python `int()`, then wrap into uint64. @example normalizeTorchSeed(-1) // 2n ** 64n - 1n */
export function normalizeTorchSeed(seed: number | bigint): bigint {
  let s: bigint;
  if (typeof seed === "bigint") s = seed;
  else {
    if (!Number.isFinite(seed)) throw new TypeError(`manual_seed expected an integer seed, got ${seed}`);
    s = BigInt(Math.trunc(seed));
  }
  if (s < -(2n ** 63n) || s > 2n ** 64n - 1n) throw new RuntimeError("Overflow when unpacking long");
  return BigInt.asUintN(64, s);
}

/**
 * PyTorch's CPU generator: MT19937 plus the cached second value of the double Box–Muller, with
 * the sampling kernels of `torch.rand`, `randn`, `randint`, `randperm`, `uniform_`, `normal_` and
 * `bernoulli_`.
 *
 * @example
 * ```ts
 * const g = new TorchCpuGenerator(0);
 * const x = new Float32Array(5);
 * g.normalFill(x, 0, 1); // torch.manual_seed(0); torch.randn(5)
 * ```
 */
export class TorchCpuGenerator {
  private readonly mt = new MT19937(0);
  private seedValue = 0n;
  /** The cached `r·sin θ` of the double Box–Muller (PyTorch's `next_double_normal_sample`). */
  private normalCache: number | null = null;
  /** PyTorch's float cache; no CPU kernel uses it, it is only carried through get/set state. */
  private floatNormalCache: number | null = null;
  /** The kernel build whose arithmetic is reproduced. */
  capability: TorchCpuCapability;

  /**
   * A generator seeded with `manual_seed(seed)` (default: PyTorch's fixed default seed).
   * @example new TorchCpuGenerator(42)
   */
  constructor(seed: number | bigint = DEFAULT_GENERATOR_SEED, capability: TorchCpuCapability = "avx2") {
    this.capability = capability;
    this.manualSeed(seed);
  }

  /**
   * Seed (`manual_seed`): MT19937 with `seed mod 2³²`; clears the normal caches. Negative seeds
   * wrap into uint64 as in PyTorch; the full value is what {@link initialSeed} reports.
   * @example g.manualSeed(0)
   */
  manualSeed(seed: number | bigint): this {
    this.seedValue = normalizeTorchSeed(seed);
    this.mt.initGenrand(Number(this.seedValue & 0xffffffffn));
    this.normalCache = null;
    this.floatNormalCache = null;
    return this;
  }

  /**
   * The seed last given to {@link manualSeed} or {@link seed}, as a uint64.
   * @example new TorchCpuGenerator(5).initialSeed() // 5n
   */
  initialSeed(): bigint {
    return this.seedValue;
  }

  /**
   * Reseed from OS entropy and return the seed (`Generator.seed()`). The seed has 53 bits so it
   * stays exact as a JS number.
   * @example const s = g.seed();
   */
  seed(): bigint {
    const w = entropyWords(2);
    const s = (BigInt(w[0]! & 0x1fffff) << 32n) | BigInt(w[1]!);
    this.manualSeed(s);
    return s;
  }

  // ---- raw draws ------------------------------------------------------------------------------

  /**
   * One 32-bit word (`random()`).
   * @example g.random()
   */
  random(): number {
    return this.mt.nextUint32();
  }

  /**
   * One 64-bit word (`random64()`): the first draw is the high half.
   * @example g.random64() // a bigint
   */
  random64(): bigint {
    const hi = this.mt.nextUint32();
    const lo = this.mt.nextUint32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /**
   * A float32 unit uniform: the low 24 bits of one word times 2⁻²⁴.
   * @example g.unitFloat32() // in [0, 1 − 2⁻²⁴]
   */
  unitFloat32(): number {
    return (this.mt.nextUint32() & 0xffffff) * TWO_M24;
  }

  /**
   * A float64 unit uniform: the low 53 bits of a 64-bit draw times 2⁻⁵³.
   * @example g.unitFloat64()
   */
  unitFloat64(): number {
    const hi = this.mt.nextUint32() & 0x1fffff;
    const lo = this.mt.nextUint32();
    return (hi * TWO32 + lo) * TWO_M53;
  }

  // ---- uniform --------------------------------------------------------------------------------

  /**
   * Fill with `uniform_(from, to)` values in order: `fma(x, to − from, from)` in the array's
   * precision, with `from`/`to` first cast to it (one word per float32, two per float64).
   * @example g.uniformFill(new Float32Array(3), -0.5, 0.5)
   */
  uniformFill(out: Float32Array | Float64Array, from: number, to: number): void {
    const n = out.length;
    const fused = this.capability === "avx2";
    if (out instanceof Float32Array) {
      const lo = Math.fround(from);
      const range = Math.fround(Math.fround(to) - lo);
      if (fused) for (let i = 0; i < n; i++) out[i] = fma32(this.unitFloat32(), range, lo);
      else for (let i = 0; i < n; i++) out[i] = Math.fround(Math.fround(this.unitFloat32() * range) + lo);
    } else {
      const range = to - from;
      if (fused) for (let i = 0; i < n; i++) out[i] = fma64(this.unitFloat64(), range, from);
      else for (let i = 0; i < n; i++) out[i] = this.unitFloat64() * range + from;
    }
  }

  // ---- normal ---------------------------------------------------------------------------------

  /**
   * One standard normal from the scalar path (`normal_distribution<double>`): the cached value if
   * any; otherwise u1 (angle) and u2 (radius) as unit doubles, cache `r·sin θ`, return `r·cos θ`.
   * @example g.standardNormalScalar()
   */
  standardNormalScalar(): number {
    const cached = this.normalCache;
    if (cached !== null) {
      this.normalCache = null;
      return cached;
    }
    const u1 = this.unitFloat64();
    const u2 = this.unitFloat64();
    // PyTorch 1.13 uses log(1 − u2); 2.x changed it to log1p(−u2).
    const r = Math.sqrt(-2 * accurateLog(1 - u2));
    const sc = accurateSinCos(TWO_PI_D * u1);
    this.normalCache = r * sc[0];
    return r * sc[1];
  }

  /**
   * Fill with normals from the scalar path only, as PyTorch does for non-contiguous targets:
   * `fma(n, std, mean)` in double, then rounded to the array's precision.
   * @example g.normalFillScalar(new Float64Array(3), 0, 1)
   */
  normalFillScalar(out: Float32Array | Float64Array, mean: number, std: number): void {
    if (this.capability === "avx2") {
      for (let i = 0; i < out.length; i++) out[i] = fma64(this.standardNormalScalar(), std, mean);
    } else {
      for (let i = 0; i < out.length; i++) out[i] = this.standardNormalScalar() * std + mean;
    }
  }

  /**
   * Fill a contiguous buffer with `normal_(mean, std)` values, choosing PyTorch's path: fewer
   * than 16 elements use the scalar path; otherwise the 16-wide block path (float32: the AVX2
   * Cephes kernel; float64: libm in double), which fills unit uniforms first, transforms each full
   * block of 16, then redraws and retransforms the last 16 slots when n is not a multiple of 16.
   * @example g.normalFill(new Float32Array(100), 0, 1) // torch.randn(100)
   */
  normalFill(out: Float32Array | Float64Array, mean: number, std: number): void {
    const n = out.length;
    if (n < 16) {
      this.normalFillScalar(out, mean, std);
      return;
    }
    const fused = this.capability === "avx2";
    if (out instanceof Float32Array) {
      const m = Math.fround(mean);
      const s = Math.fround(std);
      const block = fused ? normalFill16Avx2 : normalFill16F32Default;
      for (let i = 0; i < n; i++) out[i] = this.unitFloat32();
      for (let i = 0; i + 16 <= n; i += 16) block(out, i, m, s);
      if (n % 16 !== 0) {
        for (let i = n - 16; i < n; i++) out[i] = this.unitFloat32();
        block(out, n - 16, m, s);
      }
    } else {
      for (let i = 0; i < n; i++) out[i] = this.unitFloat64();
      for (let i = 0; i + 16 <= n; i += 16) normalFill16F64(out, i, mean, std, fused);
      if (n % 16 !== 0) {
        for (let i = n - 16; i < n; i++) out[i] = this.unitFloat64();
        normalFill16F64(out, n - 16, mean, std, fused);
      }
    }
  }

  // ---- integers -------------------------------------------------------------------------------

  /**
   * Fill with `randint(low, high)` values in order: `(r mod (high − low)) + low` with plain
   * modulo, where r is one word, or a 64-bit draw when the range is 2³² or more. Bounds are safe
   * integers; the values must fit the output array.
   * @example g.randintFill(new Int32Array(8), 0, 10)
   */
  randintFill(out: Int32Array | Float32Array | Float64Array, low: number, high: number): void {
    const range = high - low;
    if (
      !Number.isSafeInteger(low) ||
      !Number.isSafeInteger(high) ||
      !Number.isSafeInteger(range) ||
      range <= 0
    ) {
      throw new RangeError(`randintFill needs safe integer bounds with low < high, got ${low} and ${high}`);
    }
    const n = out.length;
    if (range < TWO32) {
      for (let i = 0; i < n; i++) out[i] = (this.mt.nextUint32() % range) + low;
    } else if (range <= 2 ** 37) {
      for (let i = 0; i < n; i++) {
        const hi = this.mt.nextUint32();
        const lo = this.mt.nextUint32();
        out[i] = mod64(hi, lo, range) + low;
      }
    } else {
      const R = BigInt(range);
      const L = BigInt(low);
      for (let i = 0; i < n; i++) out[i] = Number(BigInt.asIntN(64, (this.random64() % R) + L));
    }
  }

  /**
   * Fill with `randint(low, high)` values for any int64 bounds (BigInt; PyTorch's unsigned
   * 64-bit modulo and wrap-around).
   * @example g.randintBigFill(new BigInt64Array(4), -3n, 2n ** 33n + 5n)
   */
  randintBigFill(out: BigInt64Array, low: bigint, high: bigint): void {
    const range = BigInt.asUintN(64, high - low);
    if (high <= low) throw new RangeError("randintBigFill needs low < high");
    for (let i = 0; i < out.length; i++) {
      const r = range >= 1n << 32n ? this.random64() : BigInt(this.mt.nextUint32());
      out[i] = BigInt.asIntN(64, (r % range) + low);
    }
  }

  /**
   * A random permutation of 0..n−1 (`randperm`). Below {@link RANDPERM_LARGE_N}: swap a[i] with
   * a[i + random() mod (n − i)] for i = 0..n−2 (n − 1 words); from there on, current PyTorch's
   * inside-out shuffle with `random64() mod (i + 1)`.
   * @example g.randperm(10)
   */
  randperm(n: number, largeThreshold = RANDPERM_LARGE_N): Int32Array {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`randperm: bad n ${n}`);
    const a = new Int32Array(n);
    if (n < largeThreshold) {
      for (let i = 0; i < n; i++) a[i] = i;
      for (let i = 0; i < n - 1; i++) {
        const z = this.mt.nextUint32() % (n - i);
        const t = a[i]!;
        a[i] = a[i + z]!;
        a[i + z] = t;
      }
      return a;
    }
    for (let i = 0; i < n; i++) {
      const hi = this.mt.nextUint32();
      const lo = this.mt.nextUint32();
      const z = mod64(hi, lo, i + 1);
      a[i] = a[z]!;
      a[z] = i;
    }
    return a;
  }

  // ---- bernoulli ------------------------------------------------------------------------------

  /**
   * Fill with `bernoulli_(p)` values in order, as PyTorch's CPU kernel without MKL does for a
   * scalar p: one unit double per element (two words), 1 when it is below p, else 0.
   * @example g.bernoulliFill(new Float32Array(10), 0.7)
   */
  bernoulliFill(out: Float32Array | Float64Array | Int32Array | Uint8Array, p: number): void {
    for (let i = 0; i < out.length; i++) out[i] = this.unitFloat64() < p ? 1 : 0;
  }

  // ---- state ----------------------------------------------------------------------------------

  /**
   * The state as the bytes `torch.get_rng_state()` returns (5056 bytes: seed, MT position and
   * words, the cached normal), so states move between tsgrad and PyTorch.
   * @example const s = g.getState(); g.random(); g.setState(s);
   */
  getState(): Uint8Array {
    const bytes = new Uint8Array(TORCH_STATE_SIZE);
    const v = new DataView(bytes.buffer);
    v.setBigUint64(OFF_SEED, this.seedValue, true);
    v.setInt32(OFF_LEFT, this.mt.left, true);
    v.setInt32(OFF_SEEDED, 1, true);
    v.setBigUint64(OFF_NEXT, BigInt(this.mt.next), true);
    for (let i = 0; i < MT_STATE_SIZE; i++) v.setBigUint64(OFF_KEY + 8 * i, BigInt(this.mt.key[i]!), true);
    if (this.normalCache !== null) {
      v.setFloat64(OFF_NORMAL_Y, this.normalCache, true);
      v.setInt32(OFF_NORMAL_VALID, 1, true);
    }
    if (this.floatNormalCache !== null) {
      v.setFloat32(OFF_FLOAT_NORMAL, this.floatNormalCache, true);
      bytes[OFF_FLOAT_NORMAL_VALID] = 1;
    }
    return bytes;
  }

  /**
   * Restore a state from {@link getState} or `torch.get_rng_state()` bytes (also the 5048-byte
   * legacy layout, whose cached normal is rebuilt from `normal_rho` and `normal_x`).
   * @example g.setState(bytes)
   */
  setState(state: Uint8Array | ArrayLike<number>): void {
    const bytes = state instanceof Uint8Array ? state : Uint8Array.from(state);
    const n = bytes.length;
    if (n !== TORCH_STATE_SIZE && n !== TORCH_LEGACY_STATE_SIZE) {
      throw new RuntimeError(
        `Expected either a CPUGeneratorImplStateLegacy of size ${TORCH_LEGACY_STATE_SIZE} or a CPUGeneratorImplState of size ${TORCH_STATE_SIZE} but found the input RNG state size to be ${n}`,
      );
    }
    const v = new DataView(bytes.buffer, bytes.byteOffset, n);
    const left = v.getInt32(OFF_LEFT, true);
    const seeded = v.getInt32(OFF_SEEDED, true);
    const next = Number(v.getBigUint64(OFF_NEXT, true) & 0xffffffffn);
    if (seeded === 0 || left <= 0 || left > MT_STATE_SIZE || next > MT_STATE_SIZE) {
      throw new RuntimeError("Invalid mt19937 state");
    }
    let normal: number | null = null;
    let floatNormal: number | null = null;
    if (v.getInt32(OFF_NORMAL_VALID, true) !== 0) {
      if (n === TORCH_LEGACY_STATE_SIZE) {
        const rho = v.getFloat64(OFF_NORMAL_RHO, true);
        normal = rho * accurateSinCos(TWO_PI_D * v.getFloat64(OFF_NORMAL_X, true))[0];
      } else {
        normal = v.getFloat64(OFF_NORMAL_Y, true);
      }
    }
    if (n === TORCH_STATE_SIZE && bytes[OFF_FLOAT_NORMAL_VALID] !== 0) {
      floatNormal = v.getFloat32(OFF_FLOAT_NORMAL, true);
    }
    for (let i = 0; i < MT_STATE_SIZE; i++) {
      this.mt.key[i] = Number(v.getBigUint64(OFF_KEY + 8 * i, true) & 0xffffffffn);
    }
    this.mt.left = left;
    this.mt.next = next;
    this.seedValue = v.getBigUint64(OFF_SEED, true);
    this.normalCache = normal;
    this.floatNormalCache = floatNormal;
  }
}

/** PyTorch's `normal_fill_16<double>`: pairs (j, j+8) of unit doubles at `d[i..i+16)`. */
function normalFill16F64(d: Float64Array, i: number, mean: number, std: number, fused: boolean): void {
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - d[i + j]!;
    const u2 = d[i + j + 8]!;
    const radius = Math.sqrt(-2 * accurateLog(u1));
    const sc = accurateSinCos(TWO_PI_D * u2);
    const c = radius * sc[1];
    const s = radius * sc[0];
    d[i + j] = fused ? fma64(c, std, mean) : c * std + mean;
    d[i + j + 8] = fused ? fma64(s, std, mean) : s * std + mean;
  }
}

/**
 * `normal_fill_16<float>` of builds without AVX2: float32 arithmetic around libm's logf/cosf/sinf,
 * approximated here by rounding nearly correctly rounded double results (not bit-exact, see
 * `rng-spec.md` §4.4).
 */
function normalFill16F32Default(d: Float32Array, i: number, mean: number, std: number): void {
  const f32 = Math.fround;
  for (let j = 0; j < 8; j++) {
    const u1 = f32(1 - d[i + j]!);
    const u2 = d[i + j + 8]!;
    const radius = f32(Math.sqrt(f32(-2 * f32(accurateLog(u1)))));
    const sc = accurateSinCos(f32(TWO_PI_D * u2));
    d[i + j] = f32(f32(f32(radius * f32(sc[1])) * std) + mean);
    d[i + j + 8] = f32(f32(f32(radius * f32(sc[0])) * std) + mean);
  }
}

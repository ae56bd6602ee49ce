/**
 * numpy 1.24's legacy `RandomState` engine (the generator behind `np.random.seed` and
 * `np.random.*`), bit-identical for the same seed and call sequence. Outputs go into plain typed
 * arrays in C order; the tensor-level wrapper lives in `tensor/random-state.ts`.
 *
 * Algorithms (`rng-spec.md` §2): 53-bit doubles from two words (27 + 26 high bits); polar
 * Box–Muller with one cached value that survives every other call; masked rejection for bounded
 * integers; Fisher–Yates from the end for shuffles.
 */

import { ValueError } from "../util/errors.js";
import { MT19937, MT_STATE_SIZE } from "./mt19937.js";
import { entropyWords } from "./entropy.js";
import { accurateLog } from "./accurate-math.js";

/** A numpy legacy seed: an integer in [0, 2³²), a 1-d array of such integers, or none (OS entropy). @example const s: NumpySeed = [1, 2, 3]; */
export type NumpySeed = number | bigint | ArrayLike<number | bigint> | null | undefined;

/**
 * The state numpy's `RandomState.get_state()` returns, as an object:
 * `('MT19937', key, pos, has_gauss, cached_gaussian)`.
 * @example const { key, pos, hasGauss } = rs.getState();
 */
export interface NumpyRandomStateState {
  /** Always `"MT19937"`. */
  kind: "MT19937";
  /** The 624 state words. */
  key: Uint32Array;
  /** Read position, 0..624 (624: regenerate before the next draw). */
  pos: number;
  /** Whether a Gaussian value is cached. */
  hasGauss: boolean;
  /** The cached Gaussian value (0 when none). */
  cachedGaussian: number;
}

/** numpy's tuple form of the state, accepted by {@link NumpyRandomState.setState}. @example rs.setState(["MT19937", key, 624, 0, 0]) */
export type NumpyStateTuple = readonly [string, ArrayLike<number>, number, (number | boolean)?, number?];

const TWO32 = 4294967296;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** The smallest all-ones mask ≥ `m` (m a non-negative safe integer). */
function maskFor(m: number): number {
  if (m <= 0xffffffff) {
    let v = m >>> 0;
    v |= v >>> 1;
    v |= v >>> 2;
    v |= v >>> 4;
    v |= v >>> 8;
    v |= v >>> 16;
    return v >>> 0;
  }
  let bits = 0;
  while (2 ** bits <= m) bits++;
  return 2 ** bits - 1;
}

/** The smallest all-ones mask ≥ `m` for 64-bit values. */
function maskForBig(m: bigint): bigint {
  let v = m;
  for (const s of [1n, 2n, 4n, 8n, 16n, 32n]) v |= v >> s;
  return v;
}

function checkSeedValue(v: number | bigint): number {
  if (typeof v === "bigint") {
    if (v < 0n || v > 0xffffffffn) throw new ValueError("Seed must be between 0 and 2**32 - 1");
    return Number(v);
  }
  if (!Number.isInteger(v)) {
    throw new TypeError(
      "Cannot cast scalar from dtype('float64') to dtype('int64') according to the rule 'safe'",
    );
  }
  if (v < 0 || v > 0xffffffff) throw new ValueError("Seed must be between 0 and 2**32 - 1");
  return v;
}

/**
 * numpy's legacy MT19937 `RandomState`: seeding, raw words, doubles, Gaussians (with the cache),
 * bounded integers, shuffles, and state get/set.
 *
 * @example
 * ```ts
 * const rs = new NumpyRandomState(123);
 * const out = new Float64Array(5);
 * rs.randomFill(out); // np.random.seed(123); np.random.random(5)
 * ```
 */
export class NumpyRandomState {
  private readonly mt = new MT19937(0);
  private hasGauss = false;
  private gaussCache = 0;

  /**
   * Create a generator seeded like `np.random.RandomState(seed)`.
   * @example new NumpyRandomState(0)
   */
  constructor(seed?: NumpySeed) {
    this.seed(seed);
  }

  /**
   * Reseed (`RandomState.seed`): an integer uses `init_genrand`, an array `init_by_array`, none OS
   * entropy. Clears the Gaussian cache.
   * @example rs.seed(0); rs.seed([1, 2, 3]);
   */
  seed(seed?: NumpySeed): void {
    if (seed === null || seed === undefined) {
      this.mt.initByArray(entropyWords(MT_STATE_SIZE));
    } else if (typeof seed === "number" || typeof seed === "bigint") {
      this.mt.initGenrand(checkSeedValue(seed));
    } else {
      const n = seed.length;
      if (n === 0) throw new ValueError("Seed must be non-empty");
      const words = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        const v = seed[i]!;
        if (typeof v !== "bigint" && typeof v !== "number") throw new ValueError("Seed array must be 1-d");
        if (typeof v === "number" && !Number.isInteger(v)) {
          throw new TypeError(
            "Cannot cast array data from dtype('float64') to dtype('int64') according to the rule 'safe'",
          );
        }
        words[i] = checkSeedValue(v);
      }
      this.mt.initByArray(words);
    }
    this.hasGauss = false;
    this.gaussCache = 0;
  }

  // ---- raw draws ------------------------------------------------------------------------------

  /**
   * One 32-bit word.
   * @example rs.nextUint32()
   */
  nextUint32(): number {
    return this.mt.nextUint32();
  }

  /**
   * One 64-bit word: the first draw is the high half.
   * @example rs.nextUint64() // a bigint
   */
  nextUint64(): bigint {
    const hi = this.mt.nextUint32();
    const lo = this.mt.nextUint32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /**
   * A double in [0, 1) with 53 random bits: `((w1 >>> 5)·2²⁶ + (w2 >>> 6)) / 2⁵³`.
   * @example rs.nextDouble()
   */
  nextDouble(): number {
    const a = this.mt.nextUint32() >>> 5;
    const b = this.mt.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  // ---- uniform floats -------------------------------------------------------------------------

  /**
   * Fill with `random_sample` values in C order (two words each).
   * @example rs.randomFill(new Float64Array(3))
   */
  randomFill(out: Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.nextDouble();
  }

  /**
   * One `uniform(low, high)` value: `low + (high − low)·u`.
   * @example rs.uniform(-2, 5)
   */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.nextDouble();
  }

  /**
   * Fill with `uniform(low, high)` values in C order.
   * @example rs.uniformFill(new Float64Array(3), -2, 5)
   */
  uniformFill(out: Float64Array, low: number, high: number): void {
    const range = high - low;
    for (let i = 0; i < out.length; i++) out[i] = low + range * this.nextDouble();
  }

  // ---- Gaussians ------------------------------------------------------------------------------

  /**
   * One standard normal value (`legacy_gauss`, the polar method): returns the cached value if any,
   * otherwise draws a pair, returns `f·x2` and caches `f·x1`.
   * @example rs.gauss()
   */
  gauss(): number {
    if (this.hasGauss) {
      const v = this.gaussCache;
      this.hasGauss = false;
      this.gaussCache = 0;
      return v;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.nextDouble() - 1;
      x2 = 2 * this.nextDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    // numpy's last bits come from glibc's log, which is (nearly) correctly rounded.
    const f = Math.sqrt((-2 * accurateLog(r2)) / r2);
    this.gaussCache = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /**
   * Fill with standard normal values (`randn`, `standard_normal`) in C order.
   * @example rs.standardNormalFill(new Float64Array(5))
   */
  standardNormalFill(out: Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.gauss();
  }

  /**
   * One `normal(loc, scale)` value: `loc + scale·gauss()`.
   * @example rs.normal(1.5, 3)
   */
  normal(loc: number, scale: number): number {
    return loc + scale * this.gauss();
  }

  /**
   * Fill with `normal(loc, scale)` values in C order.
   * @example rs.normalFill(new Float64Array(5), 1.5, 3)
   */
  normalFill(out: Float64Array, loc: number, scale: number): void {
    for (let i = 0; i < out.length; i++) out[i] = loc + scale * this.gauss();
  }

  // ---- bounded integers -----------------------------------------------------------------------

  /** A value in [0, rng] by masked rejection; `rng` a safe integer ≥ 1, `mask` its mask. */
  private boundedMasked(rng: number, mask: number): number {
    if (rng <= 0xffffffff) {
      if (rng === 0xffffffff) return this.mt.nextUint32();
      let v: number;
      do v = (this.mt.nextUint32() & mask) >>> 0;
      while (v > rng);
      return v;
    }
    // 64-bit draw (high word first) masked to below 2⁵³: the high word keeps its low bits only.
    const maskHi = Math.floor(mask / TWO32);
    let v: number;
    do {
      const hi = this.mt.nextUint32() & maskHi;
      const lo = this.mt.nextUint32();
      v = hi * TWO32 + lo;
    } while (v > rng);
    return v;
  }

  /**
   * One legacy `randint(low, high)` value in [low, high) for safe-integer bounds (numpy's default
   * int64 dtype; masked rejection). A span of one value draws nothing.
   * @example rs.randint(0, 10)
   */
  randint(low: number, high: number): number {
    const rng = high - 1 - low;
    checkIntBounds(low, high);
    if (rng === 0) return low;
    return low + this.boundedMasked(rng, maskFor(rng));
  }

  /**
   * Fill with legacy `randint(low, high)` values in C order (safe-integer bounds; the values must
   * fit the output array).
   * @example rs.randintFill(new Int32Array(8), 0, 10)
   */
  randintFill(out: Int32Array | Float64Array | Float32Array, low: number, high: number): void {
    checkIntBounds(low, high);
    const rng = high - 1 - low;
    if (rng === 0) {
      out.fill(low);
      return;
    }
    const mask = maskFor(rng);
    for (let i = 0; i < out.length; i++) out[i] = low + this.boundedMasked(rng, mask);
  }

  /**
   * Fill with legacy `randint(low, high)` values for any int64 bounds (BigInt arithmetic, needed
   * for spans of 2⁵³ and more).
   * @example rs.randintBigFill(new BigInt64Array(4), -5n, 2n ** 40n)
   */
  randintBigFill(out: BigInt64Array, low: bigint, high: bigint): void {
    if (low < -(2n ** 63n)) throw new ValueError("low is out of bounds for int64");
    if (high - 1n > 2n ** 63n - 1n) throw new ValueError("high is out of bounds for int64");
    if (low > high - 1n) throw new ValueError(low === 0n ? "high <= 0" : "low >= high");
    const rng = high - 1n - low;
    if (rng === 0n) {
      out.fill(low);
      return;
    }
    const mask = maskForBig(rng);
    for (let i = 0; i < out.length; i++) {
      let v: bigint;
      if (rng <= 0xffffffffn) {
        if (rng === 0xffffffffn) v = BigInt(this.mt.nextUint32());
        else {
          const m = Number(mask);
          let w: number;
          do w = (this.mt.nextUint32() & m) >>> 0;
          while (w > Number(rng));
          v = BigInt(w);
        }
      } else if (rng === 0xffffffffffffffffn) {
        v = this.nextUint64();
      } else {
        do v = this.nextUint64() & mask;
        while (v > rng);
      }
      out[i] = BigInt.asIntN(64, low + v);
    }
  }

  // ---- permutations ---------------------------------------------------------------------------

  /**
   * A value in [0, max] by masked rejection (`random_interval`); `max` = 0 draws nothing.
   * @example rs.randomInterval(9)
   */
  randomInterval(max: number): number {
    if (max === 0) return 0;
    if (!Number.isSafeInteger(max) || max < 0) throw new RangeError(`randomInterval: bad max ${max}`);
    return this.boundedMasked(max, maskFor(max));
  }

  /**
   * Shuffle `n` items in place through a swap callback, numpy's way: for i = n−1 down to 1, swap
   * item i with item `randomInterval(i)` (the callback also runs when j = i).
   * @example rs.shuffleWith(rows, (i, j) => swapRows(i, j))
   */
  shuffleWith(n: number, swap: (i: number, j: number) => void): void {
    for (let i = n - 1; i > 0; i--) swap(i, this.randomInterval(i));
  }

  /**
   * Shuffle a 1-d array in place (`RandomState.shuffle`).
   * @example rs.shuffle([1, 2, 3, 4])
   */
  shuffle<T>(x: { length: number; [i: number]: T }): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randomInterval(i);
      const t = x[i]!;
      x[i] = x[j]!;
      x[j] = t;
    }
  }

  /**
   * A shuffled `arange(n)` (`RandomState.permutation(n)`); n ≤ 0 gives an empty array.
   * @example rs.permutation(10)
   */
  permutation(n: number): Int32Array {
    const a = new Int32Array(Math.max(0, n));
    for (let i = 0; i < a.length; i++) a[i] = i;
    this.shuffle(a);
    return a;
  }

  // ---- state ----------------------------------------------------------------------------------

  /**
   * The full state (`get_state()`), including the Gaussian cache.
   * @example const s = rs.getState(); rs.randn...; rs.setState(s);
   */
  getState(): NumpyRandomStateState {
    return {
      kind: "MT19937",
      key: this.mt.key.slice(),
      pos: this.mt.pos,
      hasGauss: this.hasGauss,
      cachedGaussian: this.gaussCache,
    };
  }

  /**
   * Restore a state from {@link NumpyRandomState.getState} or numpy's tuple
   * `['MT19937', key, pos, has_gauss?, cached_gaussian?]`.
   * @example rs.setState(saved)
   */
  setState(state: NumpyRandomStateState | NumpyStateTuple): void {
    let kind: string;
    let key: ArrayLike<number>;
    let pos: number;
    let hasGauss: boolean;
    let cached: number;
    if (Array.isArray(state)) {
      const t = state as NumpyStateTuple;
      [kind, key, pos] = t;
      hasGauss = t.length >= 5 ? Boolean(t[3]) : false;
      cached = t.length >= 5 ? Number(t[4]) : 0;
    } else {
      const s = state as NumpyRandomStateState;
      ({ kind, key, pos, hasGauss } = s);
      cached = s.cachedGaussian;
    }
    if (kind !== "MT19937")
      throw new ValueError("set_state can only be used with legacy MT19937state instances.");
    if (key.length !== MT_STATE_SIZE) {
      throw new ValueError(`state must be 624 longs, got an array of length ${key.length}`);
    }
    if (!Number.isInteger(pos) || pos < 0 || pos > MT_STATE_SIZE) {
      throw new ValueError(`pos must be between 0 and 624, got ${pos}`);
    }
    this.mt.key.set(Uint32Array.from(key, (v) => v >>> 0));
    this.mt.setPos(pos);
    this.hasGauss = hasGauss;
    this.gaussCache = hasGauss ? cached : 0;
  }
}

function checkIntBounds(low: number, high: number): void {
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) {
    throw new RangeError(`randint bounds must be safe integers (use randintBigFill), got ${low} and ${high}`);
  }
  if (low > high - 1) throw new ValueError(low === 0 ? "high <= 0" : "low >= high");
  if (high - 1 - low > MAX_SAFE) throw new RangeError("randint span exceeds 2^53 (use randintBigFill)");
}

/**
 * The 32-bit Mersenne Twister (MT19937) shared by numpy's legacy `RandomState` and PyTorch's CPU
 * generator. Pure integer arithmetic, so every word is bit-identical to both libraries.
 *
 * The read position is kept the way PyTorch keeps it (`left`, `next`): a draw decrements `left`,
 * regenerates the state when it reaches 0, then reads `key[next++]`. numpy's single `pos` maps onto
 * it as `left = 625 − pos`, `next = pos`, which is what {@link MT19937.pos} and
 * {@link MT19937.setPos} do; keeping PyTorch's pair lets `get_rng_state` bytes round-trip exactly.
 *
 * References: M. Matsumoto and T. Nishimura, "Mersenne Twister: a 623-dimensionally equidistributed
 * uniform pseudo-random number generator", ACM TOMACS 8(1), 1998.
 */

/** Number of 32-bit words in the MT19937 state. @example new MT19937().key.length === MT_STATE_SIZE */
export const MT_STATE_SIZE = 624;

const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** A snapshot of an {@link MT19937}: the 624 state words and PyTorch's read position. @example const s: MT19937State = mt.getState(); */
export interface MT19937State {
  /** The 624 state words. */
  key: Uint32Array;
  /** Draws left before the next regeneration, plus one (PyTorch's `left_`), in 1..625. */
  left: number;
  /** Index of the next word to read (PyTorch's `next_`), in 0..624. */
  next: number;
}

/**
 * The MT19937 engine: seeding (`init_genrand`, `init_by_array`), regeneration and tempered draws.
 *
 * @example
 * ```ts
 * const mt = new MT19937(5489);
 * mt.nextUint32(); // first word of the reference sequence
 * ```
 */
export class MT19937 {
  /** The 624 state words (untempered). */
  readonly key = new Uint32Array(MT_STATE_SIZE);
  /** PyTorch's `left_`: a draw first decrements it and regenerates the state when it hits 0. */
  left = 1;
  /** PyTorch's `next_`: index of the next word to temper and return. */
  next = 0;

  /**
   * Create an engine seeded with `init_genrand(seed mod 2³²)`.
   * @example new MT19937(0).nextUint32()
   */
  constructor(seed = 5489) {
    this.initGenrand(seed);
  }

  /**
   * Seed from one 32-bit integer (Knuth's multiplier 1812433253), as `np.random.seed(int)` and
   * `torch.manual_seed` do. Leaves the engine so that the next draw regenerates the state.
   * @example mt.initGenrand(123)
   */
  initGenrand(seed: number): void {
    const key = this.key;
    let s = seed >>> 0;
    key[0] = s;
    for (let i = 1; i < MT_STATE_SIZE; i++) {
      s = (Math.imul(1812433253, s ^ (s >>> 30)) + i) >>> 0;
      key[i] = s;
    }
    this.left = 1;
    this.next = 0;
  }

  /**
   * Seed from an array of 32-bit words (`init_by_array`), as `np.random.seed([1, 2, 3])` does.
   * @example mt.initByArray([1, 2, 3])
   */
  initByArray(words: ArrayLike<number>): void {
    const key = this.key;
    const n = words.length;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(MT_STATE_SIZE, n); k > 0; k--) {
      const p = key[i - 1]!;
      const mixed = (key[i]! ^ Math.imul(p ^ (p >>> 30), 1664525)) >>> 0;
      key[i] = (mixed + (words[j]! >>> 0) + j) >>> 0;
      i++;
      j++;
      if (i >= MT_STATE_SIZE) {
        key[0] = key[MT_STATE_SIZE - 1]!;
        i = 1;
      }
      if (j >= n) j = 0;
    }
    for (let k = MT_STATE_SIZE - 1; k > 0; k--) {
      const p = key[i - 1]!;
      const mixed = (key[i]! ^ Math.imul(p ^ (p >>> 30), 1566083941)) >>> 0;
      key[i] = (mixed - i) >>> 0;
      i++;
      if (i >= MT_STATE_SIZE) {
        key[0] = key[MT_STATE_SIZE - 1]!;
        i = 1;
      }
    }
    key[0] = UPPER_MASK;
    // numpy leaves pos = 624 here: regenerate on the next draw.
    this.left = 1;
    this.next = MT_STATE_SIZE;
  }

  /**
   * Regenerate all 624 words in place, in increasing index order (late indices read words that
   * were already updated, exactly as the reference implementation does).
   * @example mt.twist()
   */
  twist(): void {
    const key = this.key;
    for (let k = 0; k < MT_STATE_SIZE; k++) {
      const y = (key[k]! & UPPER_MASK) | (key[(k + 1) % MT_STATE_SIZE]! & LOWER_MASK);
      key[k] = key[(k + M) % MT_STATE_SIZE]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.left = MT_STATE_SIZE;
    this.next = 0;
  }

  /**
   * The next tempered 32-bit word, as an unsigned integer in [0, 2³²).
   * @example const w = mt.nextUint32();
   */
  nextUint32(): number {
    if (--this.left === 0) this.twist();
    let y = this.key[this.next++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * numpy's read position `pos` (624 means "regenerate before the next draw").
   * @example new MT19937(0).pos // 624
   */
  get pos(): number {
    return this.left === 1 ? MT_STATE_SIZE : this.next;
  }

  /**
   * Set numpy's read position `pos` in 0..624.
   * @example mt.setPos(624)
   */
  setPos(pos: number): void {
    this.left = MT_STATE_SIZE + 1 - pos;
    this.next = pos;
  }

  /**
   * A copy of the state words and read position.
   * @example const s = mt.getState(); mt.nextUint32(); mt.setState(s);
   */
  getState(): MT19937State {
    return { key: this.key.slice(), left: this.left, next: this.next };
  }

  /**
   * Restore a state from {@link MT19937.getState} (the words are copied).
   * @example mt.setState(saved)
   */
  setState(state: MT19937State): void {
    this.key.set(state.key);
    this.left = state.left;
    this.next = state.next;
  }
}

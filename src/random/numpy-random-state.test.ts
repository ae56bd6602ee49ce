import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MT19937 } from "./mt19937.js";
import { NumpyRandomState } from "./numpy-random-state.js";
import { ValueError } from "../util/errors.js";

// Bit-exact parity with numpy is tested in test/random.test.ts; these tests pin down word
// consumption, the Gaussian cache and the state API.

/** How many 32-bit words `fn` consumed, found by matching the next word against a raw MT. */
function wordsUsed(seed: number, fn: (rs: NumpyRandomState) => void): number {
  const rs = new NumpyRandomState(seed);
  fn(rs);
  const next = rs.nextUint32();
  const mt = new MT19937(seed);
  for (let k = 0; k < 100000; k++) if (mt.nextUint32() === next) return k;
  throw new Error("not found");
}

describe("NumpyRandomState word consumption", () => {
  it("random: two words per value", () => {
    expect(wordsUsed(1, (rs) => rs.randomFill(new Float64Array(7)))).toBe(14);
  });

  it("randint: nothing for a single-value span, one word per value for 32-bit spans without rejection", () => {
    expect(wordsUsed(1, (rs) => rs.randintFill(new Int32Array(5), 4, 5))).toBe(0);
    expect(wordsUsed(1, (rs) => rs.randintFill(new Float64Array(5), 0, 2 ** 32))).toBe(5);
    expect(wordsUsed(1, (rs) => rs.randintFill(new Int32Array(5), 0, 8))).toBe(5);
  });

  it("randomInterval(0) draws nothing; shuffling n items draws at least n − 1 words", () => {
    expect(wordsUsed(3, (rs) => rs.randomInterval(0))).toBe(0);
    expect(wordsUsed(3, (rs) => rs.shuffle([1]))).toBe(0);
    expect(wordsUsed(3, (rs) => rs.shuffle([1, 2, 3, 4, 5, 6]))).toBeGreaterThanOrEqual(5);
  });
});

describe("NumpyRandomState Gaussian cache", () => {
  it("randn(3) then randn(3) equals randn(6), and the cache survives other draws", () => {
    const a = new NumpyRandomState(123);
    const x = new Float64Array(6);
    a.standardNormalFill(x);
    const b = new NumpyRandomState(123);
    const first = new Float64Array(3);
    const second = new Float64Array(3);
    b.standardNormalFill(first);
    b.standardNormalFill(second);
    expect([...first, ...second]).toEqual([...x]);

    // One value: the pair's second value is cached; random() in between does not touch it.
    const c = new NumpyRandomState(5);
    const g1 = c.gauss();
    const d = new NumpyRandomState(5);
    expect(d.gauss()).toBe(g1);
    const cached = c.gauss();
    d.randomFill(new Float64Array(3));
    d.randint(0, 10);
    expect(d.gauss()).toBe(cached);
  });

  it("seed() clears the cache", () => {
    const a = new NumpyRandomState(9);
    const first = a.gauss();
    a.seed(9);
    expect(a.gauss()).toBe(first);
  });

  it("normal(loc, scale) is loc + scale·gauss()", () => {
    const a = new NumpyRandomState(11);
    const b = new NumpyRandomState(11);
    for (let i = 0; i < 20; i++) expect(a.normal(1.5, 3)).toBe(1.5 + 3 * b.gauss());
  });

  it("state round-trips, including the cached value", () => {
    const a = new NumpyRandomState(4);
    a.gauss();
    const s = a.getState();
    expect(s.hasGauss).toBe(true);
    const ahead = [a.gauss(), a.nextDouble(), a.gauss()];
    const b = new NumpyRandomState(0);
    b.setState(s);
    expect([b.gauss(), b.nextDouble(), b.gauss()]).toEqual(ahead);
    b.setState(["MT19937", s.key, s.pos, 1, s.cachedGaussian]);
    expect([b.gauss(), b.nextDouble(), b.gauss()]).toEqual(ahead);
    // numpy's 3-tuple form has no Gaussian fields: the cache is cleared.
    b.setState(["MT19937", s.key, s.pos]);
    expect(b.getState().hasGauss).toBe(false);
  });
});

describe("NumpyRandomState integers", () => {
  it("values stay in [low, high)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
        fc.integer({ min: 1, max: 2 ** 41 }),
        fc.integer({ min: 0, max: 1000 }),
        (low, span, seed) => {
          const rs = new NumpyRandomState(seed);
          const out = new Float64Array(50);
          rs.randintFill(out, low, low + span);
          for (const v of out) expect(v >= low && v < low + span && Number.isInteger(v)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("the BigInt path draws the same values as the number path", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 45), max: 2 ** 45 }),
        fc.integer({ min: 1, max: 2 ** 50 }),
        fc.integer({ min: 0, max: 1000 }),
        (low, span, seed) => {
          const a = new NumpyRandomState(seed);
          const b = new NumpyRandomState(seed);
          const x = new Float64Array(20);
          const y = new BigInt64Array(20);
          a.randintFill(x, low, low + span);
          b.randintBigFill(y, BigInt(low), BigInt(low + span));
          expect([...y].map(Number)).toEqual([...x]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("full 64-bit span returns raw 64-bit words", () => {
    const a = new NumpyRandomState(2);
    const b = new NumpyRandomState(2);
    const y = new BigInt64Array(4);
    a.randintBigFill(y, -(2n ** 63n), 2n ** 63n);
    for (const v of y) expect(v).toBe(BigInt.asIntN(64, -(2n ** 63n) + b.nextUint64()));
  });

  it("rejects empty ranges with numpy's messages", () => {
    const rs = new NumpyRandomState(0);
    expect(() => rs.randint(3, 3)).toThrow(new ValueError("low >= high"));
    expect(() => rs.randint(0, 0)).toThrow(new ValueError("high <= 0"));
    expect(() => rs.randintBigFill(new BigInt64Array(1), 5n, 2n)).toThrow("low >= high");
  });

  it("permutation is a permutation and equals shuffling an arange", () => {
    const a = new NumpyRandomState(8).permutation(50);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const list = Array.from({ length: 50 }, (_, i) => i);
    new NumpyRandomState(8).shuffle(list);
    expect(list).toEqual([...a]);
    expect(new NumpyRandomState(8).permutation(-3).length).toBe(0);
  });

  it("shuffleWith calls swap(i, j) with j ≤ i for i from n − 1 down to 1", () => {
    const calls: Array<[number, number]> = [];
    new NumpyRandomState(1).shuffleWith(6, (i, j) => calls.push([i, j]));
    expect(calls.map(([i]) => i)).toEqual([5, 4, 3, 2, 1]);
    for (const [i, j] of calls) expect(j >= 0 && j <= i).toBe(true);
  });
});

describe("NumpyRandomState seeding", () => {
  it("validates seeds like numpy", () => {
    expect(() => new NumpyRandomState(-1)).toThrow("Seed must be between 0 and 2**32 - 1");
    expect(() => new NumpyRandomState(2 ** 32)).toThrow("Seed must be between 0 and 2**32 - 1");
    expect(() => new NumpyRandomState(1.5)).toThrow(TypeError);
    expect(() => new NumpyRandomState([])).toThrow("Seed must be non-empty");
    expect(() => new NumpyRandomState(2n ** 32n)).toThrow(ValueError);
  });

  it("accepts bigint seeds and typed arrays", () => {
    expect(new NumpyRandomState(7n).nextUint32()).toBe(new NumpyRandomState(7).nextUint32());
    expect(new NumpyRandomState(new Uint32Array([1, 2])).nextUint32()).toBe(
      new NumpyRandomState([1, 2]).nextUint32(),
    );
  });

  it("seeds from entropy when no seed is given", () => {
    const a = new NumpyRandomState();
    const b = new NumpyRandomState();
    const x = Array.from({ length: 4 }, () => a.nextUint32());
    const y = Array.from({ length: 4 }, () => b.nextUint32());
    expect(x).not.toEqual(y);
  });

  it("setState validates its input", () => {
    const rs = new NumpyRandomState(0);
    const s = rs.getState();
    expect(() => rs.setState({ ...s, pos: 625 })).toThrow(ValueError);
    expect(() => rs.setState({ ...s, key: new Uint32Array(10) })).toThrow(ValueError);
    expect(() => rs.setState(["PCG64", s.key, 624])).toThrow(
      "set_state can only be used with legacy MT19937state instances.",
    );
  });
});

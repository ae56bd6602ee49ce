import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MT19937, MT_STATE_SIZE } from "./mt19937.js";

// Parity of the words themselves with numpy and PyTorch is tested in test/random.test.ts; these
// tests pin down the engine's own invariants.

describe("MT19937", () => {
  it("starts each seeding with a regeneration due (numpy pos 624, PyTorch left 1 / next 0)", () => {
    const mt = new MT19937(123);
    expect(mt.pos).toBe(MT_STATE_SIZE);
    expect(mt.left).toBe(1);
    expect(mt.next).toBe(0);
    mt.initByArray([1, 2, 3]);
    expect(mt.pos).toBe(MT_STATE_SIZE);
    expect(mt.key[0]).toBe(0x80000000);
  });

  it("tracks numpy's pos through draws and regenerations", () => {
    const mt = new MT19937(0);
    for (let k = 1; k <= 2 * MT_STATE_SIZE + 5; k++) {
      mt.nextUint32();
      const expected = k % MT_STATE_SIZE === 0 ? MT_STATE_SIZE : k % MT_STATE_SIZE;
      expect(mt.pos).toBe(expected);
      expect(mt.left + mt.next).toBe(MT_STATE_SIZE + 1);
    }
  });

  it("setPos(p) resumes exactly where a generator at numpy position p would", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 1500 }),
        (seed, skip) => {
          const a = new MT19937(seed);
          for (let i = 0; i < skip; i++) a.nextUint32();
          const b = new MT19937(0);
          b.key.set(a.key);
          b.setPos(a.pos);
          for (let i = 0; i < 700; i++) expect(b.nextUint32()).toBe(a.nextUint32());
        },
      ),
      { numRuns: 25 },
    );
  });

  it("getState/setState round-trips and copies the words", () => {
    const mt = new MT19937(7);
    for (let i = 0; i < 100; i++) mt.nextUint32();
    const saved = mt.getState();
    const words = [...saved.key];
    const ahead = Array.from({ length: 1000 }, () => mt.nextUint32());
    expect([...saved.key]).toEqual(words); // a copy: the regeneration did not touch it
    expect([...mt.key]).not.toEqual(words);
    mt.setState(saved);
    expect(Array.from({ length: 1000 }, () => mt.nextUint32())).toEqual(ahead);
  });

  it("only the low 32 bits of a seed matter", () => {
    const a = new MT19937(5);
    const b = new MT19937(2 ** 32 + 5);
    for (let i = 0; i < 10; i++) expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it("returns unsigned 32-bit integers", () => {
    const mt = new MT19937(2 ** 31 - 1);
    for (let i = 0; i < 5000; i++) {
      const w = mt.nextUint32();
      expect(Number.isInteger(w) && w >= 0 && w <= 0xffffffff).toBe(true);
    }
  });

  it("init_by_array uses every key word (longer keys than the state included)", () => {
    const base = Array.from({ length: 700 }, (_, i) => i);
    const a = new MT19937();
    a.initByArray(base);
    const b = new MT19937();
    b.initByArray([...base.slice(0, 699), 12345]);
    expect([...a.key]).not.toEqual([...b.key]);
  });
});

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MT19937 } from "./mt19937.js";
import {
  DEFAULT_GENERATOR_SEED,
  RANDPERM_LARGE_N,
  TORCH_LEGACY_STATE_SIZE,
  TORCH_STATE_SIZE,
  TorchCpuGenerator,
  normalizeTorchSeed,
} from "./torch-generator.js";
import { RuntimeError } from "../util/errors.js";

// Bit-exact parity with PyTorch is tested in test/random.test.ts; these tests pin down word
// consumption, the normal cache, state bytes and the large-n randperm.

function wordsUsed(seed: number, fn: (g: TorchCpuGenerator) => void): number {
  const g = new TorchCpuGenerator(seed);
  fn(g);
  const next = g.random();
  const mt = new MT19937(seed);
  for (let k = 0; k < 100000; k++) if (mt.nextUint32() === next) return k;
  throw new Error("not found");
}

describe("TorchCpuGenerator word consumption (rng-spec §3.15)", () => {
  it("uniform: one word per float32, two per float64", () => {
    expect(wordsUsed(0, (g) => g.uniformFill(new Float32Array(9), -1, 1))).toBe(9);
    expect(wordsUsed(0, (g) => g.uniformFill(new Float64Array(9), -1, 1))).toBe(18);
  });

  it("normal: scalar path 4 words per pair; block path n (+16 for a tail) words per float32", () => {
    expect(wordsUsed(0, (g) => g.normalFill(new Float64Array(5), 0, 1))).toBe(12);
    expect(wordsUsed(0, (g) => g.normalFill(new Float32Array(5), 0, 1))).toBe(12);
    expect(wordsUsed(0, (g) => g.normalFill(new Float32Array(32), 0, 1))).toBe(32);
    expect(wordsUsed(0, (g) => g.normalFill(new Float32Array(17), 0, 1))).toBe(33);
    expect(wordsUsed(0, (g) => g.normalFill(new Float64Array(17), 0, 1))).toBe(66);
  });

  it("randint: one word per value below 2³², two from there; randperm n − 1; bernoulli 2 per value", () => {
    expect(wordsUsed(0, (g) => g.randintFill(new Int32Array(6), 0, 1))).toBe(6);
    expect(wordsUsed(0, (g) => g.randintFill(new Float64Array(6), 0, 2 ** 32))).toBe(12);
    expect(wordsUsed(0, (g) => g.randperm(10))).toBe(9);
    expect(wordsUsed(0, (g) => g.randperm(1))).toBe(0);
    expect(wordsUsed(0, (g) => g.bernoulliFill(new Uint8Array(4), 0.5))).toBe(8);
  });
});

describe("TorchCpuGenerator normal cache", () => {
  it("an odd scalar-path count leaves the second value cached for the next call", () => {
    const a = new TorchCpuGenerator(0);
    const five = new Float64Array(5);
    a.normalFill(five, 0, 1);
    const b = new TorchCpuGenerator(0);
    const six = new Float64Array(6);
    b.normalFill(six, 0, 1);
    const one = new Float64Array(1);
    a.normalFill(one, 0, 1);
    expect([...five, ...one]).toEqual([...six]);
  });

  it("the cache stores the raw normal: the next call applies its own mean and std", () => {
    const a = new TorchCpuGenerator(3);
    a.normalFill(new Float64Array(1), 100, 5);
    const x = new Float64Array(1);
    a.normalFill(x, -2, 0.5);
    const b = new TorchCpuGenerator(3);
    b.standardNormalScalar();
    expect(x[0]).toBe(-2 + 0.5 * b.standardNormalScalar());
  });

  it("the block path and other kernels leave the cache alone; manualSeed clears it", () => {
    const a = new TorchCpuGenerator(1);
    a.normalFill(new Float64Array(1), 0, 1);
    const cached = new TorchCpuGenerator(1);
    cached.standardNormalScalar();
    const expected = cached.standardNormalScalar();
    a.normalFill(new Float32Array(20), 0, 1);
    a.uniformFill(new Float64Array(3), 0, 1);
    a.randperm(5);
    expect(a.standardNormalScalar()).toBe(expected);
    a.normalFill(new Float64Array(1), 0, 1);
    a.manualSeed(1);
    expect(a.standardNormalScalar()).toBe(new TorchCpuGenerator(1).standardNormalScalar());
  });

  it("the block tail redraws the last 16 slots", () => {
    // randn(17): slot 0 comes from the first full block; slots 1..16 from 16 fresh uniforms.
    const a = new TorchCpuGenerator(0);
    const x = new Float32Array(17);
    a.normalFill(x, 0, 1);
    const b = new TorchCpuGenerator(0);
    const first16 = new Float32Array(16);
    b.normalFill(first16, 0, 1);
    expect(x[0]).toBe(first16[0]);
    const c = new TorchCpuGenerator(0);
    c.randintFill(new Int32Array(17), 0, 2); // skip 17 words
    const tail = new Float32Array(16);
    c.normalFill(tail, 0, 1);
    expect([...x.subarray(1)]).toEqual([...tail]);
  });
});

describe("TorchCpuGenerator seeds and state", () => {
  it("normalises seeds like torch.manual_seed", () => {
    expect(normalizeTorchSeed(-1)).toBe(2n ** 64n - 1n);
    expect(normalizeTorchSeed(-(2n ** 63n))).toBe(2n ** 63n);
    expect(normalizeTorchSeed(1.9)).toBe(1n);
    expect(() => normalizeTorchSeed(2n ** 64n)).toThrow(new RuntimeError("Overflow when unpacking long"));
    expect(() => normalizeTorchSeed(NaN)).toThrow(TypeError);
  });

  it("only seed mod 2³² reaches MT19937, but initialSeed keeps the full value", () => {
    const a = new TorchCpuGenerator(2 ** 32 + 5);
    expect(a.initialSeed()).toBe(2n ** 32n + 5n);
    expect(a.random()).toBe(new TorchCpuGenerator(5).random());
    expect(new TorchCpuGenerator().initialSeed()).toBe(DEFAULT_GENERATOR_SEED);
  });

  it("seed() picks a fresh 53-bit seed", () => {
    const g = new TorchCpuGenerator();
    const s = g.seed();
    expect(s < 2n ** 53n).toBe(true);
    expect(g.initialSeed()).toBe(s);
  });

  it("state bytes round-trip, including the cached normal and the position", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 1500 }),
        (seed, skip) => {
          const a = new TorchCpuGenerator(seed);
          a.randintFill(new Int32Array(skip), 0, 7);
          a.normalFill(new Float64Array(1), 0, 1);
          const bytes = a.getState();
          expect(bytes.length).toBe(TORCH_STATE_SIZE);
          const ahead = new Float64Array(7);
          a.normalFill(ahead, 0, 1);
          const b = new TorchCpuGenerator(99);
          b.setState(bytes);
          expect(b.initialSeed()).toBe(BigInt(seed));
          const again = new Float64Array(7);
          b.normalFill(again, 0, 1);
          expect([...again]).toEqual([...ahead]);
          expect([...b.getState()]).toEqual([...a.getState()]);
        },
      ),
      { numRuns: 20 },
    );
  });

  it("a freshly seeded state records left = 1, next = 0 as PyTorch does", () => {
    const v = new DataView(new TorchCpuGenerator(0).getState().buffer);
    expect(v.getInt32(8, true)).toBe(1);
    expect(v.getInt32(12, true)).toBe(1);
    expect(v.getBigUint64(16, true)).toBe(0n);
  });

  it("accepts the legacy 5048-byte layout and rebuilds the cached normal from rho and x", () => {
    const a = new TorchCpuGenerator(0);
    const legacy = a.getState().slice(0, TORCH_LEGACY_STATE_SIZE);
    const v = new DataView(legacy.buffer);
    v.setFloat64(5016, 0.25, true); // normal_x: θ = 2π·0.25
    v.setFloat64(5032, 2, true); // normal_rho
    v.setInt32(5040, 1, true);
    const b = new TorchCpuGenerator(5);
    b.setState(legacy);
    expect(b.standardNormalScalar()).toBe(2);
  });

  it("rejects states of the wrong size or with an invalid MT position", () => {
    const g = new TorchCpuGenerator(0);
    expect(() => g.setState(new Uint8Array(10))).toThrow(
      "Expected either a CPUGeneratorImplStateLegacy of size 5048 or a CPUGeneratorImplState of size 5056 but found the input RNG state size to be 10",
    );
    const bad = g.getState();
    new DataView(bad.buffer).setInt32(8, 0, true);
    expect(() => g.setState(bad)).toThrow("Invalid mt19937 state");
  });
});

describe("TorchCpuGenerator integers", () => {
  it("randint ranges of 2³² and more agree between the number and BigInt paths", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
        fc.integer({ min: 2 ** 32, max: 2 ** 45 }),
        fc.integer({ min: 0, max: 1000 }),
        (low, span, seed) => {
          const x = new Float64Array(10);
          new TorchCpuGenerator(seed).randintFill(x, low, low + span);
          const y = new BigInt64Array(10);
          new TorchCpuGenerator(seed).randintBigFill(y, BigInt(low), BigInt(low + span));
          expect([...y].map(Number)).toEqual([...x]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("randint uses plain modulo of one word below 2³²", () => {
    const g = new TorchCpuGenerator(4);
    const x = new Int32Array(20);
    g.randintFill(x, -7, 3);
    const mt = new MT19937(4);
    for (const v of x) expect(v).toBe((mt.nextUint32() % 10) - 7);
  });

  it("randperm switches to the inside-out shuffle with 64-bit draws at the large-n threshold", () => {
    expect(RANDPERM_LARGE_N).toBe(214748364);
    const n = 1000;
    const perm = new TorchCpuGenerator(2).randperm(n, 0);
    expect([...perm].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    // Reference: a[i] = a[z]; a[z] = i with z = random64() mod (i + 1), in BigInt.
    const g = new TorchCpuGenerator(2);
    const ref = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const z = Number(g.random64() % BigInt(i + 1));
      ref[i] = ref[z]!;
      ref[z] = i;
    }
    expect([...perm]).toEqual(ref);
    expect(wordsUsed(2, (h) => h.randperm(50, 0))).toBe(100);
  });
});

describe("TorchCpuGenerator capabilities", () => {
  it("the default-capability build rounds multiply and add separately", () => {
    const fused = new Float32Array(2000);
    const unfused = new Float32Array(2000);
    new TorchCpuGenerator(0).uniformFill(fused, -0.577, 0.577);
    new TorchCpuGenerator(0, "default").uniformFill(unfused, -0.577, 0.577);
    let differ = 0;
    for (let i = 0; i < fused.length; i++) {
      expect(Math.abs(fused[i]! - unfused[i]!)).toBeLessThanOrEqual(2 ** -24);
      if (fused[i] !== unfused[i]) differ++;
    }
    expect(differ).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { logf32Cephes, normalFill16Avx2, sincosf32Cephes } from "./avx2-normal.js";

// The bits are checked against PyTorch in test/random.test.ts; here, that the polynomials are the
// accurate float32 log/sin/cos they should be, over the inputs the sampler feeds them.

const unitGrid = fc.integer({ min: 1, max: 2 ** 24 }).map((k) => k * 2 ** -24); // (0, 1] on the 2⁻²⁴ grid

describe("Cephes float32 polynomials", () => {
  it("log is within a few float32 ulp of the true logarithm on (0, 1]", () => {
    fc.assert(
      fc.property(unitGrid, (x) => {
        const got = logf32Cephes(x);
        expect(Math.fround(got)).toBe(got);
        const exact = Math.log(x);
        expect(Math.abs(got - exact)).toBeLessThanOrEqual(4 * 2 ** -24 * Math.max(Math.abs(exact), 2 ** -24));
      }),
      { numRuns: 2000 },
    );
    expect(logf32Cephes(1)).toBe(0);
  });

  it("sin and cos are within a few float32 ulp on [0, 2π)", () => {
    const twoPi = Math.fround(2 * Math.PI);
    fc.assert(
      fc.property(unitGrid, (u) => {
        const t = Math.fround(twoPi * (u - 2 ** -24));
        const [s, c] = sincosf32Cephes(t);
        expect(Math.abs(s - Math.sin(t))).toBeLessThanOrEqual(4 * 2 ** -24);
        expect(Math.abs(c - Math.cos(t))).toBeLessThanOrEqual(4 * 2 ** -24);
      }),
      { numRuns: 2000 },
    );
  });

  it("a block turns 16 uniforms into Box–Muller pairs (j, j+8) with mean and std applied", () => {
    const u = new Float32Array(16).map((_, i) => Math.fround((i * 37 + 5) / 613));
    const d = u.slice();
    normalFill16Avx2(d, 0, Math.fround(0.5), Math.fround(2));
    for (let j = 0; j < 8; j++) {
      const r = Math.sqrt(-2 * Math.log(1 - u[j]!));
      const theta = 2 * Math.PI * u[j + 8]!;
      expect(d[j]).toBeCloseTo(0.5 + 2 * r * Math.cos(theta), 4);
      expect(d[j + 8]).toBeCloseTo(0.5 + 2 * r * Math.sin(theta), 4);
    }
  });
});

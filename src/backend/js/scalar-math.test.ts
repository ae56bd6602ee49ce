import { describe, expect, it } from "vitest";
import { erf } from "./scalar-math.js";

describe("erf", () => {
  // Exact values against PyTorch live in the op fixtures (test/ops.test.ts); these check shape.
  it("is odd, bounded and monotone", () => {
    let prev = -1;
    for (let x = -7; x <= 7; x += 0.01) {
      const v = erf(x);
      expect(v).toBeGreaterThanOrEqual(prev);
      expect(Math.abs(v)).toBeLessThanOrEqual(1);
      expect(erf(-x)).toBe(-v);
      prev = v;
    }
  });
  it("satisfies erf'(x) = 2/√π e^{-x²} (central differences)", () => {
    for (const x of [-4, -2.5, -1, -0.3, 0, 0.2, 1.7, 2.99, 3.01, 4.5]) {
      const h = 1e-5;
      const d = (erf(x + h) - erf(x - h)) / (2 * h);
      expect(Math.abs(d - (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x))).toBeLessThan(1e-9);
    }
  });
  it("is continuous where the method switches at |x| = 3", () => {
    expect(Math.abs(erf(3 - 1e-12) - erf(3 + 1e-12))).toBeLessThan(1e-15);
  });
});

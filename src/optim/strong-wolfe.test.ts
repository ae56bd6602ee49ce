import { describe, expect, test } from "vitest";
import type { FloatArray } from "./kernels/scalar.js";
import { cubicInterpolate, strongWolfe } from "./strong-wolfe.js";

describe("strong Wolfe line search", () => {
  test("cubic interpolation finds the minimiser of a cubic through two points", () => {
    // f(x) = (x − 0.3)² has f(0) = 0.09, f'(0) = −0.6, f(1) = 0.49, f'(1) = 1.4.
    expect(cubicInterpolate(0, 0.09, -0.6, 1, 0.49, 1.4)).toBeCloseTo(0.3, 14);
    expect(cubicInterpolate(1, 0.49, 1.4, 0, 0.09, -0.6)).toBeCloseTo(0.3, 14);
    // Clamped to the bounds, and the midpoint when there is no real minimiser.
    expect(cubicInterpolate(0, 0.09, -0.6, 1, 0.49, 1.4, [0.5, 2])).toBe(0.5);
    expect(cubicInterpolate(0, 0, 1, 1, 2 / 3, 1)).toBe(0.5); // d1 ≈ 0, d1² < g1·g2
  });

  test("the accepted step satisfies the strong Wolfe conditions on a quadratic", () => {
    // f(x) = Σ (x_i − c_i)², searched from x = 0 along d = −∇f(0) = 2c.
    const c = [1, -2, 0.5];
    const x0 = [Float64Array.from([0, 0, 0])];
    const d = Float64Array.from(c, (v) => 2 * v);
    const dot = (a: FloatArray, b: FloatArray) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
      return s;
    };
    let evals = 0;
    const obj = (x: readonly FloatArray[], t: number, dir: FloatArray): [number, FloatArray] => {
      evals++;
      const p = Float64Array.from(x[0] as FloatArray, (v, i) => v + t * (dir[i] as number));
      let f = 0;
      for (let i = 0; i < p.length; i++) f += ((p[i] as number) - (c[i] as number)) ** 2;
      return [f, Float64Array.from(p, (v, i) => 2 * (v - (c[i] as number)))];
    };
    const f0 = c.reduce((s, v) => s + v * v, 0);
    const g0 = Float64Array.from(c, (v) => -2 * v);
    const gtd = dot(g0, d);
    const res = strongWolfe(obj, x0, 1, d, f0, g0, gtd, { dot });
    expect(res.evals).toBe(evals);
    expect(res.f).toBeLessThanOrEqual(f0 + 1e-4 * res.t * gtd);
    expect(Math.abs(dot(res.g, d))).toBeLessThanOrEqual(-0.9 * gtd);
  });
});

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { fma32 } from "../../util/fma.js";
import { arithmeticFor, lerp, maximum, sign } from "./scalar.js";

const f32 = (x: number) => Math.fround(x);

describe("kernel scalar arithmetic", () => {
  test("lerp reaches its ends exactly and uses the nearer end as its base", () => {
    const { round, fma } = arithmeticFor(true);
    fc.assert(
      fc.property(
        fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
        fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
        (a, b) => {
          expect(lerp(round, fma, a, b, 0)).toBe(a + 0);
          expect(lerp(round, fma, a, b, 1)).toBe(b);
          const w = f32(0.1);
          expect(lerp(round, fma, a, b, w)).toBe(fma32(w, f32(b - a), a));
          const v = f32(0.7);
          expect(lerp(round, fma, a, b, v)).toBe(fma32(f32(v - 1), f32(b - a), b));
        },
      ),
    );
  });

  test("float64 arithmetic does not round to float32", () => {
    const { round } = arithmeticFor(false);
    expect(round(0.1)).toBe(0.1);
    expect(arithmeticFor(true).round(0.1)).toBe(f32(0.1));
  });

  test("maximum propagates NaN and returns the first argument on ties", () => {
    expect(maximum(NaN, 1)).toBeNaN();
    expect(maximum(1, NaN)).toBeNaN();
    expect(Object.is(maximum(-0, 0), -0)).toBe(true);
    expect(Object.is(maximum(0, -0), 0)).toBe(true);
    expect(maximum(1, 2)).toBe(2);
  });

  test("sign is 0 for NaN and zeros, as torch.sign on CPU", () => {
    expect(sign(NaN)).toBe(0);
    expect(sign(-0)).toBe(0);
    expect(sign(-3)).toBe(-1);
    expect(sign(1e-45)).toBe(1);
  });
});

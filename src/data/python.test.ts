import { describe, expect, it } from "vitest";
import { isClose, pyRepr, pySum } from "./python.js";

describe("Python helpers", () => {
  it("sums like Python 3.12's compensated sum()", () => {
    expect(pySum(Array(10).fill(0.1))).toBe(1);
    expect(pySum([0.1, 0.2, 0.3])).toBe(0.6);
    expect(pySum([1e100, 1, -1e100])).toBe(1);
    expect(pySum([])).toBe(0);
    expect(pySum([Infinity, 1])).toBe(Infinity);
  });

  it("compares like math.isclose", () => {
    expect(isClose(0.9999999999999999, 1)).toBe(true);
    expect(isClose(1 + 1e-8, 1)).toBe(false);
    expect(isClose(Infinity, Infinity)).toBe(true);
    expect(isClose(NaN, NaN)).toBe(false);
  });

  it("prints values as Python would", () => {
    expect(pyRepr(false)).toBe("False");
    expect(pyRepr(null)).toBe("None");
    expect(pyRepr(3)).toBe("3");
    expect(pyRepr(2.5)).toBe("2.5");
    expect(pyRepr("x")).toBe("'x'");
    expect(pyRepr([1, true])).toBe("[1, True]");
  });
});

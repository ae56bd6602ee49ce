import { describe, expect, it } from "vitest";
import { bisectRight, floorDiv, pyFloatRepr, pyLog, pyMod, pyStr, typeName } from "./python.js";

describe("python number semantics", () => {
  it("pyMod takes the sign of the divisor, like Python's %", () => {
    expect(pyMod(-5, 8)).toBe(3);
    expect(pyMod(5, -8)).toBe(-3);
    expect(pyMod(7, 7)).toBe(0);
    expect(pyMod(7.5, 3)).toBe(1.5);
  });

  it("floorDiv floors toward minus infinity", () => {
    expect(floorDiv(7, 3)).toBe(2);
    expect(floorDiv(-1, 3)).toBe(-1);
  });

  it("bisectRight counts entries <= x", () => {
    expect(bisectRight([2, 5, 5, 9], 5)).toBe(3);
    expect(bisectRight([2, 5, 5, 9], 1)).toBe(0);
    expect(bisectRight([2, 5, 5, 9], 9)).toBe(4);
    expect(bisectRight([], 0)).toBe(0);
  });

  it("pyFloatRepr formats like Python's repr(float)", () => {
    expect(pyFloatRepr(2)).toBe("2.0");
    expect(pyFloatRepr(0.1)).toBe("0.1");
    expect(pyFloatRepr(1e-5)).toBe("1e-05");
    expect(pyFloatRepr(0.0001)).toBe("0.0001");
    expect(pyFloatRepr(1e16)).toBe("1e+16");
    expect(pyFloatRepr(1.2345678901234568e17)).toBe("1.2345678901234568e+17");
    expect(pyFloatRepr(1234567890123456)).toBe("1234567890123456.0");
    expect(pyFloatRepr(-2.5e-7)).toBe("-2.5e-07");
    expect(pyFloatRepr(12345.678)).toBe("12345.678");
    expect(pyFloatRepr(-0)).toBe("-0.0");
    expect(pyFloatRepr(Infinity)).toBe("inf");
    expect(pyFloatRepr(-Infinity)).toBe("-inf");
    expect(pyFloatRepr(NaN)).toBe("nan");
  });

  it("pyStr prints ints as ints and other values as Python would", () => {
    expect(pyStr(3)).toBe("3");
    expect(pyStr(2.5)).toBe("2.5");
    expect(pyStr(null)).toBe("None");
    expect(pyStr(true)).toBe("True");
    expect(pyStr("cats")).toBe("cats");
  });

  it("typeName names values for messages", () => {
    expect(typeName(null)).toBe("null");
    expect(typeName(undefined)).toBe("undefined");
    expect(typeName(1)).toBe("number");
    expect(typeName([])).toBe("Array");
    expect(typeName({})).toBe("Object");
    expect(typeName(Object.create(null))).toBe("Object");
    expect(typeName(() => 1)).toBe("function");
    expect(typeName(new (class Foo {})())).toBe("Foo");
  });

  it("pyLog is correctly rounded where Math.log is not", () => {
    // ln 3 = 1.09861228866810969139...; the nearest double is the one Python prints.
    expect(pyLog(3)).toBe(1.0986122886681098);
    expect(pyLog(1)).toBe(0);
    expect(pyLog(Math.E)).toBe(1);
    for (const x of [0.5, 2, 10, 1e-300, 1e300, 7.25])
      expect(Math.abs(pyLog(x) - Math.log(x))).toBeLessThanOrEqual(
        2 * Number.EPSILON * Math.abs(Math.log(x)),
      );
    expect(pyLog(0)).toBe(-Infinity);
    expect(pyLog(-1)).toBeNaN();
  });
});

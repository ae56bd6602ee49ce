import { describe, expect, it } from "vitest";
import { suggestName as suggest } from "../../util/options.js";
import {
  booleanOption,
  checkOptions,
  numberOption,
  numberOrListOption,
  required,
  stringOption,
} from "./options.js";

describe("options bags", () => {
  const allowed = ["stepSize", "gamma", "lastEpoch"];

  it("accepts known keys and an absent bag", () => {
    expect(checkOptions("StepLR", { stepSize: 3 }, allowed)).toEqual({ stepSize: 3 });
    expect(checkOptions("StepLR", undefined, allowed)).toEqual({});
  });

  it("suggests the camelCase name for a snake_case option", () => {
    expect(() => checkOptions("StepLR", { step_size: 3 }, allowed)).toThrow(
      new TypeError("unknown option step_size for StepLR; did you mean stepSize?"),
    );
    expect(() => checkOptions("CosineAnnealingLR", { T_max: 3 }, ["tMax", "etaMin", "lastEpoch"])).toThrow(
      "unknown option T_max for CosineAnnealingLR; did you mean tMax?",
    );
    expect(() => checkOptions("StepLR", { last_epoch: 3 }, allowed)).toThrow("did you mean lastEpoch?");
  });

  it("suggests a near miss by edit distance", () => {
    expect(suggest("gama", allowed)).toBe("gamma");
    expect(suggest("stepSzie", allowed)).toBe("stepSize");
    expect(suggest("colour", allowed)).toBeUndefined();
    expect(() => checkOptions("StepLR", { gama: 0.1 }, allowed)).toThrow(
      "unknown option gama for StepLR; did you mean gamma?",
    );
  });

  it("lists the options when nothing is close", () => {
    expect(() => checkOptions("StepLR", { verbose: true }, allowed)).toThrow(
      "unknown option verbose for StepLR; expected one of stepSize, gamma, lastEpoch",
    );
  });

  it("rejects a non-object bag", () => {
    expect(() => checkOptions("StepLR", 3, allowed)).toThrow(
      new TypeError("StepLR options must be an object, got number"),
    );
    expect(() => checkOptions("StepLR", [3], allowed)).toThrow(TypeError);
    expect(() => checkOptions("StepLR", null, allowed)).toThrow(TypeError);
  });

  it("reads typed options with defaults and reports missing or mistyped ones", () => {
    expect(required("X", { a: 1 }, "a")).toBe(1);
    expect(() => required("X", {}, "a")).toThrow(new TypeError("X missing required option a"));
    expect(numberOption("X", {}, "a", 2)).toBe(2);
    expect(() => numberOption("X", {}, "a")).toThrow("X missing required option a");
    expect(() => numberOption("X", { a: "1" }, "a", 2)).toThrow(
      new TypeError("X option a must be a number, got string"),
    );
    expect(numberOrListOption("X", { a: [1, 2] }, "a")).toEqual([1, 2]);
    expect(numberOrListOption("X", {}, "a", 3)).toBe(3);
    expect(() => numberOrListOption("X", { a: ["1"] }, "a")).toThrow(TypeError);
    expect(booleanOption("X", {}, "a", true)).toBe(true);
    expect(() => booleanOption("X", { a: 1 }, "a", true)).toThrow("X option a must be a boolean, got number");
    expect(stringOption("X", { a: "min" }, "a", "max")).toBe("min");
    expect(() => stringOption("X", { a: 1 }, "a", "max")).toThrow("X option a must be a string, got number");
  });
});

import { describe, expect, it } from "vitest";
import { CliError } from "./cli-error.js";
import {
  parseBoolean,
  parseChoice,
  parseInteger,
  parseList,
  parseNonNegative,
  parseNumber,
  parsePair,
  parsePositive,
} from "./parse.js";

describe("flag parsers", () => {
  it("read decimal numbers and refuse everything else, naming the flag and the text", () => {
    expect(parseNumber("--x", "1e-3")).toBe(1e-3);
    expect(parseNumber("--x", " -2.5 ")).toBe(-2.5);
    expect(parseNumber("--x", ".5")).toBe(0.5);
    for (const bad of ["", "abc", "1,5", "0x10", "NaN", "Infinity", "1e999", "1.2.3", "--1"]) {
      expect(() => parseNumber("--x", bad)).toThrow(CliError);
    }
    expect(() => parseNumber("--lr", "abc")).toThrow('--lr must be a number, got "abc"');
  });

  it("check signs and integrality", () => {
    expect(parseNonNegative("--wd", "0")).toBe(0);
    expect(() => parseNonNegative("--wd", "-1e-4")).toThrow(
      '--wd must be a non-negative number, got "-1e-4"',
    );
    expect(() => parsePositive("--g", "0")).toThrow("--g must be a positive number");
    expect(parseInteger("--epochs", "3")).toBe(3);
    expect(parseInteger("--seed", "0", 0)).toBe(0);
    expect(() => parseInteger("--epochs", "0")).toThrow("--epochs must be a positive integer");
    expect(() => parseInteger("--seed", "-1", 0)).toThrow("--seed must be a non-negative integer");
    expect(() => parseInteger("--epochs", "2.5")).toThrow(CliError);
  });

  it("read choices, pairs, booleans and lists", () => {
    expect(parseChoice("--m", "cnn", ["mlp", "cnn"])).toBe("cnn");
    expect(() => parseChoice("--m", "rnn", ["mlp", "cnn"])).toThrow('--m must be one of mlp, cnn, got "rnn"');
    expect(parsePair("--betas", "0.9,0.95")).toEqual([0.9, 0.95]);
    expect(() => parsePair("--betas", "0.9")).toThrow("two numbers separated by a comma");
    expect(parseBoolean("--b", "yes")).toBe(true);
    expect(parseBoolean("--b", "0")).toBe(false);
    expect(() => parseBoolean("--b", "maybe")).toThrow(CliError);
    expect(parseList("--wds", "0, 1e-4", parseNonNegative)).toEqual([0, 1e-4]);
    expect(() => parseList("--wds", "0,,1", parseNonNegative)).toThrow("without empty items");
    expect(() => parseList("--wds", "0,-1", parseNonNegative)).toThrow("--wds must be a non-negative number");
  });
});

/**
 * Parsers for flag values. Each returns the value or throws a {@link CliError} that names the flag,
 * says what was given and what is expected (`--lr must be a non-negative number, got "-0.1"`).
 *
 * @module
 */

import { CliError } from "./cli-error.js";

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A finite decimal number (`0.1`, `1e-4`); words, empty strings, `NaN` and `Infinity` are refused.
 *
 * @example
 * ```ts
 * parseNumber("--lr", "1e-3"); // 0.001
 * ```
 */
export function parseNumber(flag: string, text: string): number {
  const s = text.trim();
  const v = parseNumberQuiet(s);
  if (v === undefined) throw new CliError(`${flag} must be a number, got ${JSON.stringify(text)}`);
  return v;
}

/**
 * A finite number ≥ 0.
 *
 * @example
 * ```ts
 * parseNonNegative("--weight-decay", "5e-4"); // 0.0005
 * ```
 */
export function parseNonNegative(flag: string, text: string): number {
  const v = parseNumberQuiet(text);
  if (v === undefined || v < 0) {
    throw new CliError(`${flag} must be a non-negative number, got ${JSON.stringify(text)}`);
  }
  return v;
}

/**
 * A finite number > 0.
 *
 * @example
 * ```ts
 * parsePositive("--eta-min", "0.5"); // 0.5
 * ```
 */
export function parsePositive(flag: string, text: string): number {
  const v = parseNumberQuiet(text);
  if (v === undefined || v <= 0)
    throw new CliError(`${flag} must be a positive number, got ${JSON.stringify(text)}`);
  return v;
}

/**
 * An integer ≥ `min` (default 1).
 *
 * @example
 * ```ts
 * parseInteger("--epochs", "3"); // 3
 * ```
 */
export function parseInteger(flag: string, text: string, min = 1): number {
  const v = parseNumberQuiet(text);
  if (v === undefined || !Number.isSafeInteger(v) || v < min) {
    const what =
      min === 0 ? "a non-negative integer" : min === 1 ? "a positive integer" : `an integer ≥ ${min}`;
    throw new CliError(`${flag} must be ${what}, got ${JSON.stringify(text)}`);
  }
  return v;
}

/**
 * One of a fixed set of words.
 *
 * @example
 * ```ts
 * parseChoice("--model", "cnn", ["mlp", "cnn"]); // "cnn"
 * ```
 */
export function parseChoice<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw new CliError(`${flag} must be one of ${choices.join(", ")}, got ${JSON.stringify(text)}`);
}

/**
 * Two numbers separated by a comma (`0.9,0.999`), for `--betas`, `--etas`, `--step-sizes`.
 *
 * @example
 * ```ts
 * parsePair("--betas", "0.9,0.999"); // [0.9, 0.999]
 * ```
 */
export function parsePair(flag: string, text: string): [number, number] {
  const parts = text.split(",");
  const a = parts.length === 2 ? parseNumberQuiet(parts[0]!) : undefined;
  const b = parts.length === 2 ? parseNumberQuiet(parts[1]!) : undefined;
  if (a === undefined || b === undefined) {
    throw new CliError(
      `${flag} must be two numbers separated by a comma (like 0.9,0.999), got ${JSON.stringify(text)}`,
    );
  }
  return [a, b];
}

/**
 * A boolean given as a word (`true/false`, `yes/no`, `1/0`), for options that default to true.
 *
 * @example
 * ```ts
 * parseBoolean("--nesterov", "yes"); // true
 * ```
 */
export function parseBoolean(flag: string, text: string): boolean {
  const s = text.trim().toLowerCase();
  if (s === "true" || s === "yes" || s === "1") return true;
  if (s === "false" || s === "no" || s === "0") return false;
  throw new CliError(`${flag} must be true or false, got ${JSON.stringify(text)}`);
}

/**
 * A comma-separated list of non-empty items, each parsed by `item`.
 *
 * @example
 * ```ts
 * parseList("--weight-decays", "0,1e-4", parseNonNegative); // [0, 0.0001]
 * ```
 */
export function parseList<T>(flag: string, text: string, item: (flag: string, text: string) => T): T[] {
  const parts = text.split(",").map((s) => s.trim());
  if (parts.some((s) => s === "")) {
    throw new CliError(
      `${flag} must be a comma-separated list without empty items, got ${JSON.stringify(text)}`,
    );
  }
  return parts.map((s) => item(flag, s));
}

function parseNumberQuiet(text: string): number | undefined {
  const s = text.trim();
  if (!NUMBER.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

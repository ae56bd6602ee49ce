/**
 * Option bags and hyperparameter validation shared by the optimizers: unknown names are errors
 * that suggest the camelCase spelling, and invalid values raise PyTorch's exact messages.
 *
 * Numbers in messages are printed as Python would print the value the user most likely passed:
 * an integer-valued JS number as a Python int (`-1`, `2`), anything else as `repr(float)`
 * (`-0.5`, `1e-05`). JavaScript cannot tell `1` from `1.0`, so where a PyTorch test passes a float
 * such as `momentum=-1.0` the message reads `-1` here; the same rule is why `betas: [0, 0.99]` is
 * accepted although current PyTorch rejects a Python int beta.
 *
 * @example
 * ```ts
 * resolveOptions("SGD", { lr: 1e-3, momentum: 0 }, { weight_decay: 0.1 });
 * // TypeError: unknown option weight_decay for SGD; did you mean weightDecay?
 * ```
 * @module
 */

import { Tensor } from "../tensor/tensor.js";
import { RuntimeError, ValueError } from "../util/errors.js";
import { assertKnownOptions, suggestName } from "../util/options.js";
import { pyNumberRepr } from "../util/python-repr.js";

/** Hyperparameters of a group or the defaults of an optimizer, under camelCase names. */
export type Hyperparameters = Record<string, unknown>;

/**
 * Merge user options over an optimizer's defaults, keeping the defaults' key order (PyTorch's
 * order of hyperparameters in every group and state dict).
 *
 * @throws TypeError for a non-object bag or an unknown option, suggesting the intended name.
 * @example
 * ```ts
 * resolveOptions("SGD", { lr: 1e-3, momentum: 0 }, { momentum: 0.9 }); // { lr: 0.001, momentum: 0.9 }
 * ```
 */
export function resolveOptions(
  owner: string,
  defaults: Hyperparameters,
  options: unknown,
  allowed: readonly string[] = Object.keys(defaults),
): Hyperparameters {
  if (options === undefined || options === null) return { ...defaults };
  if (typeof options !== "object" || Array.isArray(options) || options instanceof Tensor) {
    throw new TypeError(`${owner} options must be an object, got ${jsTypeName(options)}`);
  }
  assertKnownOptions(owner, options, allowed);
  const out: Hyperparameters = { ...defaults };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) out[key] = value;
  return out;
}

/**
 * Reject a parameter-group key that is a misspelling of a hyperparameter (`weight_decay`,
 * `momentm`). Other keys are allowed, as in PyTorch, where groups may carry user data and
 * schedulers add keys such as `initialLr`. Only near misses (same letters, or one edit for names
 * of four letters or more) count, so unrelated user keys pass.
 *
 * @throws TypeError `unknown option weight_decay in parameter group 0 for SGD; did you mean weightDecay?`
 * @example
 * ```ts
 * checkGroupKey("SGD", 0, "weight_decay", ["lr", "weightDecay"]); // throws
 * checkGroupKey("SGD", 0, "name", ["lr", "weightDecay"]); // fine
 * ```
 */
export function checkGroupKey(owner: string, index: number, key: string, known: readonly string[]): void {
  if (key === "params" || known.includes(key)) return;
  const meant = suggestName(key, known, { maxDistance: key.length >= 4 ? 1 : 0, containment: false });
  if (meant !== undefined) {
    throw new TypeError(
      `unknown option ${key} in parameter group ${index} for ${owner}; did you mean ${meant}?`,
    );
  }
}

/**
 * A JS value's type as a short name for messages (`number`, `string`, `Array`, `Tensor`).
 *
 * @example
 * ```ts
 * jsTypeName([1]); // "Array"
 * ```
 */
export function jsTypeName(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "Array";
  if (typeof x === "object") {
    const name = (x as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === "string" && name !== "" ? name : "Object";
  }
  return typeof x;
}

/**
 * Python's `torch.typename(x)` for a value that is not a tensor, as PyTorch's messages print it:
 * `float`, `int`, `str`, `bool`, `NoneType`, `list`, `dict`.
 *
 * @example
 * ```ts
 * pyTypeName(1.5); // "float"
 * ```
 */
export function pyTypeName(x: unknown): string {
  if (x === null || x === undefined) return "NoneType";
  if (typeof x === "number") return Number.isInteger(x) && !Object.is(x, -0) ? "int" : "float";
  if (typeof x === "string") return "str";
  if (typeof x === "boolean") return "bool";
  if (typeof x === "function") return "function";
  if (Array.isArray(x)) return "list";
  if (x instanceof Set) return "set";
  if (x instanceof Map) return "dict";
  const name = (x as { constructor?: { name?: unknown } }).constructor?.name;
  return name === "Object" || typeof name !== "string" ? "dict" : name;
}

/**
 * A number as PyTorch's f-string messages print it (see the module note on integers).
 *
 * @example
 * ```ts
 * fmt(-1); // "-1"
 * fmt(1e-5); // "1e-05"
 * ```
 */
export const fmt = pyNumberRepr;

/**
 * Read a numeric hyperparameter, rejecting other types. A 1-element tensor learning rate is not
 * supported (tsgrad computes hyperparameters in doubles); a tensor of another size gets PyTorch's
 * message first.
 *
 * @throws ValueError `Tensor lr must be 1-element`; TypeError for any non-number.
 * @example
 * ```ts
 * numberOption("SGD", "lr", 0.1); // 0.1
 * ```
 */
export function numberOption(owner: string, name: string, value: unknown): number {
  if (typeof value === "number") return value;
  if (value instanceof Tensor) {
    if (value.numel() !== 1) throw new ValueError(`Tensor ${name} must be 1-element`);
    throw new TypeError(
      `${owner}: ${name} as a Tensor is not supported by tsgrad; pass a number (${name}.item())`,
    );
  }
  throw new TypeError(`${owner}: ${name} must be a number, got ${jsTypeName(value)}`);
}

/**
 * Read a boolean flag, rejecting other types.
 *
 * @throws TypeError for a non-boolean.
 * @example
 * ```ts
 * booleanOption("SGD", "nesterov", true); // true
 * ```
 */
export function booleanOption(owner: string, name: string, value: unknown): boolean {
  if (typeof value === "boolean") return value;
  throw new TypeError(`${owner}: ${name} must be a boolean, got ${jsTypeName(value)}`);
}

/**
 * Read an optional boolean flag (`foreach`, `fused`: `null` means "let PyTorch choose").
 *
 * @throws TypeError for anything but a boolean or null.
 * @example
 * ```ts
 * optionalBooleanOption("Adam", "fused", null); // null
 * ```
 */
export function optionalBooleanOption(owner: string, name: string, value: unknown): boolean | null {
  if (value === null || typeof value === "boolean") return value;
  throw new TypeError(`${owner}: ${name} must be a boolean or null, got ${jsTypeName(value)}`);
}

/**
 * Read a pair of numbers such as `betas` or `etas`.
 *
 * @throws TypeError unless `value` is an array of exactly two numbers.
 * @example
 * ```ts
 * pairOption("Adam", "betas", [0.9, 0.999]); // [0.9, 0.999]
 * ```
 */
export function pairOption(owner: string, name: string, value: unknown): [number, number] {
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === "number")) {
    return [value[0] as number, value[1] as number];
  }
  if (Array.isArray(value) && value.some((v) => v instanceof Tensor)) {
    throw new TypeError(`${owner}: ${name} as Tensors are not supported by tsgrad; pass numbers`);
  }
  throw new TypeError(`${owner}: ${name} must be an array of two numbers, got ${jsTypeName(value)}`);
}

/**
 * PyTorch's Adam-family check `if not 0.0 <= value: raise ValueError(...)` (NaN fails).
 *
 * @throws ValueError `"{label}: {value}"`, e.g. `Invalid learning rate: -1`.
 * @example
 * ```ts
 * requireNonNegative("Invalid epsilon value", -1e-8); // throws "Invalid epsilon value: -1e-08"
 * ```
 */
export function requireNonNegative(label: string, value: number): void {
  if (!(0 <= value)) throw new ValueError(`${label}: ${fmt(value)}`);
}

/**
 * Check the fused/foreach/differentiable combination the way PyTorch's constructors do.
 *
 * @throws RuntimeError when `fused` is combined with `differentiable` or `foreach`.
 * @example
 * ```ts
 * checkFusedFlags({ fused: true, foreach: true }); // RuntimeError: `fused` and `foreach` cannot be `True` together.
 * ```
 */
export function checkFusedFlags(h: Hyperparameters): void {
  if (h.fused !== true) return;
  if (h.differentiable === true) throw new RuntimeError("`fused` does not support `differentiable`");
  if (h.foreach === true) throw new RuntimeError("`fused` and `foreach` cannot be `True` together.");
}

/**
 * PyTorch's validation shared by the Adam family (Adam, AdamW, Adamax, NAdam, RAdam): value types,
 * then the ranges of lr, eps, both betas and weight decay, in PyTorch's order and words.
 *
 * @throws TypeError for a value of the wrong type; ValueError `Invalid learning rate: -1`, ...
 * @example checkAdamFamily("NAdam", h, ["decoupledWeightDecay", "maximize"]);
 */
export function checkAdamFamily(owner: string, h: Hyperparameters, flags: readonly string[]): void {
  const lr = numberOption(owner, "lr", h.lr);
  const eps = numberOption(owner, "eps", h.eps);
  const [beta1, beta2] = pairOption(owner, "betas", h.betas);
  const weightDecay = numberOption(owner, "weightDecay", h.weightDecay);
  for (const flag of flags) booleanOption(owner, flag, h[flag]);
  optionalBooleanOption(owner, "foreach", h.foreach);
  requireNonNegative("Invalid learning rate", lr);
  requireNonNegative("Invalid epsilon value", eps);
  if (!(0 <= beta1 && beta1 < 1)) throw new ValueError(`Invalid beta parameter at index 0: ${fmt(beta1)}`);
  if (!(0 <= beta2 && beta2 < 1)) throw new ValueError(`Invalid beta parameter at index 1: ${fmt(beta2)}`);
  requireNonNegative("Invalid weight_decay value", weightDecay);
}

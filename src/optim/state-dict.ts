/**
 * The pieces of PyTorch's optimizer `state_dict()` format that do not depend on an optimizer:
 * snake_case ⇄ camelCase key names, and the casting `load_state_dict` applies to saved state.
 *
 * @example
 * ```ts
 * toSnakeCase("weightDecay"); // "weight_decay"
 * toCamelCase("initial_lr"); // "initialLr"
 * ```
 * @module
 */

import { allocate, isFloatingDType, type DType } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";

/** A parameter group as `stateDict()` stores it: snake_case hyperparameters, `params` as indices. */
export type PackedParamGroup = Record<string, unknown> & { params: number[] };

/** Per-parameter optimizer state: PyTorch's keys (`step`, `exp_avg`, ...) to tensors or plain values. */
export type ParamState = Record<string, unknown>;

/**
 * An optimizer's state in PyTorch's layout: `state` maps a parameter's index (its position across
 * all groups, in order) to its state; `param_groups` holds each group's hyperparameters under
 * PyTorch's snake_case names with `params` (the indices) last.
 */
export interface OptimizerStateDict {
  state: Record<string, ParamState>;
  param_groups: PackedParamGroup[];
}

/**
 * camelCase to PyTorch's snake_case (`lrDecay` → `lr_decay`, `t0` stays `t0`).
 *
 * @example
 * ```ts
 * toSnakeCase("initialAccumulatorValue"); // "initial_accumulator_value"
 * ```
 */
export function toSnakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}

/**
 * snake_case to camelCase (`max_momentum` → `maxMomentum`); other keys are returned unchanged.
 *
 * @example
 * ```ts
 * toCamelCase("decoupled_weight_decay"); // "decoupledWeightDecay"
 * ```
 */
export function toCamelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * A dense copy of `t` converted to `dtype` (values are rounded as a typed-array store rounds).
 *
 * @example
 * ```ts
 * copyTensor(tg.tensor([0.1], { dtype: "float64" }), "float32"); // float32 0.1
 * ```
 */
export function copyTensor(t: Tensor, dtype: DType = t.dtype): Tensor {
  const out = allocate(dtype, t.numel());
  out.set(t.toTypedArray());
  return new Tensor(out, t.shape);
}

/**
 * Copy one saved state value for `param`, as PyTorch's `load_state_dict` casts it: a tensor under
 * the key `step` keeps its dtype; other tensors take the parameter's dtype (when it is floating);
 * arrays and plain objects are copied recursively (an array passes its own key down, an object its
 * entries' keys); anything else is kept. Tensors are always copied, so the optimizer never shares
 * storage with the dictionary it was loaded from.
 *
 * @example
 * ```ts
 * castStateValue(param, "exp_avg", savedFloat64Tensor); // a float32 copy when param is float32
 * ```
 */
export function castStateValue(param: Tensor, key: string, value: unknown): unknown {
  if (value instanceof Tensor) {
    if (key === "step" || !isFloatingDType(param.dtype) || !isFloatingDType(value.dtype))
      return copyTensor(value);
    return copyTensor(value, param.dtype);
  }
  if (Array.isArray(value)) return value.map((v: unknown) => castStateValue(param, key, v));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = castStateValue(param, k, v);
    return out;
  }
  return value;
}

/**
 * Whether `x` is a plain `{...}` object (what Python would call a dict here).
 *
 * @example
 * ```ts
 * isPlainObject({ params: [] }); // true
 * ```
 */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object") return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A hyperparameter value copied so that groups never share a mutable array.
 *
 * @example
 * ```ts
 * copyHyperparameter([0.9, 0.999]); // a new array
 * ```
 */
export function copyHyperparameter(value: unknown): unknown {
  return Array.isArray(value) ? value.map(copyHyperparameter) : value;
}

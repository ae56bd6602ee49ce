/**
 * Shared pieces of the optimizer parity tests: the fixture's types, decoding of encoded tensors and
 * state dicts, building an optimizer from PyTorch's snake_case keyword arguments, feeding the
 * fixture's gradients, and per-optimizer accuracy statistics.
 */

import * as optim from "../../src/optim/index.js";
import type { Optimizer, OptimizerStateDict, ParamGroupInput } from "../../src/optim/index.js";
import { toCamelCase } from "../../src/optim/state-dict.js";
import { Tensor } from "../../src/tensor/tensor.js";
import { decodeValues, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";
import { makeInputs } from "./stream.js";

export type Dtype = "float32" | "float64";

export interface OptimCase {
  name: string;
  optimizer: string;
  dtype: Dtype;
  seed: number;
  steps: number;
  kwargs: Record<string, unknown>;
  groups: Array<Record<string, unknown> & { params: number[] }>;
  none: Array<[number, number]>;
  zero: Array<[number, number]>;
  source: string;
  params: EncodedTensor[];
  state: Record<string, Record<string, unknown>>;
}

export interface LegacyStateDictCase {
  name: string;
  optimizer: string;
  dtype: Dtype;
  seed: number;
  saved_after: number;
  continued: number;
  kwargs: Record<string, unknown>;
  state_dict: {
    state: Record<string, Record<string, unknown>>;
    param_groups: Array<Record<string, unknown>>;
  };
  params_at_save: EncodedTensor[];
  source: string;
  params: EncodedTensor[];
  state: Record<string, Record<string, unknown>>;
}

export interface LbfgsCall {
  loss: number;
  params: EncodedTensor;
  func_evals: number;
  n_iter: number;
  closure_calls: number;
}

export interface LbfgsCase {
  name: string;
  start: number[];
  options: Record<string, unknown>;
  source: string;
  budget_changed_result: boolean;
  calls: LbfgsCall[];
  calls_113: LbfgsCall[];
}

export interface OptimizersFixture {
  meta: Record<string, string>;
  sources: Record<string, string>;
  validated_against_113: number;
  shapes: number[][];
  stream_check: Record<Dtype, { seed: number; params: EncodedTensor[]; grads: EncodedTensor[][] }>;
  cases: OptimCase[];
  long_cases: OptimCase[];
  legacy_state_dicts: LegacyStateDictCase[];
  lbfgs: LbfgsCase[];
}

let cached: OptimizersFixture | undefined;

/** The parsed fixture (read once per test file). */
export function fixture(): OptimizersFixture {
  cached ??= loadFixture<OptimizersFixture>("optimizers");
  return cached;
}

/** Whether a JSON value is an encoded tensor. */
export function isEncodedTensor(v: unknown): v is EncodedTensor {
  return v !== null && typeof v === "object" && "dtype" in v && "shape" in v && "data" in v;
}

/** An encoded tensor as a tsgrad tensor of its dtype. */
export function decodeTensor(e: EncodedTensor): Tensor {
  const values = decodeValues(e);
  const data = e.dtype === "float32" ? Float32Array.from(values) : Float64Array.from(values);
  return new Tensor(data, e.shape);
}

/** A JSON state value with encoded tensors replaced by tensors. */
export function decodeState(v: unknown): unknown {
  if (isEncodedTensor(v)) return decodeTensor(v);
  if (Array.isArray(v)) return v.map(decodeState);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeState(x)]));
  }
  return v;
}

/** PyTorch keyword arguments (snake_case) as tsgrad options (camelCase). */
export function camelOptions(kwargs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [toCamelCase(k), v]));
}

type OptimizerClass = new (
  params: Iterable<Tensor> | Iterable<ParamGroupInput>,
  options?: object,
) => Optimizer;

/** The optimizer class of a fixture's name. */
export function optimizerClass(name: string): OptimizerClass {
  const cls = (optim as unknown as Record<string, OptimizerClass>)[name];
  if (cls === undefined) throw new Error(`no optimizer ${name}`);
  return cls;
}

/** Fresh leaf parameters (requiring grad) with the fixture stream's initial values. */
export function leafParams(
  c: { seed: number; dtype: Dtype; steps?: number },
  steps: number,
): {
  params: Tensor[];
  grads: Tensor[][];
} {
  const { params, grads } = makeInputs(c.seed, c.dtype, steps, fixture().shapes);
  return { params: params.map((p) => p.requiresGrad_()), grads };
}

/** Build the optimizer a case describes over `params` (one group, or the case's groups). */
export function buildOptimizer(c: OptimCase, params: Tensor[]): Optimizer {
  const cls = optimizerClass(c.optimizer);
  const options = camelOptions(c.kwargs);
  if (
    c.groups.length === 1 &&
    c.groups[0]?.params.length === params.length &&
    Object.keys(c.groups[0]).length === 1
  ) {
    return new cls(params, options);
  }
  const groups = c.groups.map((g) => {
    const { params: idx, ...rest } = g;
    return { params: idx.map((i) => params[i] as Tensor), ...camelOptions(rest) };
  });
  return new cls(groups, options);
}

/** Set each parameter's gradient for 1-based `step` (null, zeros, or the stream's gradient). */
export function feed(
  c: Pick<OptimCase, "none" | "zero">,
  params: Tensor[],
  grads: Tensor[],
  step: number,
): void {
  params.forEach((p, j) => {
    const has = (list: Array<[number, number]>) => list.some(([s, i]) => s === step && i === j);
    if (has(c.none)) p.grad = null;
    else if (has(c.zero))
      p.grad = new Tensor(
        p.dtype === "float32" ? new Float32Array(p.numel()) : new Float64Array(p.numel()),
        p.shape,
      );
    else p.grad = (grads[j] as Tensor).clone();
  });
}

/** Run a case from the start for its number of steps and return the optimizer. */
export function runCase(c: OptimCase, params: Tensor[], grads: Tensor[][]): Optimizer {
  const opt = buildOptimizer(c, params);
  for (let s = 1; s <= c.steps; s++) {
    feed(c, params, grads[s - 1] as Tensor[], s);
    opt.step();
  }
  return opt;
}

/** A state entry's values as doubles (tensor contents, or a number). */
export function stateValues(v: unknown): Float64Array {
  if (v instanceof Tensor) return Float64Array.from(v.toTypedArray());
  if (isEncodedTensor(v)) return decodeValues(v);
  if (typeof v === "number") return Float64Array.of(v);
  throw new Error(`unexpected state value ${String(v)}`);
}

/** Accuracy figures of one comparison: elements, bit-identical elements, worst relative error. */
export interface Tally {
  elements: number;
  exact: number;
  worst: number;
}

/** Per (optimizer, dtype) tallies, for the summary printed after the parity tests. */
export class Stats {
  readonly rows = new Map<string, Tally>();

  add(key: string, actual: ArrayLike<number>, expected: ArrayLike<number>): void {
    const t = this.rows.get(key) ?? { elements: 0, exact: 0, worst: 0 };
    for (let i = 0; i < expected.length; i++) {
      const a = actual[i] as number;
      const e = expected[i] as number;
      t.elements++;
      if (Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e))) {
        t.exact++;
        continue;
      }
      const rel = Math.abs(a - e) / Math.max(Math.abs(e), Number.MIN_VALUE);
      if (!(rel <= t.worst)) t.worst = rel;
    }
    this.rows.set(key, t);
  }

  table(): string {
    const lines = ["| optimizer / dtype | elements | bit-exact | worst rel. error |", "|---|---|---|---|"];
    for (const [key, t] of [...this.rows].sort(([a], [b]) => (a < b ? -1 : 1))) {
      lines.push(
        `| ${key} | ${t.elements} | ${((100 * t.exact) / t.elements).toFixed(2)}% | ${t.worst.toExponential(2)} |`,
      );
    }
    return lines.join("\n");
  }
}

/** A state dict from the fixture (PyTorch's, encoded) with tensors decoded. */
export function decodeStateDict(sd: LegacyStateDictCase["state_dict"]): OptimizerStateDict {
  return decodeState(sd) as OptimizerStateDict;
}

/**
 * The base class of every optimizer, PyTorch's `torch.optim.Optimizer`: parameter groups with the
 * defaults merged in, per-parameter state keyed by tensor identity, `step`, `zeroGrad`, and state
 * dicts in PyTorch's layout.
 *
 * @example
 * ```ts
 * const opt = new tg.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * ```
 * @module
 */

import { enableGrad, noGrad } from "../autograd/grad-mode.js";
import { allocate, getDefaultDtype, legacyTypeName } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { KeyError, RuntimeError, ValueError } from "../util/errors.js";
import { pyNumberRepr } from "../util/python-repr.js";
import { checkGroupKey, jsTypeName, pyTypeName, type Hyperparameters } from "./options.js";
import {
  castStateValue,
  copyHyperparameter,
  isPlainObject,
  toCamelCase,
  toSnakeCase,
  type OptimizerStateDict,
  type PackedParamGroup,
  type ParamState,
} from "./state-dict.js";
import { DUPLICATE_PARAMS_WARNING, warnUser } from "./warn.js";

export type { OptimizerStateDict, PackedParamGroup, ParamState } from "./state-dict.js";

/**
 * One parameter group: its tensors and its hyperparameters under camelCase names (`lr`,
 * `weightDecay`, `betas`, ...), plus whatever keys schedulers or users add (`initialLr`).
 */
export interface ParamGroup {
  params: Tensor[];
  lr: number;
  [hyperparameter: string]: unknown;
}

/**
 * A parameter group as the user passes it: `params` and any hyperparameters to override for it.
 *
 * @example
 * ```ts
 * new tg.optim.SGD([{ params: [w] }, { params: [b], weightDecay: 0 }], { lr: 0.1, weightDecay: 1e-4 });
 * ```
 */
export interface ParamGroupInput {
  params: Tensor | Iterable<Tensor>;
  [hyperparameter: string]: unknown;
}

/** What an optimizer accepts: tensors, or groups of tensors with per-group options. */
export type Params = Iterable<Tensor> | Iterable<ParamGroupInput>;

/** A closure that re-evaluates the model and returns the loss. */
export type Closure<L> = () => L;

/**
 * Dense storage of a parameter or gradient for a kernel: the tensor itself when contiguous (the
 * common, allocation-free case), else a contiguous copy; {@link finishUpdate} writes a parameter's
 * copy back. This predicate is where a fused flat-buffer fast path would choose its route.
 *
 * @example
 * ```ts
 * const pd = denseOf(p); kernel(pd.data, pd.offset, ...); finishUpdate(p, pd);
 * ```
 */
export function denseOf(t: Tensor): Tensor {
  return t.isContiguous() ? t : copyToDense(t);
}

/**
 * Complete an in-place update of `p` made through {@link denseOf}: copy a strided parameter's
 * dense copy back, and count the write in the version counter either way (as `add_` would).
 *
 * @example
 * ```ts
 * finishUpdate(p, pd);
 * ```
 */
export function finishUpdate(p: Tensor, pd: Tensor): void {
  if (pd !== p) p.copy_(pd);
  else p._bumpVersion();
}

/**
 * A numeric hyperparameter of a group, checked at step time (groups are plain, editable objects).
 *
 * @example
 * ```ts
 * groupNumber(group, "momentum"); // 0.9
 * ```
 */
export function groupNumber(group: ParamGroup, key: string): number {
  const v = group[key];
  if (typeof v !== "number")
    throw new TypeError(`parameter group option ${key} must be a number, got ${jsTypeName(v)}`);
  return v;
}

/**
 * A pair-valued hyperparameter of a group (`betas`, `etas`, `stepSizes`).
 *
 * @example
 * ```ts
 * const [beta1, beta2] = groupPair(group, "betas");
 * ```
 */
export function groupPair(group: ParamGroup, key: string): readonly [number, number] {
  const v = group[key];
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== "number" || typeof v[1] !== "number") {
    throw new TypeError(
      `parameter group option ${key} must be an array of two numbers, got ${jsTypeName(v)}`,
    );
  }
  return v as unknown as readonly [number, number];
}

/**
 * Whether a tensor's storage is float32 (otherwise float64) — picks the kernel arithmetic.
 *
 * @throws RuntimeError for integer or bool tensors.
 * @example
 * ```ts
 * isFloat32(w); // true for a float32 parameter
 * ```
 */
export function isFloat32(t: Tensor): boolean {
  if (t.dtype === "float32") return true;
  if (t.dtype === "float64") return false;
  throw new RuntimeError(`optimizers support float32 and float64 parameters, got ${t.dtype}`);
}

function copyToDense(t: Tensor): Tensor {
  const out = allocate(t.dtype, t.numel());
  out.set(t.toTypedArray());
  return new Tensor(out, t.shape);
}

/**
 * A 0-dim tensor of the scalar dtype PyTorch uses for `step` and similar state
 * (`_get_scalar_dtype()`: float64 when the default dtype is float64, else float32).
 *
 * @example
 * ```ts
 * scalarTensor(0).dtype; // "float32"
 * ```
 */
export function scalarTensor(value: number): Tensor {
  const data = getDefaultDtype() === "float64" ? new Float64Array(1) : new Float32Array(1);
  data[0] = value;
  return new Tensor(data, []);
}

/**
 * A zero-filled tensor of `p`'s shape and dtype (contiguous), for state buffers.
 *
 * @example
 * ```ts
 * zerosLikeParam(w); // same shape and dtype as w
 * ```
 */
export function zerosLikeParam(p: Tensor, fill = 0): Tensor {
  const data = allocate(p.dtype, p.numel());
  if (fill !== 0) data.fill(fill);
  return new Tensor(data, p.shape);
}

/**
 * The base class of the optimizers (PyTorch's `torch.optim.Optimizer`).
 *
 * Construction merges each group's options over the optimizer's defaults (keys in PyTorch's
 * order), checks that every parameter is a leaf tensor in exactly one group, and warns about a
 * tensor listed twice in one group. `step(closure?)` calls the closure (with gradients enabled)
 * first and returns its loss, then updates every parameter that has a gradient, without recording
 * autograd history. Parameters whose `grad` is `null` are skipped entirely.
 *
 * State is kept per parameter in {@link Optimizer.state}, keyed by the tensor, under PyTorch's
 * snake_case names (`step`, `exp_avg`, `momentum_buffer`, ...), so `stateDict()` can hand it out
 * unchanged. {@link Optimizer.stepCount} counts completed `step()` calls (schedulers read it).
 *
 * Subclass it by passing defaults to `super` and implementing `updateGroup(group)`.
 *
 * @example
 * ```ts
 * class SignSGD extends Optimizer {
 *   constructor(params: Params, options: { lr?: number } = {}) {
 *     super(params, { lr: options.lr ?? 0.01 }, "SignSGD");
 *   }
 *   protected override updateGroup(group: ParamGroup): void {
 *     for (const p of group.params) if (p.grad) p.sub_(p.grad.sign(), { alpha: group.lr });
 *   }
 * }
 * ```
 */
export abstract class Optimizer {
  /** The optimizer's hyperparameter defaults, camelCase, in PyTorch's order. */
  readonly defaults: Hyperparameters;
  /** The parameter groups, each with every hyperparameter filled in. */
  paramGroups: ParamGroup[] = [];
  /** Per-parameter state, keyed by the parameter tensor. */
  state: Map<Tensor, ParamState> = new Map();
  /** The number of completed `step()` calls. */
  stepCount = 0;
  /** The class name used in messages (`SGD`, `Adam`, ...). */
  readonly name: string;
  /**
   * @internal A fast path tried before the reference update of each group (see
   * `optim/fused/fuse-optimizer.ts`); it returns true when it has updated the group. The plain
   * per-parameter loop in `updateGroup` stays the reference.
   */
  _groupStep: ((group: ParamGroup) => boolean) | null = null;

  /**
   * @param params tensors, or groups `{ params, ...options }`
   * @param defaults hyperparameter defaults in PyTorch's order (already validated)
   * @param name the optimizer's name for messages
   * @throws TypeError for a single tensor, a non-tensor parameter or a set inside a group;
   *   ValueError for an empty list, a non-leaf tensor or a tensor in two groups.
   */
  constructor(params: Params, defaults: Hyperparameters, name: string) {
    this.defaults = defaults;
    this.name = name;
    if (params instanceof Tensor) {
      throw new TypeError(
        `params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${legacyTypeName(params.dtype)}`,
      );
    }
    if (params === null || typeof params !== "object" || !(Symbol.iterator in params)) {
      throw new TypeError(
        `params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${pyTypeName(params)}`,
      );
    }
    const list = Array.from(params as Iterable<unknown>);
    if (list.length === 0) throw new ValueError("optimizer got an empty parameter list");
    const groups: unknown[] = isPlainObject(list[0]) ? list : [{ params: list }];
    for (const group of groups) this.addParamGroup(group as ParamGroupInput);
  }

  /**
   * Add a parameter group, filling in the optimizer's defaults for the options it does not set.
   * Useful for fine-tuning: unfreeze layers and give them their own learning rate.
   *
   * @throws TypeError if `group` is not an object or its `params` is a Set; ValueError if a tensor
   *   is already in another group.
   * @example
   * ```ts
   * opt.addParamGroup({ params: head.parameters(), lr: 1e-3 });
   * ```
   */
  addParamGroup(group: ParamGroupInput): void {
    if (!isPlainObject(group)) {
      const given: unknown = group;
      const cls = given instanceof Tensor ? "torch.Tensor" : pyTypeName(given);
      throw new TypeError(`param_group must be a dict, but got <class '${cls}'>`);
    }
    const params = this.groupParams(group.params);
    const out: Record<string, unknown> = {};
    const known = Object.keys(this.defaults);
    const index = this.paramGroups.length;
    for (const [key, value] of Object.entries(group)) {
      checkGroupKey(this.name, index, key, known);
      if (value === undefined) continue;
      out[key] = key === "params" ? params : copyHyperparameter(value);
    }
    for (const [key, value] of Object.entries(this.defaults)) {
      if (!(key in out)) out[key] = copyHyperparameter(value);
    }
    if (new Set(params).size !== params.length) warnUser(DUPLICATE_PARAMS_WARNING);
    for (const other of this.paramGroups) {
      for (const p of other.params) {
        if (params.includes(p))
          throw new ValueError("some parameters appear in more than one parameter group");
      }
    }
    this.paramGroups.push(out as ParamGroup);
  }

  private groupParams(value: unknown): Tensor[] {
    let params: unknown[];
    if (value instanceof Tensor) params = [value];
    else if (value instanceof Set) {
      throw new TypeError(
        "optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.",
      );
    } else if (value !== null && typeof value === "object" && Symbol.iterator in value) {
      params = Array.from(value as Iterable<unknown>);
    } else if (value === undefined) {
      throw new KeyError("'params'");
    } else {
      throw new TypeError(`'${pyTypeName(value)}' object is not iterable`);
    }
    for (const p of params) {
      if (!(p instanceof Tensor)) {
        throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${pyTypeName(p)}`);
      }
      if (this.defaults.differentiable !== true && !p.isLeaf && !p.retainsGrad) {
        throw new ValueError("can't optimize a non-leaf Tensor");
      }
    }
    return params as Tensor[];
  }

  /**
   * Clear the gradients of every parameter: set them to `null` (the default, which makes the next
   * `step()` skip parameters that get no new gradient), or fill them with zeros.
   *
   * @example
   * ```ts
   * opt.zeroGrad();                      // grads become null
   * opt.zeroGrad({ setToNone: false });  // grads become zeros (PyTorch 1.x behaviour)
   * ```
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    const setToNone = options.setToNone ?? true;
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          const g = p.grad;
          if (g === null) continue;
          if (setToNone) {
            p.grad = null;
          } else {
            if (g.gradFn !== null) g.detach_();
            else g.requiresGrad_(false);
            g.zero_();
          }
        }
      }
    });
  }

  /**
   * Perform one optimization step. The closure, if given, is called first (with gradients
   * enabled, so it can run `backward()`), and its return value is returned.
   *
   * @example
   * ```ts
   * const loss = opt.step(() => {
   *   opt.zeroGrad();
   *   const l = lossFn(model.forward(x), y);
   *   l.backward();
   *   return l;
   * });
   * ```
   */
  step<L>(closure?: Closure<L>): L | undefined {
    const loss = closure === undefined ? undefined : enableGrad(closure);
    noGrad(() => {
      for (const group of this.paramGroups) if (!this._groupStep?.(group)) this.updateGroup(group);
    });
    this.stepCount += 1;
    return loss;
  }

  /** Update every parameter of one group that has a gradient. Runs without autograd recording. */
  protected abstract updateGroup(group: ParamGroup): void;

  /**
   * The state of `p`, created by `init` on first use.
   *
   * @internal
   */
  protected stateFor(p: Tensor, init: () => ParamState): ParamState {
    let s = this.state.get(p);
    if (s === undefined || isEmpty(s)) {
      s = Object.assign(s ?? {}, init());
      this.state.set(p, s);
    }
    return s;
  }

  /**
   * A state tensor as dense storage (replacing a strided one in the state, once), checked against
   * the parameter's size and dtype.
   *
   * @internal
   */
  protected stateTensor(state: ParamState, key: string, p: Tensor): Tensor {
    const stored = state[key];
    if (!(stored instanceof Tensor)) throw new KeyError(`'${key}'`);
    let t: Tensor = stored;
    if (t.numel() !== p.numel() || t.dtype !== p.dtype) {
      throw new RuntimeError(
        `${this.name}: state '${key}' has ${t.numel()} ${t.dtype} elements but the parameter has ${p.numel()} ${p.dtype} elements`,
      );
    }
    if (!t.isContiguous()) {
      t = copyToDense(t);
      state[key] = t;
    }
    return t;
  }

  /**
   * Increment the 0-dim `step` tensor of a state in its own dtype and return the new count.
   *
   * @internal
   */
  protected incrementStep(state: ParamState, key = "step"): number {
    const t = state[key];
    if (!(t instanceof Tensor)) throw new KeyError(`'${key}'`);
    t.data[t.offset] = (t.data[t.offset] as number) + 1;
    return t.data[t.offset] as number;
  }

  /**
   * The optimizer's state in PyTorch's layout: `state` keyed by parameter index, `param_groups`
   * with snake_case keys and `params` as indices (last). A tensor listed twice gets one index.
   * Values are the live state tensors, as in PyTorch: serialise or copy them before stepping on
   * if you need a snapshot.
   *
   * @throws KeyError when the state holds a tensor that is in no group.
   * @example
   * ```ts
   * const saved = opt.stateDict();
   * saved.param_groups[0].weight_decay; // 0.0001
   * ```
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    let start = 0;
    const groups = this.paramGroups.map((group) => {
      const packed: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(group)) {
        if (key !== "params") packed[toSnakeCase(key)] = copyHyperparameter(value);
      }
      group.params.forEach((p, i) => {
        if (!index.has(p)) index.set(p, start + i);
      });
      packed.params = group.params.map((p) => index.get(p) as number);
      start += group.params.length;
      return packed as PackedParamGroup;
    });
    const state: Record<string, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i === undefined)
        throw new KeyError("the optimizer state holds a tensor that is in no parameter group");
      const copy: ParamState = {};
      for (const [k, v] of Object.entries(s)) copy[k] = Array.isArray(v) ? [...(v as unknown[])] : v;
      state[String(i)] = copy;
    }
    return { state, param_groups: groups };
  }

  /**
   * Restore a state dict saved by {@link stateDict} (or by PyTorch, with tensors converted to
   * tsgrad tensors). Parameters are matched by position. Saved hyperparameters win over the current
   * ones; flags that older versions did not save (`maximize`, `foreach`, ...) get their defaults;
   * state tensors are copied and converted to each parameter's dtype (except `step`); a numeric
   * `step` from an old checkpoint becomes a 0-dim tensor.
   *
   * @throws ValueError when the number of groups or a group's size differs, or when state is given
   *   for an index that is in no group; KeyError when a group lacks a hyperparameter.
   * @example
   * ```ts
   * const fresh = new tg.optim.Adam(model.parameters());
   * fresh.loadStateDict(saved);
   * ```
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    if (
      !isPlainObject(stateDict) ||
      !isPlainObject(stateDict.state) ||
      !Array.isArray(stateDict.param_groups)
    ) {
      throw new TypeError(
        `${this.name}.loadStateDict expects { state, param_groups }, got ${jsTypeName(stateDict)}`,
      );
    }
    const groups = this.paramGroups;
    const saved = stateDict.param_groups;
    if (groups.length !== saved.length) {
      throw new ValueError("loaded state dict has a different number of parameter groups");
    }
    const byIndex = new Map<number, Tensor>();
    groups.forEach((group, i) => {
      const savedGroup = saved[i];
      if (!isPlainObject(savedGroup) || !Array.isArray(savedGroup.params)) {
        throw new TypeError(`param_groups[${i}] of the loaded state dict has no params list`);
      }
      if (savedGroup.params.length !== group.params.length) {
        throw new ValueError(
          "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
        );
      }
      savedGroup.params.forEach((id, j) => byIndex.set(Number(id), group.params[j] as Tensor));
    });

    const newGroups = saved.map((savedGroup, i) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(savedGroup)) {
        out[toCamelCase(key)] =
          key === "params" ? (groups[i] as ParamGroup).params : copyHyperparameter(value);
      }
      this.upgradeGroup(out, i);
      return out as ParamGroup;
    });

    const newState = new Map<Tensor, ParamState>();
    for (const [key, value] of Object.entries(stateDict.state)) {
      const p = byIndex.get(Number(key));
      if (p === undefined) {
        throw new ValueError(
          `loaded state dict has state for parameter ${key}, which is in no parameter group`,
        );
      }
      const s = castStateValue(p, "", value) as ParamState;
      for (const scalarKey of this.scalarStateKeys()) {
        const v = s[scalarKey];
        if (typeof v === "number") s[scalarKey] = scalarTensor(v);
      }
      newState.set(p, s);
    }
    this.paramGroups = newGroups;
    this.state = newState;
  }

  /**
   * Bring a loaded group up to date (PyTorch's `__setstate__`): flags that older versions did not
   * save get their defaults; any other missing hyperparameter is an error.
   *
   * @internal
   */
  protected upgradeGroup(group: Record<string, unknown>, index: number): void {
    for (const [key, value] of Object.entries(this.defaults)) {
      if (key in group) continue;
      if (value === null || typeof value === "boolean") group[key] = value;
      else throw new KeyError(`param_groups[${index}] of the loaded state dict has no '${toSnakeCase(key)}'`);
    }
  }

  /**
   * State keys that PyTorch keeps as 0-dim tensors and that old checkpoints stored as numbers.
   *
   * @internal
   */
  protected scalarStateKeys(): readonly string[] {
    return [];
  }

  /**
   * PyTorch's `repr(optimizer)`: each group's hyperparameters sorted by (snake_case) name.
   *
   * @example
   * ```ts
   * String(new tg.optim.SGD([w], { lr: 0.1 }));
   * // SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n ...)
   * ```
   */
  toString(): string {
    let out = `${this.name} (`;
    this.paramGroups.forEach((group, i) => {
      out += `\nParameter Group ${i}\n`;
      const entries = Object.entries(group)
        .filter(([k]) => k !== "params")
        .map(([k, v]) => [toSnakeCase(k), v] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [key, value] of entries) out += `    ${key}: ${pyStr(value)}\n`;
    });
    return out + ")";
  }
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

/** Python's `str()` of a hyperparameter value, for `toString()`. */
function pyStr(value: unknown): string {
  if (typeof value === "number") return pyNumberRepr(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value === null || value === undefined) return "None";
  if (Array.isArray(value)) {
    const items = value.map((v) => (typeof v === "string" ? `'${v}'` : pyStr(v)));
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
  }
  if (value instanceof Tensor) return value.toString();
  if (typeof value === "string") return value;
  return String(value);
}

import { noGrad } from "../autograd/grad-mode.js";
import { isFloatingDType, type DType } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { KeyError, RuntimeError, ValueError } from "../util/errors.js";
import { Parameter, setTensorData } from "./parameter.js";

/** A state dict: names (PyTorch's, dotted) to tensors, in registration order. */
export type StateDict = Record<string, Tensor>;

/** What {@link Module.loadStateDict} reports: keys the model expected but did not get, and the reverse. */
export interface IncompatibleKeys {
  missingKeys: string[];
  unexpectedKeys: string[];
}

// Registries are non-enumerable so that field discovery (Object.keys) never sees them.
interface Registry {
  parameters: Map<string, Parameter | null>;
  buffers: Map<string, Tensor | null>;
  nonPersistent: Set<string>;
  modules: Map<string, Module | null>;
  /** Names that were discovered from fields (removed again when the field is deleted). */
  fromFields: Set<string>;
}

const REGISTRY = Symbol("tsgrad.module.registry");

/** PyTorch's type name of a value in assignment errors (`torch.FloatTensor`, `int`, ...). */
function typeName(v: unknown): string {
  if (v instanceof Tensor) {
    return {
      float32: "torch.FloatTensor",
      float64: "torch.DoubleTensor",
      int32: "torch.LongTensor",
      bool: "torch.BoolTensor",
    }[v.dtype];
  }
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return typeof v;
}

function shapeRepr(shape: readonly number[]): string {
  return `torch.Size([${shape.join(", ")}])`;
}

function checkName(kind: "parameter" | "buffer" | "module", name: unknown): asserts name is string {
  if (typeof name !== "string") throw new TypeError(`${kind} name should be a string. Got ${typeName(name)}`);
  if (kind === "module") {
    if (name.includes(".")) throw new KeyError(`module name can't contain ".", got: ${name}`);
    if (name === "") throw new KeyError(`module name can't be empty string ""`);
  } else {
    if (name.includes(".")) throw new KeyError(`${kind} name can't contain "."`);
    if (name === "") throw new KeyError(`${kind} name can't be empty string ""`);
  }
}

function addIndent(text: string, spaces: number): string {
  const lines = text.split("\n");
  if (lines.length === 1) return text;
  const pad = " ".repeat(spaces);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join("\n");
}

/**
 * Base class of every layer and model (PyTorch's `nn.Module`).
 *
 * **Registration.** Parameters and submodules are discovered from the instance's own enumerable
 * fields, in the order the fields were first defined (class field declaration order, then
 * assignment order), so
 * `class Net extends Module { fc1 = new Linear(4, 8); fc2 = new Linear(8, 2); }` has parameters
 * `fc1.weight, fc1.bias, fc2.weight, fc2.bias`, exactly as in PyTorch. Buffers are registered
 * explicitly with {@link registerBuffer} under PyTorch's (snake_case) names; built-in layers expose
 * them as camelCase accessors (`bn.runningMean` is the buffer `running_mean`). To keep a module or
 * parameter out of the registry, hold it in a `#private` field or a non-enumerable property.
 *
 * **Calling.** JavaScript objects cannot be made callable, so a module is run with
 * `model.forward(x)`; subclasses override `forward` with their own signature. There are no
 * forward hooks.
 *
 * @example
 * ```ts
 * class MLP extends nn.Module {
 *   fc1 = new nn.Linear(784, 128);
 *   act = new nn.ReLU();
 *   fc2 = new nn.Linear(128, 10);
 *   override forward(x: Tensor): Tensor {
 *     return this.fc2.forward(this.act.forward(this.fc1.forward(x)));
 *   }
 * }
 * const model = new MLP();
 * Object.keys(model.stateDict()); // ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
 * ```
 */
export class Module {
  /** Whether the module is in training mode (`train()`/`eval()` set it recursively). */
  training = true;
  declare private [REGISTRY]: Registry;

  constructor() {
    Object.defineProperty(this, REGISTRY, {
      value: {
        parameters: new Map(),
        buffers: new Map(),
        nonPersistent: new Set(),
        modules: new Map(),
        fromFields: new Set(),
      } satisfies Registry,
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }

  /**
   * Run the module. Subclasses override this with their own arguments.
   *
   * @throws RuntimeError when a subclass does not define it.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- subclasses narrow the signature
  forward(..._inputs: any[]): any {
    throw new RuntimeError(`Module [${this.constructor.name}] is missing the required "forward" function`);
  }

  /** Bring the registries up to date with the instance's fields. */
  private sync(): Registry {
    const reg = this[REGISTRY];
    const self = this as unknown as Record<string, unknown>;
    for (const key of Object.keys(this)) {
      if (key === "training") continue;
      const v = self[key];
      if (v === undefined) continue;
      if (v instanceof Parameter) {
        if (!reg.parameters.has(key)) {
          if (reg.buffers.has(key) || reg.modules.has(key)) {
            reg.buffers.delete(key);
            reg.modules.delete(key);
          }
          reg.fromFields.add(key);
        }
        reg.parameters.set(key, v);
      } else if (v instanceof Module) {
        if (!reg.modules.has(key)) {
          reg.parameters.delete(key);
          reg.buffers.delete(key);
          reg.fromFields.add(key);
        }
        reg.modules.set(key, v);
      } else if (reg.parameters.has(key)) {
        if (v !== null) {
          throw new TypeError(
            `cannot assign '${typeName(v)}' as parameter '${key}' (torch.nn.Parameter or None expected)`,
          );
        }
        reg.parameters.set(key, null);
      } else if (reg.modules.has(key)) {
        if (v !== null) {
          throw new TypeError(
            `cannot assign '${typeName(v)}' as child module '${key}' (torch.nn.Module or None expected)`,
          );
        }
        reg.modules.set(key, null);
      }
    }
    for (const key of reg.fromFields) {
      if (!Object.prototype.hasOwnProperty.call(this, key)) {
        reg.parameters.delete(key);
        reg.modules.delete(key);
        reg.fromFields.delete(key);
      }
    }
    return reg;
  }

  /** Whether `name` is taken by something other than a registered entry of `kind`. */
  private taken(name: string, own: Map<string, unknown>): boolean {
    if (own.has(name)) return false;
    const self = this as unknown as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(this, name)) return self[name] !== undefined;
    // Accessors on the prototype (bn.runningMean) read the registry; methods and values collide.
    for (let proto = Object.getPrototypeOf(this); proto; proto = Object.getPrototypeOf(proto)) {
      const desc = Object.getOwnPropertyDescriptor(proto, name);
      if (desc) return !(desc.get || desc.set);
    }
    return false;
  }

  /** Mirror a registered parameter or module as a plain field so `model.name` reads it. */
  private expose(name: string, value: unknown): void {
    const desc = Object.getOwnPropertyDescriptor(this, name);
    if (desc && !("value" in desc)) return;
    Object.defineProperty(this, name, { value, enumerable: true, writable: true, configurable: true });
  }

  /**
   * Register a parameter (or `null`, a declared but absent parameter such as `bias=False`)
   * under `name` (PyTorch's `register_parameter`).
   *
   * @example
   * ```ts
   * this.registerParameter("bias", null);
   * ```
   */
  registerParameter(name: string, param: Parameter | null): void {
    checkName("parameter", name);
    const reg = this.sync();
    if (this.taken(name, reg.parameters)) throw new KeyError(`attribute '${name}' already exists`);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(
        `cannot assign '${typeName(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`,
      );
    }
    if (param !== null && param.gradFn !== null) {
      throw new ValueError(
        `Cannot assign non-leaf Tensor to parameter '${name}'. Model parameters must be created explicitly. To express '${name}' as a function of another Tensor, compute the value in the forward() method.`,
      );
    }
    reg.parameters.set(name, param);
    this.expose(name, param);
  }

  /**
   * Register a buffer: state that is not a parameter but belongs to the module, such as batch
   * norm's running statistics (PyTorch's `register_buffer`). Non-persistent buffers are left out
   * of {@link stateDict}. Read it back with {@link getBuffer} or as `module[name]`.
   *
   * @example
   * ```ts
   * this.registerBuffer("running_mean", tg.zeros([c]));
   * ```
   */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    checkName("buffer", name);
    const reg = this.sync();
    if (this.taken(name, reg.buffers)) throw new KeyError(`attribute '${name}' already exists`);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(
        `cannot assign '${typeName(tensor)}' object to buffer '${name}' (torch Tensor or None required)`,
      );
    }
    reg.buffers.set(name, tensor);
    if (persistent) reg.nonPersistent.delete(name);
    else reg.nonPersistent.add(name);
    // Reading `module[name]` gives the buffer, as in PyTorch. The accessor uses its receiver, so a
    // deep copy's accessor reads the copy's registry.
    if (!Object.prototype.hasOwnProperty.call(this, name) && !(name in this)) {
      Object.defineProperty(this, name, {
        get(this: Module) {
          return this.getBuffer(name) ?? null;
        },
        set(this: Module, value: Tensor | null) {
          this.setBuffer(name, value);
        },
        enumerable: false,
        configurable: true,
      });
    }
  }

  /**
   * Register a child module under `name` (PyTorch's `register_module`/`add_module`).
   *
   * @example
   * ```ts
   * this.registerModule("head", new nn.Linear(16, 2));
   * ```
   */
  registerModule(name: string, module: Module | null): void {
    if (module !== null && !(module instanceof Module))
      throw new TypeError(`${typeName(module)} is not a Module subclass`);
    checkName("module", name);
    const reg = this.sync();
    if (this.taken(name, reg.modules)) throw new KeyError(`attribute '${name}' already exists`);
    reg.modules.set(name, module);
    this.expose(name, module);
  }

  /** Alias of {@link registerModule} (PyTorch's `add_module`). @example seq.addModule("relu", new nn.ReLU()) */
  addModule(name: string, module: Module | null): void {
    this.registerModule(name, module);
  }

  /** The buffer registered under `name`, or undefined. @example bn.getBuffer("running_mean") */
  getBuffer(name: string): Tensor | null | undefined {
    return this[REGISTRY].buffers.get(name);
  }

  /**
   * Replace the value of a registered buffer (PyTorch's `self.running_mean = t`).
   *
   * @throws KeyError when no buffer of that name is registered.
   * @example
   * ```ts
   * bn.setBuffer("running_mean", tg.zeros([3]));
   * ```
   */
  setBuffer(name: string, tensor: Tensor | null): void {
    const reg = this[REGISTRY];
    if (!reg.buffers.has(name)) throw new KeyError(`'${name}' is not a buffer of ${this.constructor.name}`);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(
        `cannot assign '${typeName(tensor)}' as buffer '${name}' (torch.Tensor or None expected)`,
      );
    }
    reg.buffers.set(name, tensor);
  }

  /** The registered (name, module) pairs of this module's direct children, including null entries. */
  protected childEntries(): Array<[string, Module | null]> {
    return [...this.sync().modules.entries()];
  }

  /**
   * Replace all child registrations with `entries` (containers renumber their children after an
   * insertion or removal). Fields mirroring the old children are removed.
   */
  protected resetChildren(entries: Array<[string, Module | null]>): void {
    const reg = this.sync();
    const self = this as unknown as Record<string, unknown>;
    for (const name of reg.modules.keys()) {
      if (Object.prototype.hasOwnProperty.call(this, name)) delete self[name];
      reg.fromFields.delete(name);
    }
    reg.modules.clear();
    for (const [name, m] of entries) this.registerModule(name, m);
  }

  /**
   * Every module in the tree with its dotted name, this one first (`""`), depth first; a module
   * reachable twice is listed once unless `removeDuplicate` is false.
   *
   * @example
   * ```ts
   * for (const [name, m] of model.namedModules()) console.log(name, m.constructor.name);
   * ```
   */
  namedModules(options: { prefix?: string; removeDuplicate?: boolean } = {}): Array<[string, Module]> {
    const out: Array<[string, Module]> = [];
    const memo = new Set<Module>();
    const removeDuplicate = options.removeDuplicate ?? true;
    const visit = (m: Module, prefix: string): void => {
      if (removeDuplicate) {
        if (memo.has(m)) return;
        memo.add(m);
      }
      out.push([prefix, m]);
      for (const [name, child] of m.childEntries()) {
        if (child === null) continue;
        visit(child, prefix + (prefix ? "." : "") + name);
      }
    };
    visit(this, options.prefix ?? "");
    return out;
  }

  /** Every module in the tree, this one first. @example model.modules().length */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** The direct children with their names (each module once). @example model.namedChildren() */
  namedChildren(): Array<[string, Module]> {
    const memo = new Set<Module>();
    const out: Array<[string, Module]> = [];
    for (const [name, child] of this.childEntries()) {
      if (child === null || memo.has(child)) continue;
      memo.add(child);
      out.push([name, child]);
    }
    return out;
  }

  /** The direct children. @example model.children() */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  private namedMembers<T extends Tensor>(
    pick: (m: Module) => Array<[string, T | null]>,
    prefix: string,
    recurse: boolean,
    removeDuplicate: boolean,
  ): Array<[string, T]> {
    const memo = new Set<Tensor>();
    const modules: Array<[string, Module]> = recurse
      ? this.namedModules({ prefix, removeDuplicate })
      : [[prefix, this]];
    const out: Array<[string, T]> = [];
    for (const [modPrefix, m] of modules) {
      for (const [name, v] of pick(m)) {
        if (v === null || memo.has(v)) continue;
        if (removeDuplicate) memo.add(v);
        out.push([modPrefix + (modPrefix ? "." : "") + name, v]);
      }
    }
    return out;
  }

  /**
   * All parameters with PyTorch's dotted names (`0.weight`, `fc1.bias`), each once.
   *
   * @example
   * ```ts
   * for (const [name, p] of model.namedParameters()) console.log(name, p.shape);
   * ```
   */
  namedParameters(
    options: { prefix?: string; recurse?: boolean; removeDuplicate?: boolean } = {},
  ): Array<[string, Parameter]> {
    return this.namedMembers(
      (m) => [...m.sync().parameters.entries()],
      options.prefix ?? "",
      options.recurse ?? true,
      options.removeDuplicate ?? true,
    );
  }

  /** All parameters, in registration order. @example new tg.optim.SGD(model.parameters(), { lr: 0.1 }) */
  parameters(options: { recurse?: boolean } = {}): Parameter[] {
    return this.namedParameters(options).map(([, p]) => p);
  }

  /** All buffers with dotted names (`bn.running_mean`). @example model.namedBuffers() */
  namedBuffers(
    options: { prefix?: string; recurse?: boolean; removeDuplicate?: boolean } = {},
  ): Array<[string, Tensor]> {
    return this.namedMembers(
      (m) => [...m.sync().buffers.entries()],
      options.prefix ?? "",
      options.recurse ?? true,
      options.removeDuplicate ?? true,
    );
  }

  /** All buffers. @example model.buffers() */
  buffers(options: { recurse?: boolean } = {}): Tensor[] {
    return this.namedBuffers(options).map(([, b]) => b);
  }

  /**
   * Set training mode on this module and every descendant (PyTorch's `train(mode)`).
   *
   * @throws ValueError when `mode` is not a boolean.
   * @example
   * ```ts
   * model.train();
   * ```
   */
  train(mode = true): this {
    if (typeof mode !== "boolean") throw new ValueError("training mode is expected to be boolean");
    this.training = mode;
    for (const child of this.children()) child.train(mode);
    return this;
  }

  /** Set evaluation mode (`train(false)`). @example model.eval() */
  eval(): this {
    return this.train(false);
  }

  /**
   * Set `requiresGrad` on every parameter. @example model.requiresGrad_(false) // freeze
   */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /**
   * Reset the gradients of all parameters: to null (the default, as in PyTorch 2), or to zeros
   * in place.
   *
   * @example
   * ```ts
   * model.zeroGrad();                      // p.grad === null
   * model.zeroGrad({ setToNone: false });  // p.grad zeroed in place
   * ```
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    const setToNone = options.setToNone ?? true;
    for (const p of this.parameters()) {
      const g = p.grad;
      if (g === null) continue;
      if (setToNone) p.grad = null;
      else {
        if (g.gradFn !== null) g.detach_();
        else g.requiresGrad_(false);
        noGrad(() => g.zero_());
      }
    }
  }

  /**
   * Call `fn` on every descendant (children first) and then on this module; returns this.
   *
   * @example
   * ```ts
   * model.apply((m) => { if (m instanceof nn.Linear) nn.init.zeros_(m.bias!); });
   * ```
   */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * The module's state: every parameter and persistent buffer under its dotted PyTorch name,
   * detached (sharing storage), in PyTorch's order (each module's parameters, then its buffers,
   * then its children).
   *
   * @example
   * ```ts
   * Object.keys(new nn.BatchNorm2d(3).stateDict());
   * // ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
   * ```
   */
  stateDict(options: { prefix?: string; keepVars?: boolean } = {}): StateDict {
    const out: StateDict = {};
    const keepVars = options.keepVars ?? false;
    const visit = (m: Module, prefix: string): void => {
      const reg = m.sync();
      for (const [name, p] of reg.parameters) if (p !== null) out[prefix + name] = keepVars ? p : p.detach();
      for (const [name, b] of reg.buffers) {
        if (b !== null && !reg.nonPersistent.has(name)) out[prefix + name] = keepVars ? b : b.detach();
      }
      for (const [name, child] of reg.modules) if (child !== null) visit(child, prefix + name + ".");
    };
    visit(this, options.prefix ?? "");
    return out;
  }

  /**
   * Hook for subclasses: adjust `stateDict` before this module's entries are read (PyTorch's
   * `_load_from_state_dict` overrides, e.g. batch norm filling a missing `num_batches_tracked`).
   */
  protected prepareStateDictForLoad(_stateDict: Map<string, Tensor>, _prefix: string): void {}

  /**
   * Copy parameters and buffers from `stateDict` into this module (PyTorch's
   * `load_state_dict`). With `strict` (the default), missing and unexpected keys are errors;
   * a shape mismatch is always an error. Values are copied in place (dtype-converted).
   *
   * @throws RuntimeError with PyTorch's text:
   * `Error(s) in loading state_dict for Net:\n\tMissing key(s) in state_dict: "fc.bias". `
   * @example
   * ```ts
   * model.loadStateDict(other.stateDict());
   * const { missingKeys } = model.loadStateDict(partial, { strict: false });
   * ```
   */
  loadStateDict(
    stateDict: StateDict | Map<string, Tensor>,
    options: { strict?: boolean } = {},
  ): IncompatibleKeys {
    if (stateDict === null || typeof stateDict !== "object") {
      throw new TypeError(`Expected state_dict to be dict-like, got ${typeName(stateDict)}.`);
    }
    const strict = options.strict ?? true;
    const sd = new Map<string, Tensor>(stateDict instanceof Map ? stateDict : Object.entries(stateDict));
    const missingKeys: string[] = [];
    const unexpectedKeys: string[] = [];
    const errors: string[] = [];
    const load = (m: Module, prefix: string): void => {
      m.prepareStateDictForLoad(sd, prefix);
      const reg = m.sync();
      const local = new Map<string, Tensor>();
      for (const [name, p] of reg.parameters) if (p !== null) local.set(name, p);
      for (const [name, b] of reg.buffers) if (b !== null && !reg.nonPersistent.has(name)) local.set(name, b);
      for (const [name, param] of local) {
        const key = prefix + name;
        if (sd.has(key)) {
          let input = sd.get(key) as unknown;
          if (!(input instanceof Tensor)) {
            errors.push(
              `While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${typeName(input)}`,
            );
            continue;
          }
          let t = input as Tensor;
          if (param.ndim === 0 && t.ndim === 1) t = t.select(0, 0);
          input = t;
          if (param.shape.length !== t.shape.length || param.shape.some((s, i) => s !== t.shape[i])) {
            errors.push(
              `size mismatch for ${key}: copying a param with shape ${shapeRepr(t.shape)} from checkpoint, the shape in current model is ${shapeRepr(param.shape)}.`,
            );
            continue;
          }
          try {
            noGrad(() => param.copy_(t));
          } catch (e) {
            errors.push(
              `While copying the parameter named "${key}", whose dimensions in the model are ${shapeRepr(param.shape)} and whose dimensions in the checkpoint are ${shapeRepr(t.shape)}, an exception occurred : ${(e as Error).message}.`,
            );
          }
        } else {
          missingKeys.push(key);
        }
      }
      // PyTorch collects missing and unexpected keys whatever `strict` is; it only decides
      // whether they are an error.
      for (const key of sd.keys()) {
        if (!key.startsWith(prefix)) continue;
        const first = key.slice(prefix.length).split(".", 1)[0] as string;
        if (!reg.modules.has(first) && !local.has(first)) unexpectedKeys.push(key);
      }
      for (const [name, child] of reg.modules) if (child !== null) load(child, prefix + name + ".");
    };
    load(this, "");
    if (strict) {
      if (unexpectedKeys.length > 0) {
        errors.unshift(
          `Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}. `,
        );
      }
      if (missingKeys.length > 0) {
        errors.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(", ")}. `);
      }
    }
    if (errors.length > 0) {
      throw new RuntimeError(
        `Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join("\n\t")}`,
      );
    }
    return { missingKeys, unexpectedKeys };
  }

  /**
   * Apply `fn` to every parameter (keeping the Parameter object: its data is swapped, as
   * PyTorch's `param.data = fn(param)`), every gradient and every buffer, children first.
   */
  protected applyToTensors(fn: (t: Tensor) => Tensor): this {
    for (const child of this.children()) child.applyToTensors(fn);
    const reg = this.sync();
    for (const p of reg.parameters.values()) {
      if (p === null) continue;
      const converted = noGrad(() => fn(p));
      if (converted !== p) setTensorData(p, converted);
      const g = p.grad;
      if (g !== null) {
        const cg = noGrad(() => fn(g));
        if (cg !== g) setTensorData(g, cg);
      }
    }
    for (const [name, b] of reg.buffers) {
      if (b === null) continue;
      reg.buffers.set(
        name,
        noGrad(() => fn(b)),
      );
    }
    return this;
  }

  /** Convert floating parameters and buffers to a dtype in place. @example model.to("float64") */
  to(dtype: DType): this {
    if (!isFloatingDType(dtype)) {
      throw new TypeError(`nn.Module.to only accepts floating point dtypes, but got desired dtype=${dtype}`);
    }
    return this.applyToTensors((t) => (isFloatingDType(t.dtype) ? t.to(dtype) : t));
  }

  /** Convert floating parameters and buffers to float64. @example model.double() */
  double(): this {
    return this.to("float64");
  }

  /** Convert floating parameters and buffers to float32. @example model.float() */
  float(): this {
    return this.to("float32");
  }

  /**
   * The submodule at a dotted path (PyTorch's `get_submodule`). @example model.getSubmodule("features.0")
   *
   * @throws RuntimeError naming the missing attribute.
   */
  getSubmodule(target: string): Module {
    if (target === "") return this;
    return target.split(".").reduce<Module>((m, item) => {
      const child = m.sync().modules.get(item);
      if (!child) throw new RuntimeError(`${m.constructor.name} has no attribute \`${item}\``);
      return child;
    }, this);
  }

  /** The parameter at a dotted path (`get_parameter`). @example model.getParameter("fc1.weight") */
  getParameter(target: string): Parameter {
    const at = target.lastIndexOf(".");
    const mod = this.getSubmodule(at < 0 ? "" : target.slice(0, at));
    const name = target.slice(at + 1);
    const p = mod.sync().parameters.get(name);
    if (!p) throw new RuntimeError(`${mod.constructor.name} has no parameter \`${name}\``);
    return p;
  }

  /** One line of extra detail in the printed representation (e.g. `in_features=4, ...`). */
  extraRepr(): string {
    return "";
  }

  /**
   * PyTorch's module repr: the class name, `extraRepr()`, and each child indented.
   *
   * @example
   * ```ts
   * String(new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU()));
   * // Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): ReLU()\n)
   * ```
   */
  toString(): string {
    const extra = this.extraRepr();
    const lines = extra ? extra.split("\n") : [];
    for (const [name, child] of this.childEntries()) {
      lines.push(`(${name}): ${addIndent(child === null ? "None" : child.toString(), 2)}`);
    }
    let main = `${this.constructor.name}(`;
    if (lines.length > 0) {
      if (lines.length === 1 && this.childEntries().length === 0) main += lines[0];
      else main += "\n  " + lines.join("\n  ") + "\n";
    }
    return main + ")";
  }
}

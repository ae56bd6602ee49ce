import { IndexError, KeyError } from "../../util/errors.js";
import { Module } from "../module.js";

function checkModule(m: unknown, owner: string): Module {
  if (!(m instanceof Module)) {
    const name = m === null || m === undefined ? "NoneType" : ((m as object).constructor?.name ?? typeof m);
    throw new TypeError(`${owner} entries must be Modules, got ${name}`);
  }
  return m;
}

/**
 * Modules run one after another, each feeding the next (PyTorch's `nn.Sequential`). Children are
 * named `0`, `1`, ... or, given a record, by its keys.
 *
 * @example
 * ```ts
 * const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
 * model.stateDict(); // keys 0.weight, 0.bias, 2.weight, 2.bias
 * const named = new nn.Sequential({ fc: new nn.Linear(4, 2), act: new nn.Tanh() });
 * ```
 */
export class Sequential extends Module {
  constructor(...modules: Module[] | [Record<string, Module>]) {
    super();
    const first = modules[0];
    if (
      modules.length === 1 &&
      first !== undefined &&
      !(first instanceof Module) &&
      typeof first === "object"
    ) {
      for (const [name, m] of Object.entries(first)) this.registerModule(name, checkModule(m, "Sequential"));
    } else {
      (modules as unknown[]).forEach((m, i) => this.registerModule(String(i), checkModule(m, "Sequential")));
    }
  }

  /** Number of children. @example seq.length */
  get length(): number {
    return this.childEntries().length;
  }

  /**
   * The child at position `index` (negative counts from the end).
   *
   * @throws IndexError when out of range.
   * @example seq.at(-1)
   */
  at(index: number): Module {
    const entries = this.childEntries();
    const i = index < 0 ? index + entries.length : index;
    if (!Number.isInteger(i) || i < 0 || i >= entries.length)
      throw new IndexError(`index ${index} is out of range`);
    return entries[i]![1] as Module;
  }

  /** Add a module at the end, named by its position. @example seq.append(new nn.ReLU()) */
  append(module: Module): this {
    this.registerModule(String(this.length), checkModule(module, "Sequential"));
    return this;
  }

  /** Iterate over the children in order. @example for (const m of seq) ... */
  *[Symbol.iterator](): IterableIterator<Module> {
    for (const [, m] of this.childEntries()) if (m !== null) yield m;
  }

  /**
   * Pass `input` through every child in order.
   *
   * @example
   * ```ts
   * const y = model.forward(x);
   * ```
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any value flows between stages
  override forward(input: any): any {
    let x = input;
    for (const m of this) x = m.forward(x);
    return x;
  }
}

/**
 * A list of submodules registered as `0`, `1`, ... (PyTorch's `nn.ModuleList`); it has no
 * forward of its own.
 *
 * @example
 * ```ts
 * class Deep extends nn.Module {
 *   layers = new nn.ModuleList([new nn.Linear(4, 4), new nn.Linear(4, 4)]);
 *   forward(x: Tensor) { for (const l of this.layers) x = l.forward(x); return x; }
 * }
 * ```
 */
export class ModuleList<T extends Module = Module> extends Module {
  constructor(modules: Iterable<T> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  /** Number of modules. @example list.length */
  get length(): number {
    return this.childEntries().length;
  }

  /** The module at `index` (negative counts from the end). @example list.at(0) */
  at(index: number): T {
    const entries = this.childEntries();
    const i = index < 0 ? index + entries.length : index;
    if (!Number.isInteger(i) || i < 0 || i >= entries.length)
      throw new IndexError(`index ${index} is out of range`);
    return entries[i]![1] as T;
  }

  /** Replace the module at `index`. @example list.set(0, new nn.Identity()) */
  set(index: number, module: T): void {
    const entries = this.childEntries();
    const i = index < 0 ? index + entries.length : index;
    if (!Number.isInteger(i) || i < 0 || i >= entries.length)
      throw new IndexError(`index ${index} is out of range`);
    checkModule(module, "ModuleList");
    entries[i] = [String(i), module];
    this.resetChildren(entries);
  }

  /** Add a module at the end. @example list.append(new nn.ReLU()) */
  append(module: T): this {
    this.registerModule(String(this.length), checkModule(module, "ModuleList"));
    return this;
  }

  /** Add several modules at the end. @example list.extend([a, b]) */
  extend(modules: Iterable<T>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Insert a module before `index`, renumbering the rest. @example list.insert(0, m) */
  insert(index: number, module: T): void {
    checkModule(module, "ModuleList");
    const mods = this.childEntries().map(([, m]) => m);
    const n = mods.length;
    const i = Math.max(0, Math.min(n, index < 0 ? index + n : index));
    mods.splice(i, 0, module);
    this.resetChildren(mods.map((m, k) => [String(k), m]));
  }

  /** Remove and return the module at `index`, renumbering the rest. @example list.pop(-1) */
  pop(index = -1): T {
    const m = this.at(index);
    const mods = this.childEntries()
      .map(([, x]) => x)
      .filter((x) => x !== m);
    this.resetChildren(mods.map((x, k) => [String(k), x]));
    return m;
  }

  /** Iterate over the modules. @example for (const layer of list) ... */
  *[Symbol.iterator](): IterableIterator<T> {
    for (const [, m] of this.childEntries()) if (m !== null) yield m as T;
  }
}

/**
 * Submodules stored under string keys in insertion order (PyTorch's `nn.ModuleDict`).
 *
 * @example
 * ```ts
 * const heads = new nn.ModuleDict({ cls: new nn.Linear(8, 10), box: new nn.Linear(8, 4) });
 * heads.get("cls")!.forward(features);
 * ```
 */
export class ModuleDict<T extends Module = Module> extends Module {
  constructor(modules: Record<string, T> | Iterable<[string, T]> = {}) {
    super();
    this.update(modules);
  }

  /** Number of entries. @example dict.size */
  get size(): number {
    return this.childEntries().length;
  }

  /** The module under `key`, or undefined. @example dict.get("cls") */
  get(key: string): T | undefined {
    const found = this.childEntries().find(([k]) => k === key);
    return (found?.[1] ?? undefined) as T | undefined;
  }

  /** Add or replace the module under `key`. @example dict.set("head", new nn.Linear(8, 2)) */
  set(key: string, module: T): this {
    checkModule(module, "ModuleDict");
    if (this.has(key)) {
      const entries = this.childEntries().map(([k, m]): [string, Module | null] => [
        k,
        k === key ? module : m,
      ]);
      this.resetChildren(entries);
    } else this.registerModule(key, module);
    return this;
  }

  /** Whether `key` is present. @example dict.has("cls") */
  has(key: string): boolean {
    return this.childEntries().some(([k]) => k === key);
  }

  /**
   * Remove and return the module under `key`.
   *
   * @throws KeyError when absent.
   * @example dict.pop("box")
   */
  pop(key: string): T {
    const m = this.get(key);
    if (m === undefined) throw new KeyError(`'${key}'`);
    this.resetChildren(this.childEntries().filter(([k]) => k !== key));
    return m;
  }

  /** The keys in insertion order. @example dict.keys() */
  keys(): string[] {
    return this.childEntries().map(([k]) => k);
  }

  /** The modules in insertion order. @example dict.values() */
  values(): T[] {
    return this.childEntries().map(([, m]) => m as T);
  }

  /** The (key, module) pairs in insertion order. @example dict.entries() */
  entries(): Array<[string, T]> {
    return this.childEntries().map(([k, m]) => [k, m as T]);
  }

  /** Add or replace several entries. @example dict.update({ a: m1, b: m2 }) */
  update(modules: Record<string, T> | Iterable<[string, T]>): this {
    const pairs: Iterable<[string, T]> =
      Symbol.iterator in Object(modules) ? (modules as Iterable<[string, T]>) : Object.entries(modules);
    for (const [k, m] of pairs) this.set(k, m);
    return this;
  }

  /** Iterate over the keys, as Python iterates a dict. @example for (const key of dict) ... */
  *[Symbol.iterator](): IterableIterator<string> {
    yield* this.keys();
  }
}

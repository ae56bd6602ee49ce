/**
 * `optim.paramGroupsWeightDecay(model, ...)`: the parameter groups PyTorch users build by hand so
 * that weight decay skips biases and normalisation weights — in one call, with a report of where
 * every parameter went and which rule put it there. It lives in `nn/` because it reads the module
 * tree; the public entry point is `tg.optim.paramGroupsWeightDecay`.
 * @module
 */

import { ValueError } from "../util/errors.js";
import type { Module } from "./module.js";
import { BatchNormBase } from "./modules/batchnorm.js";
import { GroupNorm, LayerNorm, RMSNorm } from "./modules/normalization.js";
import type { Parameter } from "./parameter.js";

/** A user rule: true (or a reason string) to exclude a parameter from weight decay. */
export type ExcludePredicate = (name: string, param: Parameter, module: Module) => boolean | string;

/** Options of {@link paramGroupsWeightDecay}. */
export interface WeightDecayGroupsOptions {
  /** λ for the decayed group. */
  weightDecay: number;
  /**
   * Extra exclusions: a predicate, or parameter names / regular expressions (a string matches the
   * full dotted name exactly, or any name ending in `.` + it, e.g. `"cls_token"`).
   */
  exclude?: ExcludePredicate | ReadonlyArray<string | RegExp>;
  /**
   * Apply the built-in rules (biases, normalisation weights, parameters with ndim ≤ 1); default
   * true. With false only `exclude` and modules' `noWeightDecay()` exclude anything (so `false`
   * and no `exclude` reproduce PyTorch's default: decay everything).
   */
  auto?: boolean;
}

/** Where one parameter went. */
export interface WeightDecayRow {
  name: string;
  shape: number[];
  numel: number;
  /** The class of the module that owns the parameter directly (e.g. `Linear`). */
  module: string;
  group: "decay" | "no_decay" | "frozen";
  weightDecay: number | null;
  reason: string;
}

/** The report {@link paramGroupsWeightDecay} returns; `toString()` prints it as a table. */
export interface WeightDecayReport {
  rows: WeightDecayRow[];
  decayed: { tensors: number; elements: number };
  excluded: { tensors: number; elements: number };
  frozen: { tensors: number; elements: number };
  toString(): string;
}

/** What {@link paramGroupsWeightDecay} returns: optimizer groups plus the report. */
export interface WeightDecayGroups {
  /** `[{ params: decayed, weightDecay }, { params: excluded, weightDecay: 0 }]`, for any optimizer. */
  groups: [{ params: Parameter[]; weightDecay: number }, { params: Parameter[]; weightDecay: number }];
  report: WeightDecayReport;
}

/**
 * Modules whose parameters are normalisation scales and shifts.
 * @example tg.optim.isNormalization(new tg.nn.BatchNorm2d(16)); // true; for a Linear, false
 */
export function isNormalization(m: Module): boolean {
  return (
    m instanceof BatchNormBase || m instanceof LayerNorm || m instanceof GroupNorm || m instanceof RMSNorm
  );
}

function userExclusion(
  exclude: WeightDecayGroupsOptions["exclude"],
  name: string,
  p: Parameter,
  owner: Module,
): string | null {
  if (exclude === undefined) return null;
  if (typeof exclude === "function") {
    const r = exclude(name, p, owner);
    if (r === false || r === undefined || r === null) return null;
    return typeof r === "string" ? r : "excluded by the exclude predicate";
  }
  for (const rule of exclude) {
    if (typeof rule === "string" ? name === rule || name.endsWith("." + rule) : rule.test(name)) {
      return `excluded by option (matches ${typeof rule === "string" ? `'${rule}'` : String(rule)})`;
    }
  }
  return null;
}

/**
 * Split a model's parameters into a weight-decay group and a no-decay group, and report where each
 * parameter went and why. Rules, first match wins:
 * 1. `exclude` (a predicate or names/regexes you give);
 * 2. names a module lists in its `noWeightDecay()` method (relative to that module, timm-style);
 * 3. parameters of normalisation layers (BatchNorm, LayerNorm, GroupNorm, RMSNorm);
 * 4. biases (the last name segment is `bias`);
 * 5. any other parameter with ndim ≤ 1;
 * everything else (weights of Linear, Conv, Embedding, ...) is decayed. Parameters that do not
 * require grad are left out of both groups and reported as frozen. Rules 3–5 are skipped with
 * `auto: false`.
 *
 * PyTorch applies `weight_decay` to every parameter it is given, biases and normalisation weights
 * included, unless you build groups like these.
 *
 * @example
 * ```ts
 * const { groups, report } = tg.optim.paramGroupsWeightDecay(model, { weightDecay: 0.05 });
 * const opt = new tg.optim.AdamW(groups, { lr: 1e-3 });
 * console.log(report.toString());
 * ```
 */
export function paramGroupsWeightDecay(model: Module, options: WeightDecayGroupsOptions): WeightDecayGroups {
  if (options === null || typeof options !== "object" || typeof options.weightDecay !== "number") {
    throw new TypeError("paramGroupsWeightDecay(model, { weightDecay }) needs a numeric weightDecay");
  }
  const { weightDecay, exclude, auto = true } = options;
  if (!(weightDecay >= 0)) throw new ValueError(`Invalid weight_decay value: ${weightDecay}`);
  if (exclude !== undefined && typeof exclude !== "function" && !Array.isArray(exclude)) {
    throw new TypeError("exclude must be a function or an array of names / regular expressions");
  }

  // Owner module of each parameter (direct child), and names listed by noWeightDecay() hooks.
  const owners = new Map<Parameter, Module>();
  const listed = new Map<string, string>();
  for (const [prefix, m] of model.namedModules()) {
    for (const [, p] of m.namedParameters({ recurse: false })) if (!owners.has(p)) owners.set(p, m);
    const hook = (m as unknown as { noWeightDecay?: () => Iterable<string> }).noWeightDecay;
    if (typeof hook === "function") {
      for (const rel of hook.call(m)) {
        listed.set(prefix ? `${prefix}.${rel}` : rel, `listed by ${m.constructor.name}.noWeightDecay()`);
      }
    }
  }

  const decay: Parameter[] = [];
  const noDecay: Parameter[] = [];
  const rows: WeightDecayRow[] = [];
  for (const [name, p] of model.namedParameters()) {
    const owner = owners.get(p) ?? model;
    const base = { name, shape: [...p.shape], numel: p.numel(), module: owner.constructor.name };
    if (!p.requiresGrad) {
      rows.push({
        ...base,
        group: "frozen",
        weightDecay: null,
        reason: "requires_grad is false: not optimized",
      });
      continue;
    }
    const leaf = name.split(".").at(-1);
    const reason =
      userExclusion(exclude, name, p, owner) ??
      listed.get(name) ??
      (!auto
        ? null
        : isNormalization(owner)
          ? `normalization layer parameter (${owner.constructor.name})`
          : leaf === "bias"
            ? "bias"
            : p.ndim <= 1
              ? `ndim ${p.ndim} ≤ 1`
              : null);
    if (reason === null) {
      decay.push(p);
      rows.push({
        ...base,
        group: "decay",
        weightDecay,
        reason: `weight with ndim ${p.ndim}` + (auto ? "" : " (auto rules off)"),
      });
    } else {
      noDecay.push(p);
      rows.push({ ...base, group: "no_decay", weightDecay: 0, reason });
    }
  }
  const count = (g: WeightDecayRow["group"]) => {
    const r = rows.filter((x) => x.group === g);
    return { tensors: r.length, elements: r.reduce((n, x) => n + x.numel, 0) };
  };
  const counts = { decayed: count("decay"), excluded: count("no_decay"), frozen: count("frozen") };
  const report: WeightDecayReport = {
    rows,
    ...counts,
    toString: () => renderReport(rows, counts, weightDecay),
  };
  return {
    groups: [
      { params: decay, weightDecay },
      { params: noDecay, weightDecay: 0 },
    ],
    report,
  };
}

type Count = { tensors: number; elements: number };

function renderReport(
  rows: WeightDecayRow[],
  counts: { decayed: Count; excluded: Count; frozen: Count },
  weightDecay: number,
): string {
  const header = ["parameter", "shape", "module", "group", "weight_decay", "reason"];
  const cells = rows.map((r) => [
    r.name,
    `[${r.shape.join(", ")}]`,
    r.module,
    r.group === "decay" ? "0 (decay)" : r.group === "no_decay" ? "1 (no_decay)" : "-",
    r.weightDecay === null ? "-" : String(r.weightDecay),
    r.reason,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => x.padEnd(widths[i] as number))
      .join("  ")
      .trimEnd();
  const sum = (c: Count) => `${c.tensors} tensors, ${c.elements} elements`;
  return [
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...cells.map(line),
    "",
    `decayed (weight_decay=${weightDecay}): ${sum(counts.decayed)}`,
    `not decayed (weight_decay=0): ${sum(counts.excluded)}`,
    ...(counts.frozen.tensors > 0 ? [`frozen (not optimized): ${sum(counts.frozen)}`] : []),
  ].join("\n");
}

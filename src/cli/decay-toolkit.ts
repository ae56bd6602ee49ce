/**
 * The weight-decay toolkit as the command uses it: which parameters decay (and why), optimizers
 * with a chosen decay scale, and the plain-words explanation of an optimizer's update.
 *
 * This is the one module that stands in for `optim.paramGroupsWeightDecay`, the `decayScale`
 * optimizer option, `optim.explain` and `optim.weightDecayFromTimescale` until the library ships
 * them; when it does, only this file changes (its exports keep their names and shapes).
 *
 * @module
 */

import * as tg from "../index.js";
import { CliError } from "./cli-error.js";
import { OPTIMIZERS, type OptimizerName, type OptionValue } from "./optimizer-table.js";

type Tensor = tg.Tensor;
type Module = tg.nn.Module;
type Optimizer = tg.optim.Optimizer;
type ParamGroup = tg.optim.ParamGroup;

/**
 * Which parameters are kept out of weight decay: `"auto"` (biases, 1-D tensors and
 * normalization layers), `"none"` (nothing: every parameter decays, as when PyTorch is given
 * `model.parameters()`), or a list of names matched against the dotted parameter names.
 */
export type NoDecayRule = "auto" | "none" | readonly string[];

/**
 * How decoupled decay is scaled each step: by the current learning rate (`"lr"`, PyTorch's
 * `θ ← θ·(1 − lr·λ)`), by the schedule's ratio `lr/peak lr` (`"lrRatio"`, Loshchilov & Hutter's
 * schedule multiplier), or not at all (`"none"`, `θ ← θ·(1 − λ)`).
 */
export type DecayScale = "lr" | "lrRatio" | "none";

/** The optimizers on which a decay scale other than `"lr"` is available. */
export const DECAY_SCALE_OPTIMIZERS: readonly OptimizerName[] = ["sgd", "adamw", "nadam", "radam"];

/** Where one parameter went and why. */
export interface DecayAssignment {
  /** Dotted name (`fc1.weight`). */
  name: string;
  /** Its shape. */
  shape: number[];
  /** Whether it is in the decayed group. */
  decayed: boolean;
  /** The rule that placed it, in words. */
  reason: string;
}

/** Parameter groups for an optimizer, split by a no-decay rule, with the report of the split. */
export interface DecayGroups {
  /** The groups: `decay` (weight decay λ) and `no_decay` (0); an empty group is left out. */
  groups: tg.optim.ParamGroupInput[];
  /** One entry per parameter, in model order. */
  report: DecayAssignment[];
  /** The parameters in the decayed group. */
  decayed: Tensor[];
  /** The parameters in the no-decay group. */
  excluded: Tensor[];
}

const NORM_LAYERS = new Set([
  "BatchNorm1d",
  "BatchNorm2d",
  "BatchNorm3d",
  "LayerNorm",
  "GroupNorm",
  "RMSNorm",
  "InstanceNorm1d",
  "InstanceNorm2d",
]);

/**
 * Split a model's parameters into a decayed and a non-decayed group.
 *
 * @throws CliError when a name in a list rule matches no parameter.
 * @example
 * ```ts
 * const { groups, report } = paramGroupsWeightDecay(model, { weightDecay: 1e-4, exclude: "auto" });
 * new tg.optim.SGD(groups, { lr: 0.1 });
 * ```
 */
export function paramGroupsWeightDecay(
  model: Module,
  options: { weightDecay: number; exclude: NoDecayRule },
): DecayGroups {
  const owner = new Map<Tensor, string>();
  for (const [, m] of model.namedModules()) {
    for (const [, p] of m.namedParameters({ recurse: false })) owner.set(p, m.constructor.name);
  }
  const report: DecayAssignment[] = [];
  const decayed: Tensor[] = [];
  const excluded: Tensor[] = [];
  const rule = options.exclude;
  const used = new Set<string>();
  for (const [name, p] of model.namedParameters()) {
    let decay: boolean;
    let reason: string;
    const layer = owner.get(p) ?? "Module";
    if (rule === "none") {
      decay = true;
      reason = "every parameter decays (--no-decay none)";
    } else if (rule === "auto") {
      const last = name.split(".").pop() ?? name;
      if (NORM_LAYERS.has(layer)) [decay, reason] = [false, `${last} of a normalization layer (${layer})`];
      else if (last === "bias") [decay, reason] = [false, `bias of ${layer}`];
      else if (p.ndim <= 1) [decay, reason] = [false, `1-D tensor in ${layer}`];
      else [decay, reason] = [true, `${p.ndim}-D weight of ${layer}`];
    } else {
      const hit = rule.find((r) => name === r || name.split(".").includes(r) || name.startsWith(`${r}.`));
      if (hit !== undefined) {
        used.add(hit);
        [decay, reason] = [false, `matches --no-decay name "${hit}"`];
      } else [decay, reason] = [true, "matches no --no-decay name"];
    }
    (decay ? decayed : excluded).push(p);
    report.push({ name, shape: [...p.shape], decayed: decay, reason });
  }
  if (Array.isArray(rule)) {
    const unused = (rule as readonly string[]).filter((r) => !used.has(r));
    if (unused.length > 0) {
      const names = report.map((r) => r.name).join(", ");
      throw new CliError(`--no-decay: no parameter matches "${unused[0]}" (the parameters are ${names})`);
    }
  }
  const groups: tg.optim.ParamGroupInput[] = [];
  if (decayed.length > 0) groups.push({ params: decayed, weightDecay: options.weightDecay, name: "decay" });
  if (excluded.length > 0) groups.push({ params: excluded, weightDecay: 0, name: "no_decay" });
  return { groups, report, decayed, excluded };
}

/** What {@link createOptimizer} needs besides the groups. */
export interface OptimizerSpec {
  /** Which optimizer. */
  name: OptimizerName;
  /** Its options (camelCase), `lr` included. */
  options: Record<string, OptionValue>;
  /** How decay is scaled (`"lr"`: as the optimizer does it natively). */
  decayScale: DecayScale;
  /** The learning rate that `"lrRatio"` divides by (the schedule's peak). */
  peakLr: number;
}

type OptimizerClass = new (params: tg.optim.Params, options: object) => Optimizer;

function optimizerClass(name: OptimizerName): OptimizerClass {
  const cls = (tg.optim as unknown as Record<string, unknown>)[OPTIMIZERS[name].className];
  if (typeof cls !== "function")
    throw new CliError(`this build of tsgrad has no optim.${OPTIMIZERS[name].className}`);
  return cls as OptimizerClass;
}

const scaledClasses = new Map<OptimizerName, OptimizerClass>();

/**
 * The optimizer class with decoupled decay applied at a chosen scale: before the optimizer's own
 * update (where AdamW applies it), each parameter of a group with `decayScale` "lrRatio" or "none"
 * is multiplied by `1 − λ·lr/peakLr` or `1 − λ`, and the optimizer itself runs with weight decay 0
 * for that step.
 */
function scaledClass(name: OptimizerName): OptimizerClass {
  const cached = scaledClasses.get(name);
  if (cached !== undefined) return cached;
  const Base = optimizerClass(name) as unknown as new (
    params: tg.optim.Params,
    options: object,
  ) => Optimizer & {
    updateGroup(group: ParamGroup): void;
  };
  class Scaled extends Base {
    override updateGroup(group: ParamGroup): void {
      const scale = group.decayScale;
      const lambda = typeof group.weightDecay === "number" ? group.weightDecay : 0;
      if (scale === undefined || scale === "lr" || lambda === 0) {
        super.updateGroup(group);
        return;
      }
      const peak = typeof group.peakLr === "number" && group.peakLr > 0 ? group.peakLr : group.lr;
      const factor = 1 - lambda * (scale === "lrRatio" ? group.lr / peak : 1);
      for (const p of group.params) if (p.grad !== null) p.mul_(factor);
      group.weightDecay = 0;
      try {
        super.updateGroup(group);
      } finally {
        group.weightDecay = lambda;
      }
    }
  }
  Object.defineProperty(Scaled, "name", { value: OPTIMIZERS[name].className });
  scaledClasses.set(name, Scaled as unknown as OptimizerClass);
  return Scaled as unknown as OptimizerClass;
}

/**
 * Build the optimizer for `groups`, with the decay scale recorded in every group (so it is saved in
 * `stateDict()` and restored by `loadStateDict()`).
 *
 * @throws CliError for a decay scale the optimizer does not offer; the library's ValueError for a
 *   bad hyperparameter (`Invalid learning rate: -1`).
 * @example
 * ```ts
 * const opt = createOptimizer(groups, { name: "adamw", options: { lr: 1e-3 }, decayScale: "lr", peakLr: 1e-3 });
 * ```
 */
export function createOptimizer(groups: tg.optim.ParamGroupInput[], spec: OptimizerSpec): Optimizer {
  const { name, decayScale } = spec;
  if (decayScale !== "lr" && !DECAY_SCALE_OPTIMIZERS.includes(name)) {
    throw new CliError(
      `--decay-scale ${decayScale} is available for ${DECAY_SCALE_OPTIMIZERS.join(", ")}, not ${name}`,
    );
  }
  const cls = decayScale === "lr" ? optimizerClass(name) : scaledClass(name);
  const withScale =
    decayScale === "lr" ? groups : groups.map((g) => ({ ...g, decayScale, peakLr: spec.peakLr }));
  return new cls(withScale, spec.options);
}

/**
 * The weight decay λ for a decoupled-decay optimizer such that the weights average the updates of
 * the last `epochs` epochs (Wang & Aitchison): τ_iter = 1/(lr·λ) steps = `epochs` · N/B steps.
 *
 * @example
 * ```ts
 * weightDecayFromTimescale({ epochs: 10, lr: 1e-3, datasetSize: 8000, batchSize: 64 }); // 0.8
 * ```
 */
export function weightDecayFromTimescale(options: {
  epochs: number;
  lr: number;
  datasetSize: number;
  batchSize: number;
}): number {
  const stepsPerEpoch = options.datasetSize / options.batchSize;
  return 1 / (options.lr * options.epochs * stepsPerEpoch);
}

/** Context that makes the explanation concrete. */
export interface ExplainContext {
  /** The parameter names of each group, to name them. */
  groupNames?: string[][];
  /** Optimizer steps per epoch, to state timescales in epochs. */
  stepsPerEpoch?: number;
  /** Describe each group by its size (default true); false for a bare "θ". */
  groupSizes?: boolean;
}

/**
 * The exact update an optimizer will apply, per parameter group, with its numbers filled in: where
 * weight decay enters, the loss term it equals for coupled decay, and the per-step shrink factor
 * and averaging timescale for decoupled decay.
 *
 * @example
 * ```ts
 * console.log(explain(new tg.optim.SGD([w], { lr: 0.1, weightDecay: 0.9 })));
 * // SGD, group 0 (1 tensor): lr 0.1, weight decay 0.9, coupled (added to the gradient)
 * //   g ← ∇loss + 0.9·θ
 * //   θ ← θ − 0.1·g  =  0.91·θ − 0.1·∇loss
 * //   ...
 * ```
 */
export function explain(optimizer: Optimizer, context: ExplainContext = {}): string {
  const name = optimizer.constructor.name;
  const blocks = optimizer.paramGroups.map((group, i) => explainGroup(name, group, i, context));
  return blocks.join("\n\n");
}

/** A number as short decimal text (`0.1`, `1e-4`, `0.91`), exact up to 6 significant digits. */
export function num(x: number): string {
  if (x === 0) return "0";
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e6) return String(Number(x.toPrecision(6)));
  const [mant, exp] = x.toExponential(5).split("e");
  return `${String(Number(mant))}e${Number(exp)}`;
}

function describeGroup(group: ParamGroup, index: number, context: ExplainContext): string {
  if (context.groupSizes === false)
    return typeof group.name === "string" ? `group "${group.name}"` : `group ${index}`;
  const label = typeof group.name === "string" ? `group "${group.name}"` : `group ${index}`;
  const names = context.groupNames?.[index];
  const count = group.params.reduce((s, p) => s + p.numel(), 0);
  const what =
    names !== undefined && names.length > 0
      ? names.join(", ")
      : `${group.params.length} tensor${group.params.length === 1 ? "" : "s"}`;
  return `${label} (${what}; ${count.toLocaleString("en-US")} values)`;
}

function val(group: ParamGroup, key: string): number {
  const v = group[key];
  return typeof v === "number" ? v : NaN;
}

function flag(group: ParamGroup, key: string): boolean {
  return group[key] === true;
}

function explainGroup(opt: string, group: ParamGroup, index: number, context: ExplainContext): string {
  const lr = group.lr;
  const wd = val(group, "weightDecay");
  const scale = (group.decayScale as DecayScale | undefined) ?? "lr";
  const peak = val(group, "peakLr");
  const maximize = flag(group, "maximize");
  const lines: string[] = [];
  const hasDecay = Number.isFinite(wd) && wd > 0;
  const nativeDecoupled = opt === "AdamW" || flag(group, "decoupledWeightDecay");
  const decoupled = hasDecay && (nativeDecoupled || scale !== "lr");
  const kind = !("weightDecay" in group)
    ? `${opt} has no weight decay option`
    : !hasDecay
      ? "no weight decay"
      : decoupled
        ? `weight decay ${num(wd)}, decoupled (multiplied into the weights${scale === "lr" ? ", scaled by lr" : scale === "lrRatio" ? ", scaled by lr/peak lr" : ", not scaled by lr"})`
        : `weight decay ${num(wd)}, coupled (added to the gradient)`;
  lines.push(`${opt}, ${describeGroup(group, index, context)}: lr ${num(lr)}, ${kind}`);
  const grad = maximize ? "−∇loss" : "∇loss";
  const g0 = hasDecay && !decoupled ? `g ← ${grad} + ${num(wd)}·θ` : `g ← ${grad}`;

  let shrink = 1;
  if (decoupled) {
    shrink =
      scale === "lr" ? 1 - lr * wd : scale === "lrRatio" ? 1 - wd * (lr / (peak > 0 ? peak : lr)) : 1 - wd;
    const formula =
      scale === "lr"
        ? `1 − ${num(lr)}·${num(wd)}`
        : scale === "lrRatio"
          ? `1 − ${num(wd)}·lr/${num(peak > 0 ? peak : lr)}`
          : `1 − ${num(wd)}`;
    lines.push(`  θ ← θ·(${formula}) = ${num(shrink)}·θ        (first, before the update below)`);
  }
  lines.push(...updateLines(opt, group, g0, lr, wd, hasDecay && !decoupled));

  if (hasDecay && !decoupled) {
    lines.push(
      `  The same as minimizing loss + (${num(wd)}/2)·‖θ‖² = loss + ${num(wd / 2)}·‖θ‖² with weight decay 0: the gradient of (λ/2)·‖θ‖² is λ·θ.`,
    );
    if (opt !== "SGD") {
      lines.push(`  (The term enters the gradient, so it also passes through ${opt}'s running averages.)`);
    } else if (val(group, "momentum") > 0) {
      lines.push(
        "  (The term enters the gradient before momentum, so it also passes through the momentum buffer.)",
      );
    }
  }
  if (decoupled) {
    const steps = 1 / (1 - shrink);
    const perEpoch = context.stepsPerEpoch;
    const epochs =
      perEpoch !== undefined && perEpoch > 0 ? ` ≈ ${num(steps / perEpoch)} epochs of ${perEpoch} steps` : "";
    lines.push(
      `  Not a loss term: the optimizer's statistics never see λ·θ. Each step keeps ${num(shrink)} of θ, so θ is an exponential moving average of the updates over a timescale of 1/${num(1 - shrink)} = ${num(steps)} steps${epochs}${scale === "lr" ? " (at this lr)" : ""}.`,
    );
  }
  if (opt === "ASGD") {
    lines.push(
      `  ASGD also shrinks θ by (1 − lambd·η) = (1 − ${num(val(group, "lambd"))}·η) every step, on top of weight decay.`,
    );
  }
  return lines.join("\n");
}

function updateLines(
  opt: string,
  group: ParamGroup,
  g0: string,
  lr: number,
  wd: number,
  coupled: boolean,
): string[] {
  const L: string[] = [`  ${g0}`];
  const betas = group.betas as [number, number] | undefined;
  const [b1, b2] = betas ?? [NaN, NaN];
  const eps = val(group, "eps");
  switch (opt) {
    case "SGD": {
      const mu = val(group, "momentum");
      const tau = val(group, "dampening");
      if (mu > 0) {
        L.push(`  b ← g at the first step, then b ← ${num(mu)}·b + ${num(1 - tau)}·g`);
        L.push(flag(group, "nesterov") ? `  g ← g + ${num(mu)}·b` : "  g ← b");
        L.push(`  θ ← θ − ${num(lr)}·g`);
      } else if (coupled) {
        L.push(`  θ ← θ − ${num(lr)}·g  =  ${num(1 - lr * wd)}·θ − ${num(lr)}·∇loss`);
      } else {
        L.push(`  θ ← θ − ${num(lr)}·g`);
      }
      break;
    }
    case "Adam":
    case "AdamW": {
      L.push(
        `  m ← ${num(b1)}·m + ${num(1 - b1)}·g;  v ← ${num(b2)}·v + ${num(1 - b2)}·g²   (zeros at first; t = step number)`,
      );
      const vhat = flag(group, "amsgrad") ? "vmax ← max(vmax, v); " : "";
      const v = flag(group, "amsgrad") ? "vmax" : "v";
      L.push(
        `  ${vhat}θ ← θ − ${num(lr)}/(1 − ${num(b1)}^t) · m / (√${v}/√(1 − ${num(b2)}^t) + ${num(eps)})`,
      );
      break;
    }
    case "Adamax":
      L.push(`  m ← ${num(b1)}·m + ${num(1 - b1)}·g;  u ← max(${num(b2)}·u, |g| + ${num(eps)})`);
      L.push(`  θ ← θ − ${num(lr)}/(1 − ${num(b1)}^t) · m / u`);
      break;
    case "NAdam": {
      const psi = val(group, "momentumDecay");
      L.push(
        `  μ_t = ${num(b1)}·(1 − 0.5·0.96^(t·${num(psi)}));  m ← ${num(b1)}·m + ${num(1 - b1)}·g;  v ← ${num(b2)}·v + ${num(1 - b2)}·g²`,
      );
      L.push(`  d = √(v/(1 − ${num(b2)}^t)) + ${num(eps)}`);
      L.push(`  θ ← θ − ${num(lr)}·(1 − μ_t)·g/((1 − Πμ_1..t)·d) − ${num(lr)}·μ_(t+1)·m/((1 − Πμ_1..t+1)·d)`);
      break;
    }
    case "RAdam":
      L.push(
        `  m ← ${num(b1)}·m + ${num(1 - b1)}·g;  v ← ${num(b2)}·v + ${num(1 - b2)}·g²;  m̂ = m/(1 − ${num(b1)}^t)`,
      );
      L.push(`  ρ_t = ρ∞ − 2t·${num(b2)}^t/(1 − ${num(b2)}^t), ρ∞ = ${num(2 / (1 - b2) - 1)}`);
      L.push(
        `  if ρ_t > 5: θ ← θ − ${num(lr)}·r_t·m̂·√(1 − ${num(b2)}^t)/(√v + ${num(eps)})  (r_t the rectification term), else θ ← θ − ${num(lr)}·m̂`,
      );
      break;
    case "Adagrad": {
      const decay = val(group, "lrDecay");
      L.push(`  s ← s + g²   (s starts at ${num(val(group, "initialAccumulatorValue"))})`);
      L.push(`  θ ← θ − ${num(lr)}/(1 + (t − 1)·${num(decay)}) · g/(√s + ${num(eps)})`);
      break;
    }
    case "RMSprop": {
      const alpha = val(group, "alpha");
      const mu = val(group, "momentum");
      L.push(`  s ← ${num(alpha)}·s + ${num(1 - alpha)}·g²`);
      const denom = flag(group, "centered")
        ? `(√(s − a²) + ${num(eps)}), a ← ${num(alpha)}·a + ${num(1 - alpha)}·g`
        : `(√s + ${num(eps)})`;
      if (mu > 0) {
        L.push(`  b ← ${num(mu)}·b + g/${denom}`);
        L.push(`  θ ← θ − ${num(lr)}·b`);
      } else L.push(`  θ ← θ − ${num(lr)}·g/${denom}`);
      break;
    }
    case "Adadelta": {
      const rho = val(group, "rho");
      L.push(
        `  s ← ${num(rho)}·s + ${num(1 - rho)}·g²;  Δ = √(a + ${num(eps)})/√(s + ${num(eps)})·g;  a ← ${num(rho)}·a + ${num(1 - rho)}·Δ²`,
      );
      L.push(`  θ ← θ − ${num(lr)}·Δ`);
      break;
    }
    case "ASGD":
      L.push(
        `  θ ← θ·(1 − ${num(val(group, "lambd"))}·η) − η·g,  η starts at ${num(lr)} and decays as lr/(1 + lambd·lr·t)^${num(val(group, "alpha"))}`,
      );
      break;
    case "Rprop": {
      const etas = group.etas as [number, number];
      const sizes = group.stepSizes as [number, number];
      L.push(
        `  per element: step size × ${num(etas[1])} if g kept its sign, × ${num(etas[0])} if it flipped (then g ← 0), clamped to [${num(sizes[0])}, ${num(sizes[1])}], starting at ${num(lr)}`,
      );
      L.push("  θ ← θ − sign(g)·step size");
      break;
    }
    case "LBFGS":
      L.push(
        `  up to ${num(val(group, "maxIter"))} quasi-Newton iterations per step: direction from the last ${num(val(group, "historySize"))} (Δθ, Δg) pairs, step ${num(lr)}${group.lineSearchFn === "strong_wolfe" ? " chosen by a strong-Wolfe line search" : ""}`,
      );
      break;
    default:
      L.push(`  θ ← ${opt} update with g`);
  }
  return L;
}

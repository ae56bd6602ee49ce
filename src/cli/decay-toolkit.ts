/**
 * The weight-decay toolkit as the command uses it: which parameters decay (and why), optimizers
 * with a chosen decay scale, and the plain-words explanation of an optimizer's update.
 *
 * This is the one module through which the command reaches `optim.paramGroupsWeightDecay`, the
 * `decayScale` optimizer option, `optim.explain` and `optim.weightDecayFromTimescale`: it turns
 * the command's settings (a no-decay rule, a decay scale, run sizes) into their arguments and
 * their results into what the command prints.
 *
 * @module
 */

import * as tg from "../index.js";
import { CliError } from "./cli-error.js";
import { OPTIMIZERS, type OptimizerName, type OptionValue } from "./optimizer-table.js";

type Tensor = tg.Tensor;
type Module = tg.nn.Module;
type Optimizer = tg.optim.Optimizer;

/**
 * Which parameters are kept out of weight decay: `"auto"` (biases, 1-D tensors and
 * normalization layers), `"none"` (nothing: every parameter decays, as when PyTorch is given
 * `model.parameters()`), or a list of names, each matching a dotted parameter name exactly or as
 * its last components (`bias` matches `1.bias`).
 */
export type NoDecayRule = "auto" | "none" | readonly string[];

/**
 * How decoupled decay is scaled each step: by the current learning rate (`"lr"`, PyTorch's
 * `θ ← θ·(1 − lr·λ)`), by the schedule's ratio `lr/initial lr` (`"lrRatio"`), or not at all
 * (`"none"`, `θ ← θ·(1 − λ)`).
 */
export type DecayScale = tg.optim.DecayScale;

/**
 * The optimizers that take a decay scale (with decoupled weight decay).
 * @example DECAY_SCALE_OPTIMIZERS.includes("adagrad"); // false: only --decay-scale lr works with it
 */
export const DECAY_SCALE_OPTIMIZERS: readonly OptimizerName[] = ["sgd", "adam", "adamw", "nadam", "radam"];

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
  /** The groups, named `decay` (weight decay λ) and `no_decay` (0); an empty group is left out. */
  groups: tg.optim.ParamGroupInput[];
  /** One entry per parameter, in model order. */
  report: DecayAssignment[];
  /** The parameters in the decayed group. */
  decayed: Tensor[];
  /** The parameters in the no-decay group. */
  excluded: Tensor[];
}

/**
 * Split a model's parameters into a decayed and a non-decayed group with
 * `optim.paramGroupsWeightDecay`.
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
  const rule = options.exclude;
  const weightDecay = options.weightDecay;
  const lib =
    rule === "auto"
      ? tg.optim.paramGroupsWeightDecay(model, { weightDecay })
      : rule === "none"
        ? tg.optim.paramGroupsWeightDecay(model, { weightDecay, auto: false })
        : tg.optim.paramGroupsWeightDecay(model, { weightDecay, auto: false, exclude: [...rule] });
  const rows = lib.report.rows.filter((r) => r.group !== "frozen");
  if (Array.isArray(rule)) {
    const matches = (r: string) => rows.some((row) => row.name === r || row.name.endsWith(`.${r}`));
    const unused = (rule as readonly string[]).find((r) => !matches(r));
    if (unused !== undefined) {
      throw new CliError(
        `--no-decay: no parameter matches "${unused}" (the parameters are ${rows.map((r) => r.name).join(", ")})`,
      );
    }
  }
  const [decay, noDecay] = lib.groups;
  const groups: tg.optim.ParamGroupInput[] = [
    { ...decay, name: "decay" },
    { ...noDecay, name: "no_decay" },
  ].filter((g) => g.params.length > 0);
  return {
    groups,
    report: rows.map((r) => ({
      name: r.name,
      shape: [...r.shape],
      decayed: r.group === "decay",
      reason: r.reason,
    })),
    decayed: decay.params,
    excluded: noDecay.params,
  };
}

/** What {@link createOptimizer} needs besides the groups. */
export interface OptimizerSpec {
  /** Which optimizer. */
  name: OptimizerName;
  /** Its options (camelCase), `lr` included. */
  options: Record<string, OptionValue>;
  /** How decoupled decay is scaled (`"lr"`: PyTorch's, and then no option is passed). */
  decayScale: DecayScale;
}

type OptimizerClass = new (params: tg.optim.Params, options: object) => Optimizer;

/**
 * Build the optimizer for `groups`, passing `decayScale` only when it is not PyTorch's `"lr"` (so
 * default optimizers keep PyTorch's exact state-dict layout).
 *
 * @throws CliError for a decay scale the optimizer cannot take; the library's ValueError for a bad
 *   hyperparameter (`Invalid learning rate: -1`).
 * @example
 * ```ts
 * const opt = createOptimizer(groups, { name: "adamw", options: { lr: 1e-3 }, decayScale: "lrRatio" });
 * ```
 */
export function createOptimizer(groups: tg.optim.ParamGroupInput[], spec: OptimizerSpec): Optimizer {
  const { name, decayScale } = spec;
  const info = OPTIMIZERS[name];
  if (decayScale !== "lr") {
    if (!DECAY_SCALE_OPTIMIZERS.includes(name)) {
      throw new CliError(
        `--decay-scale ${decayScale} is available for ${DECAY_SCALE_OPTIMIZERS.join(", ")} (with decoupled weight decay), not ${name}`,
      );
    }
    if (info.decay !== "decoupled" && spec.options.decoupledWeightDecay !== true) {
      throw new CliError(
        `--decay-scale ${decayScale} scales decoupled weight decay: add --decoupled-weight-decay to ${name}, or use adamw`,
      );
    }
  }
  const cls = (tg.optim as unknown as Record<string, unknown>)[info.className];
  if (typeof cls !== "function") throw new CliError(`this build of tsgrad has no optim.${info.className}`);
  const options = decayScale === "lr" ? spec.options : { ...spec.options, decayScale };
  return new (cls as OptimizerClass)(groups, options);
}

/**
 * The weight decay λ for a decoupled-decay optimizer such that the weights average the updates of
 * the last `epochs` epochs (Wang & Aitchison): τ = 1/(lr·λ) steps = `epochs` · N/B steps.
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
  return tg.optim.weightDecayFromTimescale(options).weightDecay;
}

/** Context that makes the explanation concrete. */
export interface ExplainContext {
  /** The parameter names of each group, to name them. */
  groupNames?: string[][];
  /** Optimizer steps per epoch, to state timescales in epochs. */
  stepsPerEpoch?: number;
  /** Describe each group by its size (default true); false when the group stands for "θ". */
  groupSizes?: boolean;
}

/**
 * A number as short decimal text (`0.1`, `5e-5`, `0.91`).
 *
 * @example
 * ```ts
 * num(0.00005); // "5e-5"
 * ```
 */
export function num(x: number): string {
  if (x === 0) return "0";
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e6) return String(Number(x.toPrecision(6)));
  const [mant, exp] = x.toExponential(5).split("e");
  return `${String(Number(mant))}e${Number(exp)}`;
}

/**
 * `optim.explain(optimizer)` as the command prints it: per group, the exact update with its
 * numbers, where weight decay enters, the equivalent loss term (coupled) or the shrink factor and
 * timescale (decoupled) — with the groups named by their parameters and timescales also in epochs.
 *
 * @example
 * ```ts
 * console.log(explain(new tg.optim.SGD([w], { lr: 0.1, weightDecay: 0.9 }), { groupSizes: false }));
 * // SGD:
 * //   ...
 * //     g ← g + 0.9·w   (coupled weight decay: added to the gradient)
 * ```
 */
export function explain(optimizer: Optimizer, context: ExplainContext = {}): string {
  const ex = tg.optim.explain(optimizer);
  const blocks: string[][] = [];
  for (const line of ex.toString().split("\n")) {
    if (!line.startsWith(" ") || blocks.length === 0) blocks.push([line]);
    else blocks[blocks.length - 1]!.push(line);
  }
  return blocks
    .map((block, i) => {
      const g = ex.groups[i];
      if (g === undefined) return block.join("\n");
      const group = optimizer.paramGroups[i]!;
      const label = typeof group.name === "string" ? `group "${group.name}"` : `param group ${i}`;
      let header: string;
      if (context.groupSizes === false)
        header = ex.groups.length === 1 ? `${ex.optimizer}:` : `${ex.optimizer}, ${label}:`;
      else {
        const names = context.groupNames?.[i];
        const what = names !== undefined && names.length > 0 ? `${names.join(", ")}; ` : "";
        header = `${ex.optimizer}, ${label} (${what}${g.elements.toLocaleString("en-US")} values):`;
      }
      const out = [header, ...block.slice(1)];
      const perEpoch = context.stepsPerEpoch;
      if (g.timescaleSteps !== null && perEpoch !== undefined && perEpoch > 0) {
        out.push(`  that timescale is ${num(g.timescaleSteps / perEpoch)} epochs of ${perEpoch} steps`);
      }
      return out.join("\n");
    })
    .join("\n\n");
}

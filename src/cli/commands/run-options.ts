/**
 * The flags shared by `tsgrad train` and `tsgrad sweep` (model, data, schedule, decay rule,
 * output), the optimizer flags, and turning parsed flags into a {@link TrainConfig}.
 *
 * Flags are declared without commander defaults so that "given by the user" is simply "defined";
 * values are parsed here with messages that name the flag.
 *
 * @module
 */

import { Option, type Command } from "commander";
import { CliError } from "../cli-error.js";
import { BACKEND_NAMES, SCHEDULE_NAMES, TRAIN_DEFAULTS, type TrainConfig } from "../config.js";
import type { DecayScale, NoDecayRule } from "../decay-toolkit.js";
import { MODEL_NAMES } from "../models.js";
import {
  OPTIMIZER_NAMES,
  OPTION_SPECS,
  type OptimizerName,
  type OptionSpec,
  type OptionValue,
} from "../optimizer-table.js";
import {
  parseBoolean,
  parseChoice,
  parseInteger,
  parseNonNegative,
  parseNumber,
  parsePair,
  parsePositive,
} from "../parse.js";

/** Parsed flags as commander hands them over (strings, `true` for switches). */
export type RawOptions = Record<string, unknown>;

const D = TRAIN_DEFAULTS;

/**
 * The decay scales on the command line.
 * @example parseChoice("--decay-scale", "lrRatio", DECAY_SCALES); // "lrRatio"; "lr2" throws a CliError
 */
export const DECAY_SCALES: readonly DecayScale[] = ["lr", "lrRatio", "none"];

/**
 * Add the flags every training command has: model, decay rule and scale, schedule, epochs and
 * batch size, seed, dtype, data sizes, backend, output directory.
 *
 * @example
 * ```ts
 * addRunOptions(new Command("train"), { sweep: false });
 * ```
 */
export function addRunOptions(cmd: Command, options: { sweep: boolean }): void {
  const add = (group: string, flags: string, help: string) =>
    cmd.addOption(new Option(flags, help).helpGroup(group));
  const model = "Model and data:";
  add(model, "--model <name>", `model: ${MODEL_NAMES.join(" | ")} (default ${D.model})`);
  add(model, "--hidden <n>", `hidden units of the mlp (default ${D.hidden})`);
  add(model, "--epochs <n>", `passes over the training set (default ${options.sweep ? 5 : D.epochs})`);
  add(model, "--batch-size <n>", `samples per batch (default ${D.batchSize})`);
  add(model, "--train-size <n>", `training images, of MNIST's 10,000 (default ${D.trainSize})`);
  add(model, "--test-size <n>", `test images, disjoint from the training ones (default ${D.testSize})`);
  add(model, "--seed <n>", `seed of initialisation, data split and order (default ${D.seed})`);
  add(model, "--dtype <type>", `float32 | float64 (default ${D.dtype})`);
  const decay = "Weight decay:";
  if (options.sweep) {
    add(
      decay,
      "--weight-decays <list>",
      "comma-separated weight decays to try (default 0,1e-4,1e-3,1e-2,5e-2)",
    );
    add(
      decay,
      "--no-decay <rules...>",
      "no-decay rules to try: auto (biases, 1-D and norm layers) | none (decay everything) | comma-separated names (default auto)",
    );
  } else {
    add(
      decay,
      "--weight-decay <lambda>",
      "weight decay λ of the decayed parameters (default 0 for every optimizer; PyTorch's AdamW defaults to 0.01)",
    );
    add(
      decay,
      "--no-decay <rule>",
      "parameters kept out of decay: auto (biases, 1-D tensors, norm layers) | none (decay everything, PyTorch's default) | comma-separated names like bias,1.weight (default auto)",
    );
  }
  add(
    decay,
    "--decay-scale <scale>",
    "decoupled decay per step: lr (θ·(1−lr·λ), PyTorch) | lrRatio (θ·(1−λ·lr/initial lr)) | none (θ·(1−λ)); adamw, or sgd/adam/nadam/radam with --decoupled-weight-decay (default lr)",
  );
  const sched = "Learning-rate schedule (stepped every batch):";
  add(sched, "--schedule <name>", `${SCHEDULE_NAMES.join(" | ")} (default ${D.schedule})`);
  add(sched, "--warmup <steps>", "linear warmup steps before the schedule (default 0)");
  add(sched, "--warmup-start-factor <f>", `warmup starts at f·lr (default ${D.warmupStartFactor})`);
  add(sched, "--step-size <epochs>", `step: epochs between decays (default ${D.stepSize})`);
  add(sched, "--gamma <f>", `step: decay factor (default ${D.gamma})`);
  add(sched, "--eta-min <lr>", `cosine: final learning rate (default ${D.etaMin})`);
  add(sched, "--max-lr <lr>", "onecycle: peak learning rate (default: the optimizer's lr)");
  add(sched, "--pct-start <f>", `onecycle: fraction of steps rising (default ${D.pctStart})`);
  add(sched, "--cycle-momentum", "onecycle: cycle momentum or beta1 against the learning rate");
  const out = "Output and running:";
  add(
    out,
    "--out <dir>",
    `output directory (default .tsgrad-runs/${options.sweep ? "sweep" : "train"}-<date>-<time>)`,
  );
  add(out, "--force", "replace the tsgrad files in an existing --out directory");
  add(out, "--backend <name>", `${BACKEND_NAMES.join(" | ")} (default wasm when it loads, else js)`);
}

/**
 * Add `--optimizer` and one flag per optimizer option (`--lr`, `--momentum`, `--betas`, ...).
 *
 * @example
 * ```ts
 * addOptimizerOptions(new Command("train"));
 * ```
 */
export function addOptimizerOptions(cmd: Command): void {
  const group = "Optimizer (PyTorch's options; each applies only to the optimizers that take it):";
  cmd.addOption(
    new Option("--optimizer <name>", `${OPTIMIZER_NAMES.join(" | ")} (default ${D.optimizer})`).helpGroup(
      group,
    ),
  );
  for (const spec of Object.values(OPTION_SPECS)) {
    const flags =
      spec.kind === "boolean" ? spec.flag : `${spec.flag} <${spec.kind === "pair" ? "a,b" : "value"}>`;
    cmd.addOption(new Option(flags, spec.help).helpGroup(group));
  }
}

/** The attribute commander stores a flag under (`--lr-decay` → `lrDecay`). */
function attr(flag: string): string {
  return flag.replace(/^--/, "").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Parse one optimizer option value.
 *
 * @example
 * ```ts
 * parseOptionValue(OPTION_SPECS.betas!, "0.9,0.95"); // [0.9, 0.95]
 * ```
 */
export function parseOptionValue(spec: OptionSpec, raw: unknown): OptionValue {
  if (spec.kind === "boolean") return raw === true ? true : parseBoolean(spec.flag, String(raw));
  const text = String(raw);
  switch (spec.kind) {
    case "number":
      return parseNumber(spec.flag, text);
    case "nonNegative":
      return parseNonNegative(spec.flag, text);
    case "positive":
      return parsePositive(spec.flag, text);
    case "integer":
      return parseInteger(spec.flag, text);
    case "pair":
      return parsePair(spec.flag, text);
    case "lineSearch":
      return parseChoice(spec.flag, text, ["strong_wolfe", "none"]) === "none" ? null : "strong_wolfe";
  }
}

/**
 * The optimizer options given as flags, parsed, in PyTorch's order.
 *
 * @example
 * ```ts
 * optimizerOptionsFrom({ lr: "0.1", momentum: "0.9" }); // { lr: 0.1, momentum: 0.9 }
 * ```
 */
export function optimizerOptionsFrom(raw: RawOptions): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const spec of Object.values(OPTION_SPECS)) {
    const v = raw[attr(spec.flag)];
    if (v !== undefined) out[spec.key] = parseOptionValue(spec, v);
  }
  return out;
}

/**
 * Parse a no-decay rule: `auto`, `none`, or comma-separated parameter names.
 *
 * @example
 * ```ts
 * parseNoDecay("bias,0.weight"); // ["bias", "0.weight"]
 * ```
 */
export function parseNoDecay(text: string): NoDecayRule {
  const t = text.trim();
  if (t === "auto" || t === "none") return t;
  const names = t.split(",").map((s) => s.trim());
  if (names.some((s) => s === "" || /\s/.test(s))) {
    throw new CliError(
      `--no-decay must be auto, none or comma-separated parameter names, got ${JSON.stringify(text)}`,
    );
  }
  return names;
}

/**
 * The settings shared by train and sweep, from flags over the defaults, with the set of
 * config keys the user gave explicitly.
 *
 * @throws CliError for a malformed value.
 * @example
 * ```ts
 * const { config, given } = runSettingsFrom({ epochs: "2", schedule: "cosine" });
 * ```
 */
export function runSettingsFrom(
  raw: RawOptions,
  base: TrainConfig = D,
): { config: TrainConfig; given: Set<string> } {
  const given = new Set<string>();
  const c: TrainConfig = { ...base, optimizerOptions: { ...base.optimizerOptions } };
  const read = (key: keyof TrainConfig, parse: (flag: string, text: string) => unknown) => {
    const v = raw[key];
    if (v === undefined) return;
    given.add(key);
    (c as unknown as Record<string, unknown>)[key] = parse(
      `--${key.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}`,
      String(v),
    );
  };
  read("model", (f, t) => parseChoice(f, t, MODEL_NAMES));
  read("hidden", (f, t) => parseInteger(f, t));
  read("epochs", (f, t) => parseInteger(f, t));
  read("batchSize", (f, t) => parseInteger(f, t));
  read("trainSize", (f, t) => parseInteger(f, t));
  read("testSize", (f, t) => parseInteger(f, t));
  read("seed", (f, t) => parseInteger(f, t, 0));
  read("dtype", (f, t) => parseChoice(f, t, ["float32", "float64"] as const));
  read("decayScale", (f, t) => parseChoice(f, t, DECAY_SCALES));
  read("schedule", (f, t) => parseChoice(f, t, SCHEDULE_NAMES));
  read("warmup", (f, t) => parseInteger(f, t, 0));
  read("warmupStartFactor", (f, t) => parsePositive(f, t));
  read("stepSize", (f, t) => parseInteger(f, t));
  read("gamma", (f, t) => parsePositive(f, t));
  read("etaMin", (f, t) => parseNonNegative(f, t));
  read("maxLr", (f, t) => parsePositive(f, t));
  read("pctStart", (f, t) => parsePositive(f, t));
  read("backend", (f, t) => parseChoice(f, t, BACKEND_NAMES));
  if (raw.cycleMomentum === true) {
    c.cycleMomentum = true;
    given.add("cycleMomentum");
  }
  return { config: c, given };
}

/**
 * The full config of `tsgrad train` from its flags.
 *
 * @throws CliError for malformed values.
 * @example
 * ```ts
 * const { config } = trainConfigFrom({ optimizer: "adamw", lr: "1e-3", weightDecay: "0.01" });
 * ```
 */
export function trainConfigFrom(raw: RawOptions): { config: TrainConfig; given: Set<string> } {
  const { config, given } = runSettingsFrom(raw);
  if (raw.optimizer !== undefined) {
    config.optimizer = parseChoice("--optimizer", String(raw.optimizer), OPTIMIZER_NAMES) as OptimizerName;
    given.add("optimizer");
  }
  config.optimizerOptions = optimizerOptionsFrom(raw);
  if (raw.weightDecay !== undefined) {
    config.weightDecay = parseNonNegative("--weight-decay", String(raw.weightDecay));
    given.add("weightDecay");
  }
  // commander stores `--no-decay <rule>` under "decay" (true when the flag is absent).
  if (typeof raw.decay === "string") {
    config.noDecay = parseNoDecay(raw.decay);
    given.add("noDecay");
  }
  return { config, given };
}

/**
 * The flags (as typed) that the user gave, for refusing them next to `--resume`.
 *
 * @example
 * ```ts
 * givenFlags(cmd); // ["--lr", "--epochs"]
 * ```
 */
export function givenFlags(cmd: Command, except: readonly string[]): string[] {
  const out: string[] = [];
  for (const o of cmd.options) {
    const name = o.attributeName();
    if (except.includes(name)) continue;
    if (cmd.getOptionValueSource(name) === "cli") out.push(o.long ?? name);
  }
  return out;
}

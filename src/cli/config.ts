/**
 * The configuration of one training run: what `tsgrad train` flags describe, what a sweep hands
 * each worker, and what `config.json` in a run's directory records (so `--resume` can rebuild it).
 *
 * @module
 */

import { CliError } from "./cli-error.js";
import type { DecayScale, NoDecayRule } from "./decay-toolkit.js";
import type { ModelName } from "./models.js";
import {
  OPTIMIZERS,
  OPTION_SPECS,
  optimizersWith,
  type OptimizerName,
  type OptionValue,
} from "./optimizer-table.js";

/**
 * The learning-rate schedules on the command line.
 * @example parseChoice("--schedule", "cosine", SCHEDULE_NAMES); // "cosine" (a ScheduleName)
 */
export const SCHEDULE_NAMES = ["cosine", "step", "onecycle", "none"] as const;

/** One schedule name. */
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/**
 * The backends on the command line.
 * @example parseChoice("--backend", "wasm", BACKEND_NAMES); // "wasm"; "gpu" throws a CliError
 */
export const BACKEND_NAMES = ["js", "wasm"] as const;

/** One backend name. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Everything that determines a training run (and so its numbers). */
export interface TrainConfig {
  /** Model architecture. */
  model: ModelName;
  /** Hidden width of the MLP. */
  hidden: number;
  /** Optimizer. */
  optimizer: OptimizerName;
  /** Optimizer options given (camelCase), `lr` always included; the rest are PyTorch's defaults. */
  optimizerOptions: Record<string, OptionValue>;
  /** Weight decay λ of the decayed group. */
  weightDecay: number;
  /** Which parameters do not decay. */
  noDecay: NoDecayRule;
  /** How decoupled decay is scaled. */
  decayScale: DecayScale;
  /** Learning-rate schedule, stepped after every batch. */
  schedule: ScheduleName;
  /** Linear warmup steps before the schedule (not with onecycle). */
  warmup: number;
  /** Warmup starts at this fraction of the learning rate. */
  warmupStartFactor: number;
  /** step schedule: epochs between decays. */
  stepSize: number;
  /** step schedule: decay factor. */
  gamma: number;
  /** cosine schedule: final learning rate. */
  etaMin: number;
  /** onecycle: peak learning rate (default: the optimizer's lr). */
  maxLr: number | null;
  /** onecycle: fraction of the steps spent increasing the learning rate. */
  pctStart: number;
  /** onecycle: cycle momentum (or beta1) inversely to the learning rate. */
  cycleMomentum: boolean;
  /** Passes over the training set. */
  epochs: number;
  /** Samples per batch. */
  batchSize: number;
  /** Seed of initialisation, data split and data order. */
  seed: number;
  /** Element type of parameters and data. */
  dtype: "float32" | "float64";
  /** Training images (of MNIST's 10,000). */
  trainSize: number;
  /** Test images (disjoint from the training images). */
  testSize: number;
  /** Compute backend for matrix products. */
  backend: BackendName;
}

/**
 * The number of digits in the `mnist` package.
 * @example checkConfig({ ...TRAIN_DEFAULTS, trainSize: 9000 }, new Set()); // throws: 9000 + 2000 > 10000
 */
export const MNIST_SIZE = 10_000;

/**
 * The defaults of `tsgrad train`.
 * @example const config: TrainConfig = { ...TRAIN_DEFAULTS, optimizer: "adamw", epochs: 5 };
 */
export const TRAIN_DEFAULTS: TrainConfig = {
  model: "mlp",
  hidden: 128,
  optimizer: "sgd",
  optimizerOptions: {},
  weightDecay: 0,
  noDecay: "auto",
  decayScale: "lr",
  schedule: "none",
  warmup: 0,
  warmupStartFactor: 0.1,
  stepSize: 1,
  gamma: 0.5,
  etaMin: 0,
  maxLr: null,
  pctStart: 0.3,
  cycleMomentum: false,
  epochs: 3,
  batchSize: 64,
  seed: 0,
  dtype: "float32",
  trainSize: 8000,
  testSize: 2000,
  backend: "wasm",
};

/** The schedule each schedule-specific setting belongs to (for conflict messages). */
const SCHEDULE_SETTINGS: Readonly<Record<string, readonly ScheduleName[]>> = {
  stepSize: ["step"],
  gamma: ["step"],
  etaMin: ["cosine"],
  maxLr: ["onecycle"],
  pctStart: ["onecycle"],
  cycleMomentum: ["onecycle"],
};

/**
 * The flag of a config key.
 *
 * @example
 * ```ts
 * flagOf("weightDecay"); // "--weight-decay"
 * ```
 */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}`;
}

/**
 * Check the combination of settings, given which ones the user set explicitly: options the
 * optimizer does not take, schedule settings for another schedule, warmup with onecycle, sizes
 * beyond MNIST's 10,000 digits, decay on optimizers without weight decay.
 *
 * @throws CliError naming the conflicting flags.
 * @example
 * ```ts
 * checkConfig({ ...TRAIN_DEFAULTS, schedule: "cosine", gamma: 0.1 }, new Set(["gamma"]));
 * // CliError: --gamma applies to --schedule step, not cosine
 * ```
 */
export function checkConfig(config: TrainConfig, given: ReadonlySet<string>): void {
  const info = OPTIMIZERS[config.optimizer];
  for (const key of Object.keys(config.optimizerOptions)) {
    if (!info.options.includes(key)) {
      const spec = OPTION_SPECS[key];
      const flag = spec?.flag ?? flagOf(key);
      const takers = optimizersWith(key);
      const where = takers.length > 0 ? ` (it applies to ${takers.join(", ")})` : "";
      throw new CliError(`${flag} is not an option of ${config.optimizer}${where}`);
    }
  }
  for (const [key, schedules] of Object.entries(SCHEDULE_SETTINGS)) {
    if (given.has(key) && !schedules.includes(config.schedule)) {
      throw new CliError(
        `${flagOf(key)} applies to --schedule ${schedules.join("|")}, not ${config.schedule}`,
      );
    }
  }
  if (config.schedule === "onecycle" && config.warmup > 0) {
    throw new CliError(
      "--warmup cannot be combined with --schedule onecycle, which warms up by itself (see --pct-start)",
    );
  }
  if (given.has("warmupStartFactor") && config.warmup === 0) {
    throw new CliError("--warmup-start-factor needs --warmup <steps>");
  }
  if (config.warmupStartFactor <= 0 || config.warmupStartFactor > 1) {
    throw new CliError(`--warmup-start-factor must be in (0, 1], got ${config.warmupStartFactor}`);
  }
  if (config.pctStart <= 0 || config.pctStart >= 1) {
    throw new CliError(`--pct-start must be between 0 and 1, got ${config.pctStart}`);
  }
  if (info.decay === "none") {
    if (config.weightDecay > 0) {
      throw new CliError(
        `${config.optimizer} has no weight decay (PyTorch's ${info.className} takes no weight_decay); drop --weight-decay`,
      );
    }
    if (given.has("noDecay"))
      throw new CliError(`--no-decay has no effect on ${config.optimizer}, which has no weight decay`);
  }
  if (config.trainSize + config.testSize > MNIST_SIZE) {
    throw new CliError(
      `--train-size ${config.trainSize} plus --test-size ${config.testSize} is more than the ${MNIST_SIZE} MNIST digits available`,
    );
  }
  if (config.batchSize > config.trainSize) {
    throw new CliError(`--batch-size ${config.batchSize} is larger than --train-size ${config.trainSize}`);
  }
  if (config.model !== "mlp" && given.has("hidden"))
    throw new CliError("--hidden applies to --model mlp only");
  if (config.optimizer === "lbfgs" && config.noDecay !== "auto" && given.has("noDecay")) {
    throw new CliError("lbfgs takes a single parameter group; --no-decay does not apply");
  }
}

/**
 * The learning rate the run starts from (the optimizer's `lr`, or the command's default for it).
 *
 * @example
 * ```ts
 * baseLr({ ...TRAIN_DEFAULTS }); // 0.05
 * ```
 */
export function baseLr(config: TrainConfig): number {
  const lr = config.optimizerOptions.lr;
  return typeof lr === "number" ? lr : OPTIMIZERS[config.optimizer].defaultLr;
}

/**
 * A short label for a run (`sgd lr=0.05 momentum=0.9 wd=1e-4 no-decay=auto`).
 *
 * @example
 * ```ts
 * runLabel({ ...TRAIN_DEFAULTS, weightDecay: 1e-4 }); // "sgd lr=0.05 wd=0.0001 no-decay=auto"
 * ```
 */
export function runLabel(config: TrainConfig): string {
  const opts = Object.entries(config.optimizerOptions)
    .filter(([k]) => k !== "lr")
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : String(v)}`);
  const rule = typeof config.noDecay === "string" ? config.noDecay : config.noDecay.join(",");
  const scale = config.decayScale === "lr" ? [] : [`scale=${config.decayScale}`];
  return [
    config.optimizer,
    `lr=${baseLr(config)}`,
    ...opts,
    `wd=${config.weightDecay}`,
    `no-decay=${rule}`,
    ...scale,
  ].join(" ");
}

/**
 * Read a `config.json` back, checking its shape (a hand-edited or foreign file is refused).
 *
 * @throws CliError when a key is missing or of the wrong type.
 * @example
 * ```ts
 * const config = parseConfigJson(fs.readFileSync("run/config.json", "utf8"), "run/config.json");
 * ```
 */
export function parseConfigJson(text: string, source: string): TrainConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new CliError(`${source} is not valid JSON; is this a tsgrad run directory?`);
  }
  const obj = (raw as { config?: unknown } | null)?.config;
  if (obj === null || typeof obj !== "object")
    throw new CliError(`${source} has no "config" object; is this a tsgrad run directory?`);
  const config = { ...TRAIN_DEFAULTS, ...(obj as Partial<TrainConfig>) };
  for (const [key, def] of Object.entries(TRAIN_DEFAULTS)) {
    const v = (config as unknown as Record<string, unknown>)[key];
    const ok =
      key === "maxLr"
        ? v === null || typeof v === "number"
        : key === "noDecay"
          ? typeof v === "string" || Array.isArray(v)
          : typeof v === typeof def;
    if (!ok) throw new CliError(`${source}: "${key}" has the wrong type (${JSON.stringify(v)})`);
  }
  if (!(config.optimizer in OPTIMIZERS))
    throw new CliError(`${source}: unknown optimizer ${JSON.stringify(config.optimizer)}`);
  return config;
}

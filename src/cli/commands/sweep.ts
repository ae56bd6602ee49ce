/**
 * `tsgrad sweep`: train a grid of runs — optimizers × weight decays × no-decay rules — in worker
 * threads across the machine's cores, print a results table and write `report.html`.
 *
 * @module
 */

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { Command, Option } from "commander";
import { useBackend } from "../backend-choice.js";
import { CliError } from "../cli-error.js";
import { checkConfig, runLabel, TRAIN_DEFAULTS, type TrainConfig } from "../config.js";
import type { NoDecayRule } from "../decay-toolkit.js";
import {
  OPTIMIZER_NAMES,
  OPTIMIZERS,
  OPTION_SPECS,
  type OptimizerName,
  type OptionValue,
} from "../optimizer-table.js";
import { parseChoice, parseInteger, parseList, parseNonNegative } from "../parse.js";
import { fmtLoss, pct, Progress, SWEEP_BAR } from "../progress.js";
import { writeReport } from "../report/write-report.js";
import { defaultOutDir, prepareOutDir, RUN_FILES, SWEEP_FILES, writeFileAtomic } from "../run-dir.js";
import { findings, resultsTable, type SweepResult } from "../results.js";
import { buildCore, stepsPerEpoch, type RunSummary } from "../trainer.js";
import type { FromWorker, ToWorker } from "../sweep-worker.js";
import { EXIT_INTERRUPTED } from "./train.js";
import {
  addRunOptions,
  parseNoDecay,
  parseOptionValue,
  runSettingsFrom,
  type RawOptions,
} from "./run-options.js";

/**
 * The optimizers of the default sweep: SGD with momentum (coupled decay) and AdamW (decoupled).
 * @example const entries = DEFAULT_OPTIMIZERS.map(parseOptimizerEntry); // used when --optimizers is absent
 */
export const DEFAULT_OPTIMIZERS = ["sgd:lr=0.05:momentum=0.9", "adamw:lr=0.001"];

/**
 * The weight decays of the default sweep.
 * @example DEFAULT_WEIGHT_DECAYS.includes(0); // true: every default grid has an undecayed baseline
 */
export const DEFAULT_WEIGHT_DECAYS = [0, 1e-4, 1e-3, 1e-2, 5e-2];

/**
 * The settings a sweep starts from (train's, with more epochs).
 * @example const { config, given } = runSettingsFrom({ seed: "1" }, SWEEP_DEFAULTS); // config.epochs: 5
 */
export const SWEEP_DEFAULTS: TrainConfig = { ...TRAIN_DEFAULTS, epochs: 5 };

/** One optimizer of the grid with its options. */
export interface OptimizerEntry {
  name: OptimizerName;
  options: Record<string, OptionValue>;
}

/** One run of the grid. */
export interface SweepRun {
  /** Directory name under `runs/`. */
  id: string;
  /** Its configuration. */
  config: TrainConfig;
}

/**
 * Parse `name[:key=value]...` (`sgd:lr=0.05:momentum=0.9`, `adamw:betas=0.9,0.95`); keys as
 * flags (`momentum-decay`) or camelCase (`momentumDecay`); a switch may be given bare (`nesterov`).
 *
 * @throws CliError for an unknown optimizer or option, or a bad value.
 * @example
 * ```ts
 * parseOptimizerEntry("sgd:lr=0.1:nesterov:momentum=0.9");
 * // { name: "sgd", options: { lr: 0.1, nesterov: true, momentum: 0.9 } }
 * ```
 */
export function parseOptimizerEntry(text: string): OptimizerEntry {
  const [head, ...rest] = text.split(":");
  const name = parseChoice("--optimizers", (head ?? "").trim(), OPTIMIZER_NAMES);
  const options: Record<string, OptionValue> = {};
  for (const part of rest) {
    const eq = part.indexOf("=");
    const rawKey = (eq < 0 ? part : part.slice(0, eq)).trim();
    const key = rawKey.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const spec = OPTION_SPECS[key];
    if (spec === undefined || !OPTIMIZERS[name].options.includes(key)) {
      throw new CliError(
        `--optimizers ${text}: ${name} has no option ${JSON.stringify(rawKey)} (its options: ${OPTIMIZERS[name].options.join(", ")})`,
      );
    }
    if (eq < 0 && spec.kind !== "boolean")
      throw new CliError(`--optimizers ${text}: ${rawKey} needs a value (${rawKey}=...)`);
    options[key] = eq < 0 ? true : parseOptionValue(spec, part.slice(eq + 1));
  }
  return { name, options };
}

function wdText(wd: number): string {
  return wd === 0 ? "0" : wd.toExponential().replace(/\.?0*e\+?/, "e");
}

function ruleText(rule: NoDecayRule): string {
  return typeof rule === "string" ? rule : rule.join("+");
}

/**
 * The runs of the grid, in order optimizer × rule × weight decay, each config checked.
 *
 * @throws CliError for a combination that cannot run (weight decay on rprop, ...).
 * @example
 * ```ts
 * const runs = sweepGrid(SWEEP_DEFAULTS, new Set(), [parseOptimizerEntry("sgd")], [0, 1e-4], ["auto"]);
 * runs.map((r) => r.id); // ["01-sgd-wd0-auto", "02-sgd-wd1e-4-auto"]
 * ```
 */
export function sweepGrid(
  base: TrainConfig,
  given: ReadonlySet<string>,
  optimizers: readonly OptimizerEntry[],
  weightDecays: readonly number[],
  rules: readonly NoDecayRule[],
): SweepRun[] {
  const runs: SweepRun[] = [];
  const width = String(optimizers.length * weightDecays.length * rules.length).length < 2 ? 2 : 3;
  for (const opt of optimizers) {
    for (const rule of rules) {
      for (const wd of weightDecays) {
        const config: TrainConfig = {
          ...base,
          optimizer: opt.name,
          optimizerOptions: { ...opt.options },
          weightDecay: wd,
          noDecay: rule,
        };
        const g = new Set(given);
        if (wd > 0) g.add("weightDecay");
        if (rules.length > 1 || rule !== "auto") g.add("noDecay");
        checkConfig(config, g);
        const n = String(runs.length + 1).padStart(width, "0");
        const id = `${n}-${opt.name}-wd${wdText(wd)}-${ruleText(rule)}`.replace(/[^A-Za-z0-9_.+-]/g, "_");
        runs.push({ id, config });
      }
    }
  }
  return runs;
}

/**
 * The `sweep` command.
 *
 * @example
 * ```ts
 * program.addCommand(sweepCommand());
 * ```
 */
export function sweepCommand(): Command {
  const cmd = new Command("sweep").description(
    "train optimizers × weight decays (× no-decay rules) in worker threads; print a results table and write report.html",
  );
  cmd.addOption(
    new Option(
      "--optimizers <specs...>",
      `optimizers with their options, name[:key=value]... (default: ${DEFAULT_OPTIMIZERS.join(" ")})`,
    ).helpGroup("Grid:"),
  );
  addRunOptions(cmd, { sweep: true });
  cmd.addOption(
    new Option(
      "--jobs <n>",
      "runs trained at the same time, one worker thread each (default: the number of cores)",
    ).helpGroup("Output and running:"),
  );
  cmd.addHelpText(
    "after",
    `
Examples:
  tsgrad sweep                                              # the default: SGD+momentum vs AdamW, 5 weight decays
  tsgrad sweep --optimizers sgd:lr=0.1 adamw:lr=1e-3:betas=0.9,0.95 --weight-decays 0,1e-3 --no-decay auto none
  tsgrad sweep --model cnn --epochs 2 --schedule cosine --warmup 50

Each run is a tsgrad train directory under <out>/runs/; the table goes to results.txt and
results.json, the charts to report.html (self-contained, opens offline).`,
  );
  cmd.action(async (_opts: RawOptions, command: Command) => {
    process.exitCode = await runSweep(command.opts<RawOptions>());
  });
  return cmd;
}

async function runSweep(raw: RawOptions): Promise<number> {
  const { config: base, given } = runSettingsFrom(raw, SWEEP_DEFAULTS);
  const optimizers = ((raw.optimizers as string[] | undefined) ?? DEFAULT_OPTIMIZERS).map(
    parseOptimizerEntry,
  );
  const weightDecays =
    raw.weightDecays !== undefined
      ? parseList("--weight-decays", String(raw.weightDecays), parseNonNegative)
      : DEFAULT_WEIGHT_DECAYS;
  const rules: NoDecayRule[] = Array.isArray(raw.decay)
    ? (raw.decay as string[]).map(parseNoDecay)
    : ["auto"];
  const jobsWanted =
    raw.jobs !== undefined ? parseInteger("--jobs", String(raw.jobs)) : os.availableParallelism();
  const runs = sweepGrid(base, given, optimizers, weightDecays, rules);
  if (runs.length === 0) throw new CliError("the grid is empty");
  // The backend is decided once here; every worker then runs it on one thread.
  const probe = await useBackend(base.backend, { explicit: given.has("backend"), threads: 1 });
  await probe.dispose();
  for (const run of runs) {
    run.config.backend = probe.kind;
    buildCore(run.config); // refuse a bad combination before writing anything
  }
  const out = raw.out !== undefined ? String(raw.out) : defaultOutDir("sweep");
  prepareOutDir(out, { force: raw.force === true });
  const runsDir = path.join(out, SWEEP_FILES.runs);
  fs.mkdirSync(runsDir, { recursive: true });
  for (const run of runs) {
    const dir = path.join(runsDir, run.id);
    fs.mkdirSync(dir, { recursive: true });
    writeFileAtomic(
      path.join(dir, RUN_FILES.config),
      `${JSON.stringify({ tsgrad: "train", config: run.config }, null, 2)}\n`,
    );
  }
  writeFileAtomic(
    path.join(out, SWEEP_FILES.sweep),
    `${JSON.stringify({ tsgrad: "sweep", runs: runs.map((r) => ({ id: r.id, label: runLabel(r.config) })) }, null, 2)}\n`,
  );
  const jobs = Math.max(1, Math.min(jobsWanted, runs.length));
  process.stdout.write(
    `Sweep of ${runs.length} runs (${optimizers.map((o) => o.name).join(", ")} × weight decay ${weightDecays.map(wdText).join(", ")}${rules.length > 1 ? ` × no-decay ${rules.map(ruleText).join(", ")}` : ""}) on ${jobs} worker thread${jobs === 1 ? "" : "s"}, ${probe.kind} backend, in ${out}\n`,
  );
  const started = performance.now();
  const { results, interrupted } = await runPool(runs, runsDir, jobs);
  const seconds = (performance.now() - started) / 1000;
  results.sort((a, b) => a.id.localeCompare(b.id));
  const notes = findings(results);
  const table = [resultsTable(results), ...(notes.length > 0 ? ["", ...notes] : [])].join("\n");
  process.stdout.write(`\n${table}\n`);
  writeFileAtomic(path.join(out, SWEEP_FILES.table), `${table}\n`);
  writeFileAtomic(path.join(out, SWEEP_FILES.results), `${JSON.stringify({ seconds, results }, null, 2)}\n`);
  const finished = results.filter((r) => r.summary.status === "finished");
  if (finished.length > 0) {
    const report = path.join(out, SWEEP_FILES.report);
    writeReport(report, results, runsDir, { seconds, jobs });
    process.stdout.write(`\nReport: ${report}\n`);
  }
  process.stdout.write(`Sweep time ${seconds.toFixed(1)} s\n`);
  if (interrupted) {
    process.stdout.write(
      "Interrupted: runs in progress saved a checkpoint (resume one with tsgrad train --resume <run dir>).\n",
    );
    return EXIT_INTERRUPTED;
  }
  const failed = results.filter((r) => r.summary.status !== "finished");
  return failed.length > 0 ? 1 : 0;
}

/** Train `runs` on `jobs` worker threads; resolves with every result once all workers are idle. */
function runPool(
  runs: readonly SweepRun[],
  runsDir: string,
  jobs: number,
): Promise<{ results: SweepResult[]; interrupted: boolean }> {
  return new Promise((resolve, reject) => {
    const queue = [...runs];
    const results: SweepResult[] = [];
    const steps = new Map<string, number>();
    const speeds = new Map<string, number>();
    const totalSteps = runs.reduce((s, r) => s + r.config.epochs * stepsPerEpoch(r.config), 0);
    const bar = new Progress(SWEEP_BAR, totalSteps, 0, { done: 0, runs: runs.length, speed: "-" });
    let stopping = false;
    let live = jobs;
    const workers: Worker[] = [];
    const onSigint = () => {
      if (stopping) process.exit(EXIT_INTERRUPTED);
      stopping = true;
      queue.length = 0;
      process.stderr.write(
        "\nStopping: each running run saves a checkpoint (Ctrl-C again to quit at once)...\n",
      );
      for (const w of workers) w.postMessage({ type: "stop" } satisfies ToWorker);
    };
    process.on("SIGINT", onSigint);
    const finish = () => {
      bar.stop();
      process.off("SIGINT", onSigint);
      resolve({ results, interrupted: stopping });
    };
    const update = () => {
      const done = [...steps.values()].reduce((a, b) => a + b, 0);
      const speed = [...speeds.values()].reduce((a, b) => a + b, 0);
      bar.update(done, { done: results.length, runs: runs.length, speed: Math.round(speed) });
    };
    const give = (w: Worker) => {
      const run = queue.shift();
      if (run === undefined) {
        w.postMessage({ type: "exit" } satisfies ToWorker);
        return;
      }
      w.postMessage({
        type: "run",
        id: run.id,
        dir: path.join(runsDir, run.id),
        config: run.config,
      } satisfies ToWorker);
    };
    for (let i = 0; i < jobs; i++) {
      const w = new Worker(new URL("../sweep-worker.js", import.meta.url));
      workers.push(w);
      w.on("message", (m: FromWorker) => {
        switch (m.type) {
          case "ready":
            give(w);
            break;
          case "step":
            steps.set(m.id, m.step);
            speeds.set(m.id, m.samplesPerSecond);
            update();
            break;
          case "done": {
            speeds.delete(m.id);
            results.push({ id: m.id, summary: m.summary });
            bar.log(finishedLine(results.length, runs.length, m.id, m.summary));
            update();
            give(w);
            break;
          }
        }
      });
      w.on("error", (e) => {
        bar.stop();
        process.off("SIGINT", onSigint);
        for (const other of workers) void other.terminate();
        reject(e);
      });
      w.on("exit", () => {
        live -= 1;
        if (live === 0) finish();
      });
    }
  });
}

function finishedLine(k: number, n: number, id: string, s: RunSummary): string {
  const head = `[${String(k).padStart(String(n).length)}/${n}] ${id}`;
  if (s.status === "diverged") return `${head}: diverged — ${s.message ?? ""}`;
  if (s.status === "interrupted") return `${head}: interrupted at step ${s.steps} (checkpoint saved)`;
  const f = s.final;
  return f === null
    ? `${head}: finished`
    : `${head}: test acc ${pct(f.testAcc)}, test loss ${fmtLoss(f.testLoss)}, ${s.seconds.toFixed(1)} s`;
}

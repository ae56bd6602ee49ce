/**
 * Output directories: the files a run or a sweep writes, the default location, and the rule that
 * an existing directory is never written over without `--force`.
 *
 * @module
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { CliError } from "./cli-error.js";

/**
 * The files of one training run, relative to its directory.
 * @example path.join(runDir, RUN_FILES.metrics); // ".../metrics.jsonl": a JSON line per step and per epoch
 */
export const RUN_FILES = {
  config: "config.json",
  metrics: "metrics.jsonl",
  checkpoint: "checkpoint.safetensors",
  model: "model.safetensors",
  summary: "summary.json",
  explain: "explain.txt",
} as const;

/**
 * The files of a sweep besides its runs (which live under `runs/`).
 * @example path.join(out, SWEEP_FILES.runs, run.id, RUN_FILES.config); // each run's config.json
 */
export const SWEEP_FILES = {
  sweep: "sweep.json",
  results: "results.json",
  table: "results.txt",
  report: "report.html",
  runs: "runs",
} as const;

const OURS = new Set<string>([...Object.values(RUN_FILES), ...Object.values(SWEEP_FILES)]);

/**
 * A fresh default output directory, `.tsgrad-runs/<kind>-<date>-<time>` under the working
 * directory (with a suffix if that exists already).
 *
 * @example
 * ```ts
 * defaultOutDir("train"); // ".tsgrad-runs/train-20260101-120000"
 * ```
 */
export function defaultOutDir(kind: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  const base = path.join(".tsgrad-runs", `${kind}-${stamp}`);
  let dir = base;
  for (let i = 2; fs.existsSync(dir); i++) dir = `${base}-${i}`;
  return dir;
}

/**
 * Make `dir` ready for a new run: create it, or accept it if empty. A non-empty directory is
 * refused unless `force`, which removes the files tsgrad writes there (and nothing else).
 *
 * @throws CliError when `dir` is a file, or is not empty and `force` is false.
 * @example
 * ```ts
 * prepareOutDir("out/run1", { force: false });
 * ```
 */
export function prepareOutDir(dir: string, options: { force: boolean }): void {
  let entries: string[];
  try {
    const stat = fs.statSync(dir);
    if (!stat.isDirectory()) throw new CliError(`--out ${dir} is a file, not a directory`);
    entries = fs.readdirSync(dir);
  } catch (e) {
    if (e instanceof CliError) throw e;
    if ((e as NodeJS.ErrnoException).code !== "ENOENT")
      throw new CliError(`cannot use --out ${dir}: ${(e as Error).message}`);
    fs.mkdirSync(dir, { recursive: true });
    return;
  }
  if (entries.length === 0) return;
  if (!options.force) {
    throw new CliError(
      `output directory ${dir} already exists and is not empty; choose another --out or pass --force to replace it`,
    );
  }
  for (const name of entries) {
    if (OURS.has(name) || name.startsWith(".tsgrad-tmp") || name.endsWith(".tmp")) {
      fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    }
  }
}

/**
 * Write a file atomically: to a temporary name in the same directory, then renamed into place, so
 * readers see the old content or the new, never a part.
 *
 * @example
 * ```ts
 * writeFileAtomic("out/summary.json", JSON.stringify(summary));
 * ```
 */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = path.join(path.dirname(file), `.tsgrad-tmp-${process.pid}-${path.basename(file)}`);
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

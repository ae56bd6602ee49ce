// Shared helpers for the benchmarks: timing with medians, markdown tables, result files, and
// running a PyTorch peer script when python3-torch is installed. Every figure is measured in the
// same process run as its peer and reported as a ratio, because this machine is shared and noisy.
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const RESULTS_DIR = join(BENCH_DIR, "results");

/** Median of an array of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Time `fn` after `warmup` calls: at least `minRuns` runs and `minTime` ms in total. Returns the
 * median and minimum in milliseconds.
 */
export function time(fn, { warmup = 3, minRuns = 5, minTime = 300, maxRuns = 1000 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const samples = [];
  const start = performance.now();
  while (samples.length < minRuns || (performance.now() - start < minTime && samples.length < maxRuns)) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return { median: median(samples), min: Math.min(...samples), runs: samples.length };
}

/** A markdown table from a header row and data rows. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Format a number with `digits` significant figures. */
export function fmt(x, digits = 3) {
  if (x === null || x === undefined || Number.isNaN(x)) return "n/a";
  return Number(x).toPrecision(digits);
}

/** Write `bench/results/<name>.json` atomically. */
export function writeResult(name, data) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(path + ".tmp", JSON.stringify(data, null, 2) + "\n");
  renameSync(path + ".tmp", path);
  return path;
}

/** Whether Debian's python3-torch can be imported. */
export function torchAvailable() {
  try {
    execFileSync("/usr/bin/python3", ["-c", "import torch"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Run `bench/py/<script>` with /usr/bin/python3 and parse the JSON it prints last. Threads are
 * pinned by the caller's `env` (OPENBLAS_NUM_THREADS / OMP_NUM_THREADS). Debian's torch uses
 * whatever libblas.so.3 the alternatives system points at: install libopenblas0-pthread for a real
 * BLAS; the peer script reports which one it found.
 */
export function runPython(script, args = [], env = {}) {
  const out = execFileSync("/usr/bin/python3", [join(BENCH_DIR, "py", script), ...args.map(String)], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = out.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

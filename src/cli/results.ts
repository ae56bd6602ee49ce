/**
 * The results of a sweep as a table: one row per run with final train/test loss and accuracy,
 * the weight norms of the decayed and the excluded parameters, and the time taken.
 *
 * @module
 */

import type { RunSummary } from "./trainer.js";
import { fmtLoss, pct } from "./progress.js";

/** One run's outcome, by its directory name. */
export interface SweepResult {
  id: string;
  summary: RunSummary;
}

/**
 * The weight decay in short form (`0`, `1e-4`, `0.05`).
 *
 * @example
 * ```ts
 * shortNumber(0.0001); // "1e-4"
 * ```
 */
export function shortNumber(x: number): string {
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 0.01 && a < 1e4) return String(Number(x.toPrecision(4)));
  return x.toExponential().replace(/\.?0*e\+?/, "e");
}

/**
 * The rule in short form (`auto`, `none`, `bias+bn`).
 *
 * @example
 * ```ts
 * ruleName(["bias", "0.weight"]); // "bias+0.weight"
 * ```
 */
export function ruleName(rule: string | readonly string[]): string {
  return typeof rule === "string" ? rule : rule.join("+");
}

/**
 * The results as an aligned text table.
 *
 * @example
 * ```ts
 * console.log(resultsTable(results));
 * // optimizer  weight decay  no-decay  train loss  train acc  test loss  test acc  |θ| decayed  |θ| excluded  time
 * ```
 */
export function resultsTable(results: readonly SweepResult[]): string {
  const head = [
    "run",
    "optimizer",
    "weight decay",
    "no-decay",
    "train loss",
    "train acc",
    "test loss",
    "test acc",
    "|θ| decayed",
    "|θ| excluded",
    "time",
  ];
  const rows = results.map(({ id, summary: s }) => {
    const f = s.final;
    const status = s.status === "finished" ? null : s.status;
    const cell = (v: string) => (status !== null && f === null ? "-" : v);
    const rec = s.config;
    return [
      id,
      rec.optimizer,
      shortNumber(rec.weightDecay),
      ruleName(rec.noDecay),
      cell(f ? fmtLoss(f.trainLoss) : "-"),
      cell(f ? pct(f.trainAcc) : "-"),
      cell(f ? fmtLoss(f.testLoss) : "-"),
      cell(f ? pct(f.testAcc) : "-"),
      cell(f ? f.normDecayed.toFixed(3) : "-"),
      cell(f ? (s.decay.some((d) => !d.decayed) ? f.normExcluded.toFixed(3) : "-") : "-"),
      status === null ? `${s.seconds.toFixed(1)} s` : status,
    ];
  });
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const numeric = new Set([2, 4, 5, 6, 7, 8, 9, 10]);
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const notes = results
    .filter((r) => r.summary.message !== undefined)
    .map((r) => `${r.id}: ${r.summary.message}`);
  return [
    line(head),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    ...(notes.length > 0 ? ["", ...notes] : []),
  ].join("\n");
}

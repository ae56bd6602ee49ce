/**
 * The results of a sweep as a table: one row per run with final train/test loss and accuracy,
 * the weight norms of the decayed and the excluded parameters, and the time taken.
 *
 * @module
 */

import { baseLr, type TrainConfig } from "./config.js";
import { OPTIMIZERS } from "./optimizer-table.js";
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
  if (a >= 0.01 && a < 1e6) return String(Number(x.toPrecision(4)));
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

/**
 * What the sweep shows, in a few sentences per optimizer (and no-decay rule): the weight decay
 * with the best test accuracy, and how much the largest decay shrank the decayed and the
 * excluded weights compared with no decay.
 *
 * @example
 * ```ts
 * findings(results);
 * // ["sgd (no-decay auto): best test accuracy 94.8% at weight decay 1e-4 (94.5% without); at 0.05 ..."]
 * ```
 */
export function findings(results: readonly SweepResult[]): string[] {
  const families = new Map<string, SweepResult[]>();
  for (const r of results) {
    if (r.summary.status !== "finished" || r.summary.final === null) continue;
    const c = r.summary.config;
    const key = `${c.optimizer} (no-decay ${ruleName(c.noDecay)})`;
    families.set(key, [...(families.get(key) ?? []), r]);
  }
  const out: string[] = [];
  for (const [family, runs] of families) {
    const sorted = [...runs].sort((a, b) => a.summary.config.weightDecay - b.summary.config.weightDecay);
    const best = sorted.reduce((a, b) => (b.summary.final!.testAcc > a.summary.final!.testAcc ? b : a));
    const none = sorted.find((r) => r.summary.config.weightDecay === 0);
    const most = sorted[sorted.length - 1]!;
    const parts = [
      `best test accuracy ${pct(best.summary.final!.testAcc)} at weight decay ${shortNumber(best.summary.config.weightDecay)}${
        none !== undefined && none !== best ? ` (${pct(none.summary.final!.testAcc)} without)` : ""
      }`,
    ];
    if (none !== undefined && most !== none) {
      const f0 = none.summary.final!;
      const f1 = most.summary.final!;
      const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : "-");
      const excluded = most.summary.decay.some((d) => !d.decayed)
        ? `, the excluded ones ${ratio(f1.normExcluded, f0.normExcluded)}`
        : "";
      const pace = decayPace(most.summary.config);
      parts.push(
        `at ${shortNumber(most.summary.config.weightDecay)}${pace === null ? "" : `, ${pace},`} the decayed weights end at ${ratio(f1.normDecayed, f0.normDecayed)} the norm they reach without decay${excluded}, with test accuracy ${pct(f1.testAcc)}`,
      );
    }
    out.push(`${family}: ${parts.join("; ")}.`);
  }
  return out;
}

/**
 * How fast weight decay alone shrinks the weights in a run, when that has a simple form: lr·λ per
 * step for decoupled decay (scaled by lr), about lr·λ/(1 − momentum) for SGD's coupled decay (the
 * momentum buffer accumulates it), with the matching timescale against the run's length.
 *
 * @example
 * ```ts
 * decayPace({ ...TRAIN_DEFAULTS, optimizer: "adamw", optimizerOptions: { lr: 1e-3 }, weightDecay: 0.05, epochs: 5 });
 * // "decay alone removes lr·λ = 5e-5 of the weights per step (timescale 20000 steps = 160 epochs, longer than the 5-epoch run)"
 * ```
 */
export function decayPace(config: TrainConfig): string | null {
  const lr = baseLr(config);
  const wd = config.weightDecay;
  if (!(wd > 0) || config.decayScale !== "lr") return null;
  const info = OPTIMIZERS[config.optimizer];
  const decoupled = info.decay === "decoupled" || config.optimizerOptions.decoupledWeightDecay === true;
  let rate: number;
  let formula: string;
  if (decoupled) {
    rate = lr * wd;
    formula = "lr·λ";
  } else if (config.optimizer === "sgd") {
    const mu = typeof config.optimizerOptions.momentum === "number" ? config.optimizerOptions.momentum : 0;
    const damp =
      typeof config.optimizerOptions.dampening === "number" ? config.optimizerOptions.dampening : 0;
    if (mu >= 1) return null;
    rate = (lr * wd * (1 - damp)) / (1 - mu);
    formula = mu > 0 ? "about lr·λ/(1 − momentum)" : "lr·λ";
  } else return null;
  const steps = 1 / rate;
  const epochs = steps / Math.ceil(config.trainSize / config.batchSize);
  const vs = epochs > config.epochs ? `, longer than the ${config.epochs}-epoch run` : "";
  const n = (x: number) => shortNumber(Number(x.toPrecision(3)));
  return `decay alone removes ${formula} = ${n(rate)} of the weights per step (timescale ${n(steps)} steps = ${n(epochs)} epochs${vs})`;
}

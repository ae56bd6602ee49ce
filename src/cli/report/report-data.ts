/**
 * The data behind `report.html`: per run, its configuration, explanation, decay split, and its
 * metrics thinned to a few hundred points (training loss averaged over each stretch of steps).
 *
 * @module
 */

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { baseLr, runLabel, type TrainConfig } from "../config.js";
import type { DecayAssignment } from "../decay-toolkit.js";
import { RUN_FILES } from "../run-dir.js";
import { findings, ruleName, shortNumber, type SweepResult } from "../results.js";
import type { EpochRecord, StepRecord } from "../trainer.js";

/** One run as the report draws it. */
export interface ReportRun {
  id: string;
  label: string;
  optimizer: string;
  lr: number;
  weightDecay: number;
  weightDecayText: string;
  rule: string;
  /** Optimizer × rule: the runs of one loss chart. */
  family: string;
  status: string;
  message: string | null;
  seconds: number;
  final: EpochRecord | null;
  /** Step series, thinned: x = step. */
  steps: { step: number[]; loss: number[]; lr: number[]; normDecayed: number[]; normExcluded: number[] };
  /** Epoch series: x = step at the end of the epoch. */
  epochs: { step: number[]; trainLoss: number[]; testLoss: number[]; testAcc: number[] };
  /** Whether the run had parameters outside decay. */
  hasExcluded: boolean;
  config: TrainConfig;
  explain: string;
  decay: DecayAssignment[];
}

/** Everything the report shows. */
export interface ReportData {
  generated: string;
  seconds: number;
  jobs: number;
  backend: string;
  /** What the sweep shows, one sentence per optimizer and rule. */
  findings: string[];
  /** Cores and Node version, to read the times against. */
  machine: string;
  runs: ReportRun[];
}

/**
 * Read the metrics of each run and thin the step series to at most `maxPoints` points.
 *
 * @example
 * ```ts
 * const data = collectReportData(results, "out/sweep/runs", { seconds: 95, jobs: 2 });
 * ```
 */
export function collectReportData(
  results: readonly SweepResult[],
  runsDir: string,
  meta: { seconds: number; jobs: number },
  maxPoints = 120,
): ReportData {
  const runs = results.map(({ id, summary: s }): ReportRun => {
    const file = path.join(runsDir, id, RUN_FILES.metrics);
    const stepRecords: StepRecord[] = [];
    const epochRecords: EpochRecord[] = [];
    if (fs.existsSync(file)) {
      for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        if (line.trim() === "") continue;
        const r = JSON.parse(line) as StepRecord | EpochRecord;
        if (r.kind === "step") stepRecords.push(r);
        else epochRecords.push(r);
      }
    }
    const per = Math.max(1, Math.ceil(stepRecords.length / maxPoints));
    const steps: ReportRun["steps"] = { step: [], loss: [], lr: [], normDecayed: [], normExcluded: [] };
    for (let i = 0; i < stepRecords.length; i += per) {
      const chunk = stepRecords.slice(i, i + per);
      const last = chunk[chunk.length - 1]!;
      const finite = chunk.filter((r) => Number.isFinite(r.loss));
      steps.step.push(last.step);
      steps.loss.push(finite.length > 0 ? finite.reduce((a, r) => a + r.loss, 0) / finite.length : NaN);
      steps.lr.push(last.lr);
      steps.normDecayed.push(last.normDecayed);
      steps.normExcluded.push(last.normExcluded);
    }
    const c = s.config;
    return {
      id,
      label: runLabel(c),
      optimizer: c.optimizer,
      lr: baseLr(c),
      weightDecay: c.weightDecay,
      weightDecayText: shortNumber(c.weightDecay),
      rule: ruleName(c.noDecay),
      family: `${c.optimizer} (no-decay ${ruleName(c.noDecay)})`,
      status: s.status,
      message: s.message ?? null,
      seconds: s.seconds,
      final: s.final,
      steps,
      epochs: {
        step: epochRecords.map((r) => r.step),
        trainLoss: epochRecords.map((r) => r.trainLoss),
        testLoss: epochRecords.map((r) => r.testLoss),
        testAcc: epochRecords.map((r) => r.testAcc),
      },
      hasExcluded: s.decay.some((d) => !d.decayed),
      config: c,
      explain: s.explain,
      decay: s.decay,
    };
  });
  return {
    generated: new Date().toISOString(),
    seconds: meta.seconds,
    jobs: meta.jobs,
    backend: results[0]?.summary.backend ?? "?",
    findings: findings(results),
    machine: `${os.availableParallelism()} cores, Node ${process.versions.node}`,
    runs,
  };
}

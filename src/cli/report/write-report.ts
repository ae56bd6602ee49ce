/**
 * Write a sweep's `report.html` (atomically) from its results and run directories.
 *
 * @module
 */

import type { SweepResult } from "../results.js";
import { writeFileAtomic } from "../run-dir.js";
import { reportHtml } from "./html.js";
import { collectReportData } from "./report-data.js";

/**
 * Collect the runs' metrics and write the report to `file`.
 *
 * @example
 * ```ts
 * writeReport("out/sweep/report.html", results, "out/sweep/runs", { seconds: 95, jobs: 2 });
 * ```
 */
export function writeReport(
  file: string,
  results: readonly SweepResult[],
  runsDir: string,
  meta: { seconds: number; jobs: number },
): void {
  writeFileAtomic(file, reportHtml(collectReportData(results, runsDir, meta)));
}

/**
 * `report.html`: one self-contained page (Chart.js inlined, data embedded as JSON) with the
 * results table, loss curves per run, test accuracy against weight decay per optimizer, weight
 * norm trajectories of the decayed and the excluded parameters, and each run's configuration and
 * `explain` text. It opens offline from the file system.
 *
 * @module
 */

import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fmtLoss, pct } from "../progress.js";
import type { ReportData, ReportRun } from "./report-data.js";

/** Chart.js's UMD build, read from the installed package (cached). */
let chartJs: string | null = null;

function chartJsSource(): string {
  if (chartJs !== null) return chartJs;
  const require = createRequire(import.meta.url);
  const main = require.resolve("chart.js"); // .../chart.js/dist/chart.cjs
  const source = fs.readFileSync(path.join(path.dirname(main), "chart.umd.min.js"), "utf8");
  chartJs = source.replace(/<\/script/gi, "<\\/script");
  return chartJs;
}

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function resultsTableHtml(runs: readonly ReportRun[]): string {
  const head = [
    "run",
    "optimizer",
    "lr",
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
  const rows = runs.map((r) => {
    const f = r.final;
    const cells = [
      `<a href="#run-${esc(r.id)}">${esc(r.id)}</a>`,
      esc(r.optimizer),
      esc(String(r.lr)),
      esc(r.weightDecayText),
      esc(r.rule),
      f ? fmtLoss(f.trainLoss) : "-",
      f ? pct(f.trainAcc) : "-",
      f ? fmtLoss(f.testLoss) : "-",
      f ? pct(f.testAcc) : "-",
      f ? f.normDecayed.toFixed(3) : "-",
      f && r.hasExcluded ? f.normExcluded.toFixed(3) : "-",
      r.status === "finished" ? `${r.seconds.toFixed(1)} s` : esc(r.status),
    ];
    return `<tr>${cells.map((c, i) => `<td${i >= 5 || i === 2 || i === 3 ? ' class="num"' : ""}>${c}</td>`).join("")}</tr>`;
  });
  return `<table class="results"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function configTable(run: ReportRun): string {
  const c = run.config as unknown as Record<string, unknown>;
  const rows = Object.entries(c).map(([k, v]) => {
    const text =
      k === "optimizerOptions" ? JSON.stringify({ lr: run.lr, ...(v as object) }) : JSON.stringify(v);
    return `<tr><th>${esc(k)}</th><td><code>${esc(text)}</code></td></tr>`;
  });
  return `<table class="config">${rows.join("")}</table>`;
}

function decayTable(run: ReportRun): string {
  const rows = run.decay.map(
    (d) =>
      `<tr><td><code>${esc(d.name)}</code></td><td>[${d.shape.join(", ")}]</td><td>${d.decayed ? "decayed" : "<b>not decayed</b>"}</td><td>${esc(d.reason)}</td></tr>`,
  );
  return `<table class="decay"><thead><tr><th>parameter</th><th>shape</th><th>decay</th><th>why</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function runSection(run: ReportRun, index: number): string {
  const status =
    run.status === "finished"
      ? ""
      : ` <span class="bad">(${esc(run.status)}${run.message ? `: ${esc(run.message)}` : ""})</span>`;
  const f = run.final;
  const outcome = f === null ? "" : ` — test accuracy ${pct(f.testAcc)}`;
  return `<details class="run" id="run-${esc(run.id)}"${index === 0 ? " open" : ""}>
<summary><b>${esc(run.id)}</b>${status} <code>${esc(run.label)}</code>${outcome}</summary>
<div class="cols"><div><h4>Configuration</h4>${configTable(run)}</div>
<div><h4>What the optimizer does (tsgrad explain)</h4><pre class="explain">${esc(run.explain)}</pre>
<h4>Which parameters decay</h4>${decayTable(run)}</div></div>
</details>`;
}

/** The client-side script: one Chart per canvas, then `document.body.dataset.ready = "1"`. */
const RENDER = String.raw`
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  const families = [...new Set(data.runs.map((r) => r.family))];
  const wds = [...new Set(data.runs.map((r) => r.weightDecay))].sort((a, b) => a - b);
  const wdText = (wd) => data.runs.find((r) => r.weightDecay === wd).weightDecayText;
  const colorOfWd = (wd) => palette[wds.indexOf(wd) % palette.length];
  const pts = (xs, ys) => xs.map((x, i) => ({ x, y: ys[i] })).filter((p) => p.y !== null && Number.isFinite(p.y));
  const base = (title, xTitle, yTitle, yType) => ({
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: true,
    plugins: { title: { display: true, text: title }, legend: { labels: { boxWidth: 14 } } },
    scales: {
      x: { type: "linear", title: { display: true, text: xTitle } },
      y: { type: yType || "linear", title: { display: true, text: yTitle } },
    },
  });
  const made = [];
  function chart(id, config) {
    const canvas = document.querySelector('canvas[data-chart="' + id + '"]');
    made.push({ id, chart: new Chart(canvas, config) });
  }
  families.forEach((family, fi) => {
    const runs = data.runs.filter((r) => r.family === family);
    const loss = [];
    const norms = [];
    for (const r of runs) {
      const c = colorOfWd(r.weightDecay);
      loss.push({ label: "train, wd " + r.weightDecayText, data: pts(r.steps.step, r.steps.loss), borderColor: c, backgroundColor: c, pointRadius: 0, borderWidth: 1.5 });
      loss.push({ label: "test, wd " + r.weightDecayText, data: pts(r.epochs.step, r.epochs.testLoss), borderColor: c, backgroundColor: c, borderDash: [6, 4], pointRadius: 3, borderWidth: 2 });
      norms.push({ label: "decayed, wd " + r.weightDecayText, data: pts(r.steps.step, r.steps.normDecayed), borderColor: c, backgroundColor: c, pointRadius: 0, borderWidth: 1.5 });
      if (r.hasExcluded) norms.push({ label: "excluded, wd " + r.weightDecayText, data: pts(r.steps.step, r.steps.normExcluded), borderColor: c, backgroundColor: c, borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5 });
    }
    chart("loss-" + fi, { type: "line", data: { datasets: loss }, options: base("Loss: " + family + " (train per step, test per epoch)", "step", "cross-entropy", "logarithmic") });
    chart("norm-" + fi, { type: "line", data: { datasets: norms }, options: base("Weight norm ‖θ‖: " + family + " (solid decayed, dashed excluded)", "step", "‖θ‖") });
  });
  const acc = families.map((family, fi) => {
    const byWd = new Map(data.runs.filter((r) => r.family === family).map((r) => [r.weightDecay, r]));
    const c = palette[fi % palette.length];
    return {
      label: family,
      data: wds.map((wd) => { const r = byWd.get(wd); return r && r.final ? 100 * r.final.testAcc : null; }),
      borderColor: c, backgroundColor: c, pointRadius: 4, borderWidth: 2, spanGaps: true,
    };
  });
  const accOptions = base("Test accuracy after the last epoch against weight decay", "weight decay", "test accuracy (%)");
  accOptions.scales.x = { type: "category", title: { display: true, text: "weight decay" } };
  chart("acc-vs-wd", { type: "line", data: { labels: wds.map(wdText), datasets: acc }, options: accOptions });
  window.tsgradCharts = made.map(({ id, chart }) => ({
    id,
    datasets: chart.data.datasets.length,
    points: chart.data.datasets.map((d) => d.data.filter((v) => v !== null && (typeof v === "number" ? Number.isFinite(v) : Number.isFinite(v.y))).length),
  }));
  document.body.dataset.ready = "1";
})();
`;

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1200px; padding: 0 16px; color: #222; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; }
h3 { font-size: 15px; margin-bottom: 4px; } h4 { font-size: 13px; margin: 10px 0 4px; color: #444; }
.meta { color: #666; }
table { border-collapse: collapse; font-size: 13px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 16px; }
.chart.wide { grid-column: 1 / -1; }
.chart { position: relative; height: 340px; border: 1px solid #eee; border-radius: 6px; padding: 8px; }
pre.explain { background: #f7f7f7; padding: 8px; font-size: 12px; white-space: pre-wrap; }
.cols { display: grid; grid-template-columns: minmax(280px, 1fr) 2fr; gap: 16px; }
.bad { color: #b00; } .note { background: #f5f9ff; border-left: 3px solid #1f77b4; padding: 8px 12px; }
details.run { border-top: 1px solid #eee; padding: 6px 0; } details.run summary { cursor: pointer; }
`;

/**
 * The complete HTML of the report.
 *
 * @example
 * ```ts
 * fs.writeFileSync("report.html", reportHtml(collectReportData(results, runsDir, meta)));
 * ```
 */
export function reportHtml(data: ReportData): string {
  const families = [...new Set(data.runs.map((r) => r.family))];
  const canvases = [
    `<div class="chart wide"><canvas data-chart="acc-vs-wd" aria-label="test accuracy against weight decay"></canvas></div>`,
    ...families.flatMap((f, i) => [
      `<div class="chart"><canvas data-chart="loss-${i}" aria-label="loss curves, ${esc(f)}"></canvas></div>`,
      `<div class="chart"><canvas data-chart="norm-${i}" aria-label="weight norms, ${esc(f)}"></canvas></div>`,
    ]),
  ];
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tsgrad sweep: weight decay on MNIST</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Weight decay on MNIST — tsgrad sweep</h1>
<p class="meta">${data.runs.length} runs, ${data.seconds.toFixed(1)} s on ${data.jobs} worker thread${data.jobs === 1 ? "" : "s"} (${esc(data.backend)} backend; ${esc(data.machine)}), generated ${esc(data.generated)}.</p>
<p class="note">Coupled decay (SGD, Adam's <code>weightDecay</code>) adds λ·θ to the gradient: the same as a (λ/2)·‖θ‖² term in the loss, and it passes through momentum and adaptive statistics.
Decoupled decay (AdamW) multiplies θ by 1 − lr·λ before the update instead. Either way, only the parameters in a group with weight decay shrink:
with the <code>auto</code> no-decay rule, biases and normalization weights are kept out (dashed lines in the weight-norm charts).
Reported losses are the cross-entropy without the penalty term.</p>
<h2>Results</h2>
${resultsTableHtml(data.runs)}
${data.findings.length > 0 ? `<ul class="findings">${data.findings.map((f) => `<li>${esc(f)}</li>`).join("")}</ul>` : ""}
<h2>Charts</h2>
<div class="grid">
${canvases.join("\n")}
</div>
<h2>Runs</h2>
<p class="meta">Each run's configuration, the exact update its optimizer applies (<code>tsgrad explain</code>) and which parameters decay. Click a run to open it.</p>
${data.runs.map(runSection).join("\n")}
<script id="report-data" type="application/json">${json}</script>
<script>${chartJsSource()}</script>
<script>${RENDER}</script>
</body>
</html>
`;
}

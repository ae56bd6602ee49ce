// Optimizer-step benchmark: SGD (momentum 0.9 + weight decay), Adam and AdamW over 1M and 10M
// float32 parameters held in 1 tensor and in 100 tensors, beside PyTorch's single-tensor and
// foreach steps measured in the same run (bench/py/optim_torch.py, one thread).
//
//   npm run build && node bench/optim.js            (QUICK=1 for a short smoke run)
//
// Memory-traffic model (the least any implementation must move per parameter and step, float32,
// 4 bytes per value; the gradient is read, never written):
//   SGD + momentum + weight decay: reads p, g, buf; writes p, buf        -> 5 × 4 = 20 bytes
//   Adam:                          reads p, g, m, v; writes p, m, v      -> 7 × 4 = 28 bytes
//   AdamW:                         as Adam (the decay rides in the same pass) -> 28 bytes
// GB/s = bytes/param × params / seconds per step. PyTorch's single-tensor path makes several
// passes (each op is a separate kernel), so it moves more than the model; the model is the common
// yardstick. Figures are medians of repeated steps; this machine is shared and noisy.

import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as tg from "tsgrad";

const HERE = dirname(fileURLToPath(import.meta.url));
const QUICK = process.env.QUICK === "1";
const SIZES = QUICK ? [1_000_000] : [1_000_000, 10_000_000];
const TENSORS = [1, 100];
const MIN_TIME_MS = QUICK ? 150 : 400;
const MIN_RUNS = 5;
const MAX_RUNS = 200;
const BYTES_PER_PARAM = { SGD: 20, Adam: 28, AdamW: 28 };

const { optim } = tg;

const OPTIMIZERS = {
  SGD: (params) => new optim.SGD(params, { lr: 0.01, momentum: 0.9, weightDecay: 1e-4 }),
  Adam: (params) => new optim.Adam(params, { lr: 1e-3 }),
  AdamW: (params) => new optim.AdamW(params, { lr: 1e-3, weightDecay: 1e-2 }),
};

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A float32 tensor of `n` values in [-1, 1) from a small LCG (deterministic, fast). */
function randomTensor(n, seed) {
  const data = new Float32Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    data[i] = x / 2 ** 31 - 1;
  }
  return new tg.Tensor(data, [n]);
}

function measureTsgrad(name, size, tensors) {
  const per = size / tensors;
  const params = [];
  for (let i = 0; i < tensors; i++) {
    const p = randomTensor(per, 2 * i + 1).requiresGrad_();
    p.grad = randomTensor(per, 2 * i + 2);
    params.push(p);
  }
  const opt = OPTIMIZERS[name](params);
  opt.step();
  opt.step();
  const samples = [];
  const start = performance.now();
  while (
    samples.length < MIN_RUNS ||
    (performance.now() - start < MIN_TIME_MS && samples.length < MAX_RUNS)
  ) {
    const t0 = performance.now();
    opt.step();
    samples.push(performance.now() - t0);
  }
  return { seconds: median(samples) / 1e3, runs: samples.length };
}

function torchAvailable() {
  try {
    execFileSync("/usr/bin/python3", ["-c", "import torch"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function runTorch() {
  const out = execFileSync(
    "/usr/bin/python3",
    [
      join(HERE, "py", "optim_torch.py"),
      "--sizes",
      SIZES.join(","),
      "--tensors",
      TENSORS.join(","),
      "--min-time",
      String(MIN_TIME_MS / 1e3),
    ],
    {
      encoding: "utf8",
      env: { ...process.env, OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const lines = out.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

function fmt(x, digits = 3) {
  return x === undefined || x === null || Number.isNaN(x) ? "n/a" : Number(x).toPrecision(digits);
}

const started = performance.now();
const rows = [];
for (const name of Object.keys(OPTIMIZERS)) {
  for (const size of SIZES) {
    for (const tensors of TENSORS) {
      const r = measureTsgrad(name, size, tensors);
      rows.push({ optimizer: name, params: size, tensors, ...r, nsPerParam: (r.seconds * 1e9) / size });
    }
  }
}

let torch = null;
if (torchAvailable()) {
  torch = runTorch();
} else {
  console.log(
    "PyTorch is not importable by /usr/bin/python3 (apt-get install python3-torch); tsgrad figures only.\n",
  );
}

const lookup = (row, impl) =>
  torch?.results.find(
    (t) =>
      t.optimizer === row.optimizer &&
      t.params === row.params &&
      t.tensors === row.tensors &&
      t.impl === impl,
  );

const header = [
  "optimizer",
  "params",
  "tensors",
  "bytes/param",
  "tsgrad ns/param",
  "tsgrad GB/s",
  "torch single ns/param",
  "torch single GB/s",
  "torch foreach ns/param",
  "tsgrad/torch single",
  "tsgrad/torch foreach",
];
const table = [header, header.map(() => "---")];
const results = [];
for (const row of rows) {
  const bytes = BYTES_PER_PARAM[row.optimizer];
  const gbps = (bytes * row.params) / row.seconds / 1e9;
  const single = lookup(row, "single-tensor");
  const foreach = lookup(row, "foreach");
  const entry = {
    ...row,
    bytesPerParam: bytes,
    gbPerSecond: gbps,
    torchSingleNsPerParam: single?.ns_per_param ?? null,
    torchSingleGbPerSecond: single ? (bytes * row.params) / single.seconds / 1e9 : null,
    torchForeachNsPerParam: foreach?.ns_per_param ?? null,
    ratioVsSingle: single ? row.nsPerParam / single.ns_per_param : null,
    ratioVsForeach: foreach ? row.nsPerParam / foreach.ns_per_param : null,
  };
  results.push(entry);
  table.push([
    row.optimizer,
    row.params >= 1e6 ? `${row.params / 1e6}M` : String(row.params),
    String(row.tensors),
    String(bytes),
    fmt(row.nsPerParam),
    fmt(gbps),
    fmt(entry.torchSingleNsPerParam),
    fmt(entry.torchSingleGbPerSecond),
    fmt(entry.torchForeachNsPerParam),
    fmt(entry.ratioVsSingle),
    fmt(entry.ratioVsForeach),
  ]);
}

const markdown = table.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
console.log(
  `Optimizer steps, float32 (medians; PyTorch ${torch ? `${torch.torch}, ${torch.threads} thread` : "not measured"}; ` +
    `ratio = tsgrad time / PyTorch time, lower is better)\n`,
);
console.log(markdown);
console.log(
  "\nbytes/param: minimal memory traffic per step (SGD momentum+wd: read p, g, buf, write p, buf; " +
    "Adam/AdamW: read p, g, m, v, write p, m, v; 4 bytes each).",
);

mkdirSync(join(HERE, "results"), { recursive: true });
const path = join(HERE, "results", "optim.json");
writeFileSync(
  path + ".tmp",
  JSON.stringify(
    {
      node: process.version,
      torch: torch ? { version: torch.torch, threads: torch.threads } : null,
      trafficModel: BYTES_PER_PARAM,
      seconds: (performance.now() - started) / 1e3,
      results,
    },
    null,
    2,
  ) + "\n",
);
renameSync(path + ".tmp", path);
console.log(`\nwrote ${path} (${((performance.now() - started) / 1e3).toFixed(1)} s)`);

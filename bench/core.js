// Core tensor benchmarks (issue: core): matmul in float32 and float64 at 256/512/1024 and an
// elementwise chain over 10M elements, each beside TF.js's cpu backend in the same run.
// Run: npm run build && node bench/core.js
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tg from "tsgrad";
import { fmt, table, time, writeResult } from "./lib.js";

await tf.setBackend("cpu");
await tf.ready();

const results = { machine: { cpus: (await import("node:os")).cpus().length }, matmul: [], elementwise: null };
const rows = [];

for (const n of [256, 512, 1024]) {
  const flops = 2 * n * n * n;
  const opts = { minRuns: 3, minTime: n >= 1024 ? 2500 : 1200, warmup: 2 };
  tg.manualSeed?.(0);
  const a32 = tg.rand ? tg.rand([n, n]) : tg.ones([n, n]);
  const b32 = tg.rand ? tg.rand([n, n]) : tg.ones([n, n]);
  const a64 = a32.double();
  const b64 = b32.double();
  const ours32 = time(() => a32.matmul(b32), opts);
  const ours64 = time(() => a64.matmul(b64), opts);
  const ta = tf.tensor2d(a32.toTypedArray(), [n, n]);
  const tb = tf.tensor2d(b32.toTypedArray(), [n, n]);
  const peer = time(() => {
    const c = tf.matMul(ta, tb);
    c.dataSync();
    c.dispose();
  }, opts);
  ta.dispose();
  tb.dispose();
  const g = (t) => flops / (t.median * 1e6);
  results.matmul.push({
    n,
    tsgradF32Ms: ours32.median,
    tsgradF64Ms: ours64.median,
    tfjsCpuF32Ms: peer.median,
  });
  rows.push([
    n,
    fmt(g(ours32)),
    fmt(g(ours64)),
    fmt(g(peer)),
    `${fmt(peer.median / ours32.median)}x`,
    `${fmt(peer.median / ours64.median)}x`,
  ]);
}

console.log("\n## Matmul (GFLOP/s, median; ratio = TF.js time / tsgrad time, higher is better)\n");
console.log(
  table(["n", "tsgrad f32", "tsgrad f64", "TF.js cpu f32", "f32 speedup vs TF.js", "f64 vs TF.js f32"], rows),
);

// Elementwise chain: y = relu(x * a + b) over 10M elements, three ops with a temporary each.
const N = 10_000_000;
const x = tg.ones([N]);
const a = tg.full([N], 0.5);
const b = tg.full([N], -0.25);
const chain = () => x.mul(a).add(b).relu();
const ours = time(chain, { warmup: 1, minRuns: 5, minTime: 2000 });
const tx = tf.tensor1d(x.toTypedArray());
const ta = tf.tensor1d(a.toTypedArray());
const tb = tf.tensor1d(b.toTypedArray());
const peer = time(
  () => {
    const y = tf.tidy(() => tf.relu(tf.add(tf.mul(tx, ta), tb)));
    y.dataSync();
    y.dispose();
  },
  { warmup: 1, minRuns: 5, minTime: 2000 },
);
// Bytes moved by the three ops: mul reads 2 writes 1, add reads 2 writes 1, relu reads 1 writes 1.
const bytes = N * 4 * (3 + 3 + 2);
results.elementwise = { n: N, bytes, tsgradMs: ours.median, tfjsCpuMs: peer.median };
console.log("\n## Elementwise chain relu(x*a+b), 10M float32 (median)\n");
console.log(
  table(
    ["", "ms", "GB/s", "ratio (TF.js / tsgrad)"],
    [
      ["tsgrad", fmt(ours.median), fmt(bytes / (ours.median * 1e6)), `${fmt(peer.median / ours.median)}x`],
      ["TF.js cpu", fmt(peer.median), fmt(bytes / (peer.median * 1e6)), "1x"],
    ],
  ),
);
console.log(`\nwrote ${writeResult("core", results)}`);

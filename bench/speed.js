// Speed of the WebAssembly backend (issue 6), each figure beside its anchors in the same run:
//   1. the machine's limits: a copy-bandwidth probe (the same SIMD loop as the optimizer steps,
//      1 and 2 threads, plus JS TypedArray.set), and the peak GFLOP/s the matmul itself reaches;
//   2. matmul f32/f64 at n = 256/512/1024 vs TF.js 4.22 wasm (XNNPACK, one thread: its threads are
//      disabled in Node) and cpu, and PyTorch CPU (OpenBLAS via Debian's libblas alternative);
//   3. optimizer steps (SGD+momentum+wd, Adam, AdamW) at 10M float32 params: fused WebAssembly
//      arena vs the JS reference loop vs PyTorch's best layout (1 or 100 tensors, foreach on/off);
//   4. an MLP 784-512-512-10 training step (batch 128, Adam, float32) vs TF.js wasm with
//      hand-written backprop (explicit transposes, so XNNPACK runs every matmul) and PyTorch.
// Medians of repeated runs (min in the JSON). Writes bench/results/speed.json and speed.md.
//
//   npm run build && node bench/speed.js        (QUICK=1 for a short smoke run)
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import * as tg from "tsgrad";
import { createWasmBackend } from "../dist/backend/wasm/index.js";
import { KernelArena, fusedStep } from "../dist/backend/wasm/optim.js";
import { fuseOptimizer } from "../dist/optim/fused/index.js";
import { BENCH_DIR, RESULTS_DIR, fmt, table, time, torchAvailable, writeResult } from "./lib.js";

const QUICK = process.env.QUICK === "1";
const T = (ms) => (QUICK ? ms / 3 : ms);
const out = { quick: QUICK, machine: {}, copy: [], matmul: [], optim: [], mlp: {}, notes: [] };
const md = [];
const say = (s) => {
  console.log(s);
  md.push(s);
};

out.machine = {
  cpus: cpus().length,
  model: cpus()[0]?.model,
  loadavgAtStart: loadavg(),
  node: process.version,
};
say(
  `# Speed (bench/speed.js)\n\n${out.machine.cpus} CPUs (${out.machine.model}), load average at start ${loadavg()
    .map((x) => x.toFixed(2))
    .join(
      " / ",
    )}, Node ${process.version}. Medians; ratios are "how many times faster" (higher is better for tsgrad).\n`,
);

const wasm2 = await createWasmBackend({ threads: 2 });
const wasm1 = await createWasmBackend({ threads: 1 });

// ---------------------------------------------------------------------------------------------
// PyTorch peer (1 and 2 threads), run first so the Node side does not compete with it.
let torch = { 1: null, 2: null };
if (torchAvailable()) {
  for (const threads of [1, 2]) {
    try {
      const stdout = execFileSync(
        "/usr/bin/python3",
        [join(BENCH_DIR, "py", "speed.py"), String(threads), ...(QUICK ? ["quick"] : [])],
        {
          encoding: "utf8",
          env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) },
          maxBuffer: 64 << 20,
        },
      );
      torch[threads] = JSON.parse(stdout.trim().split("\n").pop());
    } catch (e) {
      out.notes.push(`PyTorch peer (${threads} threads) failed: ${String(e).slice(0, 200)}`);
    }
  }
} else {
  out.notes.push(
    "PyTorch peer missing: /usr/bin/python3 cannot import torch (apt-get install python3-torch).",
  );
}
out.torch = torch[1] || torch[2] ? { 1: torch[1], 2: torch[2] } : null;
if (torch[1]) {
  const blas = torch[1].blasLibraries.join(", ") || "none found in /proc/self/maps";
  say(
    `PyTorch ${torch[1].torch}: BLAS loaded = ${blas}; torch.__config__: ${torch[1].config
      .filter((l) => /BLAS_INFO|CPU capability/.test(l))
      .map((l) => (l.match(/BLAS_INFO=[^,]*/) ?? [l])[0])
      .join("; ")}. Threads pinned by OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and torch.set_num_threads.\n`,
  );
}

// ---------------------------------------------------------------------------------------------
// 1. Copy-bandwidth probe: 10M float32, copy g → p with the optimizer kernels' loop.
const N = 10_000_000;
{
  const rows = [];
  for (const [label, be] of [
    ["wasm SIMD copy, 2 threads", wasm2],
    ["wasm SIMD copy, 1 thread", wasm1],
  ]) {
    const arena = new KernelArena(be.runtime, "float32", N, 2);
    arena.views[1].fill(1.5);
    rows.push([
      label,
      time(() => fusedStep(be.runtime, arena, "copy", 0, N, 0, []), {
        warmup: 3,
        minRuns: 10,
        minTime: T(800),
      }),
    ]);
    arena.release();
  }
  const src = new Float32Array(N).fill(2.5);
  const dst = new Float32Array(N);
  rows.push([
    "JS TypedArray.set (memcpy), 1 thread",
    time(() => dst.set(src), { warmup: 3, minRuns: 10, minTime: T(800) }),
  ]);
  for (const [label, t] of rows)
    out.copy.push({
      label,
      ms: t.median,
      minMs: t.min,
      gbps: (8 * N) / (t.median * 1e6),
      bestGbps: (8 * N) / (t.min * 1e6),
    });
  say("## 1. Copy bandwidth probe (10M float32: 4 B read + 4 B written per element)\n");
  say(
    table(
      ["probe", "ms", "GB/s (median)", "GB/s (best)"],
      out.copy.map((c) => [c.label, fmt(c.ms), fmt(c.gbps), fmt(c.bestGbps)]),
    ),
  );
}
const copyGbps = (threads) => out.copy[threads === 2 ? 0 : 1].gbps;

// ---------------------------------------------------------------------------------------------
// 2. Matmul.
await tf.setBackend("wasm");
await tf.ready();
say("\n## 2. Matmul (GFLOP/s = 2n³ / median time; ratio = peer time / tsgrad time)\n");
{
  const rows = [];
  for (const n of [256, 512, 1024]) {
    const flops = 2 * n ** 3;
    const opts = { warmup: 3, minRuns: 5, minTime: T(n >= 1024 ? 2000 : 800) };
    tg.manualSeed(0);
    const a32 = tg.rand([n, n]);
    const b32 = tg.rand([n, n]);
    const a64 = a32.double();
    const b64 = b32.double();
    const r = { n };
    for (const [key, be] of [
      ["wasm2", wasm2],
      ["wasm1", wasm1],
    ]) {
      tg.setBackend(be);
      r[`${key}F32`] = time(() => a32.matmul(b32), opts);
      r[`${key}F64`] = time(() => a64.matmul(b64), opts);
    }
    tg.setBackend(tg.jsBackend);
    if (n <= 512) r.jsF32 = time(() => a32.matmul(b32), { warmup: 1, minRuns: 3, minTime: T(600) });
    await tf.setBackend("wasm");
    const ta = tf.tensor2d(a32.toTypedArray(), [n, n]);
    const tb = tf.tensor2d(b32.toTypedArray(), [n, n]);
    const tfRun = () => {
      const c = tf.matMul(ta, tb);
      c.dataSync();
      c.dispose();
    };
    r.tfWasm = time(tfRun, opts);
    if (n <= 512) {
      await tf.setBackend("cpu");
      const ca = tf.tensor2d(a32.toTypedArray(), [n, n]);
      const cb = tf.tensor2d(b32.toTypedArray(), [n, n]);
      r.tfCpu = time(
        () => {
          const c = tf.matMul(ca, cb);
          c.dataSync();
          c.dispose();
        },
        { warmup: 1, minRuns: 3, minTime: T(600) },
      );
      ca.dispose();
      cb.dispose();
      await tf.setBackend("wasm");
    }
    ta.dispose();
    tb.dispose();
    const tq = (threads, dtype) => torch[threads]?.matmul.find((m) => m.n === n && m.dtype === dtype) ?? null;
    const g = (t) => (t ? flops / (t.median * 1e6) : null);
    const peak = (t) => (t ? flops / (t.min * 1e6) : null);
    const entry = {
      n,
      gflops: {
        tsgradWasm2F32: g(r.wasm2F32),
        tsgradWasm2F64: g(r.wasm2F64),
        tsgradWasm1F32: g(r.wasm1F32),
        tsgradWasm1F64: g(r.wasm1F64),
        tsgradJsF32: g(r.jsF32),
        tfjsWasmF32: g(r.tfWasm),
        tfjsCpuF32: g(r.tfCpu),
        torch1F32: g(tq(1, "float32")),
        torch2F32: g(tq(2, "float32")),
        torch1F64: g(tq(1, "float64")),
        torch2F64: g(tq(2, "float64")),
      },
      peakGflops: {
        tsgradWasm2F32: peak(r.wasm2F32),
        tsgradWasm2F64: peak(r.wasm2F64),
        tfjsWasmF32: peak(r.tfWasm),
      },
    };
    out.matmul.push(entry);
    const G = entry.gflops;
    rows.push([
      n,
      fmt(G.tsgradWasm2F32),
      fmt(G.tsgradWasm1F32),
      fmt(G.tsgradWasm2F64),
      fmt(G.tsgradWasm1F64),
      fmt(G.tsgradJsF32),
      fmt(G.tfjsWasmF32),
      fmt(G.tfjsCpuF32),
      fmt(G.torch2F32),
      fmt(G.torch2F64),
      `${fmt(G.tsgradWasm2F32 / G.tfjsWasmF32)}x`,
      `${fmt(G.tsgradWasm2F64 / G.tfjsWasmF32)}x`,
      G.torch2F32 ? `${fmt(G.tsgradWasm2F32 / G.torch2F32)}x` : "n/a",
      fmt(entry.peakGflops.tsgradWasm2F32),
    ]);
  }
  say(
    table(
      [
        "n",
        "wasm 2T f32",
        "wasm 1T f32",
        "wasm 2T f64",
        "wasm 1T f64",
        "JS f32",
        "TF.js wasm f32",
        "TF.js cpu f32",
        "torch 2T f32",
        "torch 2T f64",
        "f32 vs TF.js wasm",
        "f64 vs TF.js wasm f32",
        "f32 vs torch 2T",
        "wasm 2T f32 peak (best run)",
      ],
      rows,
    ),
  );
  say("\n(JS and TF.js cpu are skipped at n = 1024: seconds per call.)");
}

// ---------------------------------------------------------------------------------------------
// 3. Optimizer steps, 10M float32 parameters in 100 tensors.
say("\n## 3. Optimizer step, 10M float32 params (100 tensors), ns/param (median)\n");
{
  const BYTES = { SGD: 20, Adam: 28, AdamW: 28 };
  const make = {
    SGD: (ps) => new tg.optim.SGD(ps, { lr: 0.01, momentum: 0.9, weightDecay: 1e-4 }),
    Adam: (ps) => new tg.optim.Adam(ps, { lr: 1e-3 }),
    AdamW: (ps) => new tg.optim.AdamW(ps, { lr: 1e-3, weightDecay: 1e-2 }),
  };
  const params = () => {
    const ps = [];
    for (let i = 0; i < 100; i++) {
      const p = tg.rand([N / 100]).requiresGrad_(true);
      p.grad = tg.randn([N / 100]);
      ps.push(p);
    }
    return ps;
  };
  const rows = [];
  for (const name of ["SGD", "Adam", "AdamW"]) {
    const r = { optimizer: name };
    for (const [key, be, exactFma] of [
      ["fused2", wasm2, false],
      ["fused1", wasm1, false],
      ["fused2Exact", wasm2, true],
    ]) {
      const ps = params();
      const opt = make[name](ps);
      const fused = fuseOptimizer(opt, be, { exactFma });
      r[key] = time(() => opt.step(), {
        warmup: 3,
        minRuns: exactFma ? 5 : 10,
        minTime: T(exactFma ? 500 : 1000),
      });
      if (fused.fusedSteps === 0) out.notes.push(`${name}: fused path did not run`);
      fused.release();
    }
    {
      const ps = params();
      const opt = make[name](ps);
      r.reference = time(() => opt.step(), { warmup: 2, minRuns: 5, minTime: T(1000) });
    }
    const ns = (t) => (t ? (t.median * 1e6) / N : null);
    const torchBest = (threads) => {
      const list = torch[threads]?.optim.filter((o) => o.optimizer === name) ?? [];
      if (list.length === 0) return null;
      return list.reduce((best, o) => (o.median < best.median ? o : best));
    };
    const tb1 = torchBest(1);
    const tb2 = torchBest(2);
    const entry = {
      optimizer: name,
      bytesPerParam: BYTES[name],
      nsPerParam: {
        fused2: ns(r.fused2),
        fused1: ns(r.fused1),
        fused2ExactFma: ns(r.fused2Exact),
        jsReference: ns(r.reference),
        torchBest1: tb1 ? ns(tb1) : null,
        torchBest2: tb2 ? ns(tb2) : null,
      },
      torchBestLayout: { 1: tb1, 2: tb2 },
      gbps: {
        fused2: (BYTES[name] * N) / (r.fused2.median * 1e6),
        fused1: (BYTES[name] * N) / (r.fused1.median * 1e6),
      },
    };
    entry.ofCopyProbe = { 2: entry.gbps.fused2 / copyGbps(2), 1: entry.gbps.fused1 / copyGbps(1) };
    out.optim.push(entry);
    const S = entry.nsPerParam;
    const layout = (t) => (t ? `${t.tensors}×${t.foreach ? " foreach" : ""}` : "n/a");
    rows.push([
      name,
      fmt(S.fused2),
      fmt(S.fused1),
      fmt(S.fused2ExactFma),
      fmt(S.jsReference),
      tb2 ? `${fmt(S.torchBest2)} (${layout(tb2)})` : "n/a",
      tb1 ? `${fmt(S.torchBest1)} (${layout(tb1)})` : "n/a",
      S.torchBest2 ? `${fmt(S.torchBest2 / S.fused2)}x` : "n/a",
      S.torchBest1 ? `${fmt(S.torchBest1 / S.fused1)}x` : "n/a",
      `${fmt(entry.gbps.fused2)} (${fmt(100 * entry.ofCopyProbe[2], 2)}%)`,
      `${fmt(entry.gbps.fused1)} (${fmt(100 * entry.ofCopyProbe[1], 2)}%)`,
    ]);
  }
  say(
    table(
      [
        "optimizer",
        "fused wasm 2T",
        "fused wasm 1T",
        "fused 2T, exact FMA",
        "JS reference loop",
        "torch 2T best (layout)",
        "torch 1T best (layout)",
        "2T vs torch 2T",
        "1T vs torch 1T",
        "2T GB/s (of copy probe 2T)",
        "1T GB/s (of copy probe 1T)",
      ],
      rows,
    ),
  );
  say(
    "\nGB/s counts the least traffic a step needs: SGD+momentum 20 B/param (read p, g, buf; write p, buf), Adam/AdamW 28 B/param. " +
      "The in-place update reads every line it writes, so it can beat the copy probe, which also pays the write-allocate read of its destination. " +
      "'exact FMA' emulates PyTorch's fused multiply-adds bit-exactly (compute-bound); the other fused columns round the product first.",
  );
}

// ---------------------------------------------------------------------------------------------
// 4. MLP 784-512-512-10 training step, batch 128, Adam, float32.
say("\n## 4. MLP 784-512-512-10 training step (batch 128, Adam, float32), ms (median)\n");
{
  const B = 128;
  tg.manualSeed(0);
  const x = tg.rand([B, 784]);
  const y = tg.randint(0, 10, [B]);
  const build = () => {
    tg.manualSeed(1);
    return new tg.nn.Sequential(
      new tg.nn.Linear(784, 512),
      new tg.nn.ReLU(),
      new tg.nn.Linear(512, 512),
      new tg.nn.ReLU(),
      new tg.nn.Linear(512, 10),
    );
  };
  const lossFn = new tg.nn.CrossEntropyLoss();
  const ours = (be, fuse) => {
    tg.setBackend(be);
    const model = build();
    const opt = new tg.optim.Adam(model.parameters(), { lr: 1e-3 });
    const fused = fuse ? fuseOptimizer(opt, be) : null;
    // Current PyTorch's default zero_grad (set_to_none=True) on both sides: backward then hands
    // each leaf a fresh gradient instead of adding into a zeroed one.
    const step = () => {
      opt.zeroGrad();
      lossFn.forward(model.forward(x), y).backward();
      opt.step();
    };
    const t = time(step, { warmup: 10, minRuns: 20, minTime: T(3000) });
    fused?.release();
    tg.setBackend(tg.jsBackend);
    return t;
  };
  const r = {};
  r.wasm2Fused = ours(wasm2, true);
  r.wasm1Fused = ours(wasm1, true);
  r.js = ours(tg.jsBackend, false);

  // TF.js wasm, hand-written backprop with explicit transposes (XNNPACK only runs untransposed matmuls).
  await tf.setBackend("wasm");
  const tfStep = (() => {
    const init = (shape, fanIn) =>
      tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn)));
    const W1 = init([784, 512], 784),
      b1 = init([512], 784);
    const W2 = init([512, 512], 512),
      b2 = init([512], 512);
    const W3 = init([512, 10], 512),
      b3 = init([10], 512);
    const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
    const tx = tf.tensor2d(x.toTypedArray(), [B, 784]);
    const onehot = tf.cast(tf.oneHot(tf.tensor1d(Array.from(y.toTypedArray()), "int32"), 10), "float32");
    return () => {
      const grads = tf.tidy(() => {
        const z1 = tf.add(tf.matMul(tx, W1), b1);
        const h1 = tf.relu(z1);
        const z2 = tf.add(tf.matMul(h1, W2), b2);
        const h2 = tf.relu(z2);
        const logits = tf.add(tf.matMul(h2, W3), b3);
        const p = tf.softmax(logits);
        const dlogits = tf.div(tf.sub(p, onehot), B);
        const dW3 = tf.matMul(tf.transpose(h2), dlogits);
        const db3 = tf.sum(dlogits, 0);
        const dh2 = tf.mul(tf.matMul(dlogits, tf.transpose(W3)), tf.step(z2));
        const dW2 = tf.matMul(tf.transpose(h1), dh2);
        const db2 = tf.sum(dh2, 0);
        const dh1 = tf.mul(tf.matMul(dh2, tf.transpose(W2)), tf.step(z1));
        const dW1 = tf.matMul(tf.transpose(tx), dh1);
        const db1 = tf.sum(dh1, 0);
        return { W1: dW1, b1: db1, W2: dW2, b2: db2, W3: dW3, b3: db3 };
      });
      const named = { W1, b1, W2, b2, W3, b3 };
      opt.applyGradients(Object.keys(grads).map((k) => ({ name: named[k].name, tensor: grads[k] })));
      tf.dispose(Object.values(grads));
      W3.dataSync();
    };
  })();
  r.tfWasm = time(tfStep, { warmup: 10, minRuns: 20, minTime: T(3000) });
  const tm = (threads) => torch[threads]?.mlp ?? null;
  out.mlp = {
    msMedian: {
      tsgradWasm2Fused: r.wasm2Fused.median,
      tsgradWasm1Fused: r.wasm1Fused.median,
      tsgradJs: r.js.median,
      tfjsWasmManual: r.tfWasm.median,
      torch1: tm(1)?.median ?? null,
      torch2: tm(2)?.median ?? null,
    },
    msMin: {
      tsgradWasm2Fused: r.wasm2Fused.min,
      tfjsWasmManual: r.tfWasm.min,
      torch2: tm(2)?.min ?? null,
    },
  };
  const M = out.mlp.msMedian;
  say(
    table(
      [
        "tsgrad wasm 2T + fused Adam",
        "tsgrad wasm 1T + fused Adam",
        "tsgrad JS backend",
        "TF.js wasm (manual backprop)",
        "torch 1T",
        "torch 2T",
        "2T vs TF.js wasm",
        "torch 2T / tsgrad 2T",
      ],
      [
        [
          fmt(M.tsgradWasm2Fused),
          fmt(M.tsgradWasm1Fused),
          fmt(M.tsgradJs),
          fmt(M.tfjsWasmManual),
          fmt(M.torch1),
          fmt(M.torch2),
          `${fmt(M.tfjsWasmManual / M.tsgradWasm2Fused)}x`,
          M.torch2 ? `${fmt(M.torch2 / M.tsgradWasm2Fused)}x` : "n/a",
        ],
      ],
    ),
  );
}

out.machine.loadavgAtEnd = loadavg();
say(
  `\nLoad average at end: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" / ")}.`,
);
if (out.notes.length) say(`\nNotes:\n${out.notes.map((n) => `- ${n}`).join("\n")}`);
await wasm1.dispose();
await wasm2.dispose();
console.log(`\nwrote ${writeResult("speed", out)}`);
writeFileSync(join(RESULTS_DIR, "speed.md"), md.join("\n") + "\n");

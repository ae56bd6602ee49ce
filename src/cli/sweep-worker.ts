/**
 * A worker thread of `tsgrad sweep`: trains the runs the main thread hands it, one at a time, on
 * a one-thread backend, and reports progress and results back.
 *
 * @module
 */

import { parentPort } from "node:worker_threads";
import { useBackend } from "./backend-choice.js";
import { oneLine } from "./cli-error.js";
import type { TrainConfig } from "./config.js";
import { loadMnistSplit, type MnistSplit } from "./dataset.js";
import { train, type RunSummary } from "./trainer.js";

/** A message from the main thread. */
export type ToWorker =
  { type: "run"; id: string; dir: string; config: TrainConfig } | { type: "stop" } | { type: "exit" };

/** A message to the main thread. */
export type FromWorker =
  | { type: "ready" }
  | { type: "step"; id: string; step: number; samplesPerSecond: number }
  | { type: "done"; id: string; summary: RunSummary };

const port = parentPort;
if (port === null) throw new Error("sweep-worker.js runs as a worker thread of tsgrad sweep");

let stop = false;
let cached: { key: string; data: MnistSplit } | null = null;
let backendKind: string | null = null;
let disposeBackend: () => Promise<void> = async () => {};

function dataFor(config: TrainConfig): MnistSplit {
  const key = JSON.stringify([config.trainSize, config.testSize, config.seed, config.dtype]);
  if (cached?.key !== key) cached = { key, data: loadMnistSplit(config) };
  return cached.data;
}

async function runOne(id: string, dir: string, config: TrainConfig): Promise<RunSummary> {
  if (backendKind !== config.backend) {
    await disposeBackend();
    const chosen = await useBackend(config.backend, { explicit: true, threads: 1 });
    backendKind = chosen.kind;
    disposeBackend = chosen.dispose;
  }
  let last = 0;
  try {
    return await train(config, dir, {
      data: dataFor(config),
      hooks: {
        onStep: (r, info) => {
          const now = performance.now();
          if (now - last < 100) return;
          last = now;
          port!.postMessage({
            type: "step",
            id,
            step: r.step,
            samplesPerSecond: info.samplesPerSecond,
          } satisfies FromWorker);
        },
        onEpoch: (r) =>
          port!.postMessage({ type: "step", id, step: r.step, samplesPerSecond: 0 } satisfies FromWorker),
        shouldStop: () => stop,
      },
    });
  } catch (e) {
    return {
      status: "failed",
      config,
      backend: backendKind ?? "?",
      epochs: 0,
      steps: 0,
      final: null,
      seconds: 0,
      decay: [],
      explain: "",
      message: oneLine(e),
    };
  }
}

port.on("message", (m: ToWorker) => {
  switch (m.type) {
    case "stop":
      stop = true;
      break;
    case "run":
      void runOne(m.id, m.dir, m.config).then((summary) =>
        port.postMessage({ type: "done", id: m.id, summary } satisfies FromWorker),
      );
      break;
    case "exit":
      void disposeBackend().then(() => port.close());
      break;
  }
});
port.postMessage({ type: "ready" } satisfies FromWorker);

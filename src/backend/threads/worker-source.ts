/**
 * The code a kernel worker thread runs, as source text, so it needs no file of its own (it is
 * started with `eval: true` in Node and from a Blob URL in browsers, and works the same from the
 * TypeScript sources under vitest and from `dist/`).
 *
 * A worker instantiates the kernel module on the shared memory it is sent, answers "ready", then
 * loops: wait on the sequence word, run its task slot (kind 0 means no work this round), count
 * itself done and wake the caller when it is the last. All synchronisation is on `Int32Array`
 * words at the start of the shared memory; the worker never touches its event loop again, which
 * is why the pool `unref`s it and wakes it with a stop flag to shut down.
 *
 * @example
 * ```ts
 * new Worker(workerSource("node"), { eval: true });
 * ```
 * @module
 */

/**
 * Control words (Int32 indices at address 0 of the shared memory).
 * @example
 * ```ts
 * const ctrl = new Int32Array(memory.buffer, 0, 16);
 * Atomics.add(ctrl, CTRL.seq, 1); // start a round
 * Atomics.notify(ctrl, CTRL.seq);
 * ```
 */
export const CTRL = {
  /** Bumped by the caller to start a round. */
  seq: 0,
  /** Workers still running this round. */
  pending: 1,
  /** Set to 1 to make workers exit their loop. */
  stop: 2,
  /** Set by a worker whose task threw (a trap); the caller rethrows. */
  error: 3,
} as const;

/**
 * Byte address of the first task slot, and the bytes between slots.
 * @example const slot = TASKS.base + tid * TASKS.stride; // byte address of thread tid's task slot
 */
export const TASKS = { base: 256, stride: 128 } as const;

/**
 * How long a worker keeps polling for the next round before blocking in Atomics.wait, in ms.
 * Waking a blocked thread costs 30–200 µs here; a training step issues its matmuls a fraction of a
 * millisecond apart, so the worker is still polling when the next one comes (OpenMP runtimes spin
 * the same way before sleeping).
 */
const SPIN_MS = 2;

const loop = `
  const ctrl = new Int32Array(memory.buffer, 0, 16);
  const words = new Int32Array(memory.buffer, 0, ${TASKS.base / 4 + 64 * (TASKS.stride / 4)});
  const task = ${TASKS.base} + tid * ${TASKS.stride};
  let seen = seq0; // the sequence word when the pool started: a round may begin before this line
  for (;;) {
    let s = Atomics.load(ctrl, ${CTRL.seq});
    if (s === seen) {
      const until = performance.now() + ${SPIN_MS};
      for (let i = 1; s === seen; i++) {
        s = Atomics.load(ctrl, ${CTRL.seq});
        if ((i & 1023) === 0 && performance.now() > until) break;
      }
    }
    if (s === seen) {
      Atomics.wait(ctrl, ${CTRL.seq}, seen);
      continue;
    }
    seen = s;
    if (Atomics.load(ctrl, ${CTRL.stop}) !== 0) break;
    if (words[task >> 2] !== 0) {
      try {
        run(task);
      } catch (e) {
        Atomics.store(ctrl, ${CTRL.error}, 1);
      }
    }
    if (Atomics.sub(ctrl, ${CTRL.pending}, 1) === 1) Atomics.notify(ctrl, ${CTRL.pending});
  }
`;

/**
 * The worker's source for Node (`worker_threads`, CommonJS eval) or browsers (classic worker).
 *
 * @example
 * ```ts
 * const url = URL.createObjectURL(new Blob([workerSource("browser")]));
 * ```
 */
export function workerSource(kind: "node" | "browser"): string {
  const start = `(message) => {
  const { module, memory, tid, seq0 } = message;
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const run = instance.exports.run;
  post("ready");
  ${loop}
}`;
  if (kind === "node") {
    return `"use strict";
// getBuiltinModule works whether the eval'd code runs as CommonJS or as ESM (a parent started
// with --input-type=module passes that flag on); require is the fallback before Node 20.16.
const { parentPort } =
  typeof process.getBuiltinModule === "function"
    ? process.getBuiltinModule("node:worker_threads")
    : require("node:worker_threads");
const post = (m) => parentPort.postMessage(m);
parentPort.once("message", ${start});
`;
  }
  return `"use strict";
const post = (m) => postMessage(m);
onmessage = (event) => { onmessage = null; (${start})(event.data); close(); };
`;
}

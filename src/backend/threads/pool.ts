/**
 * A pool of worker threads that share one `WebAssembly.Memory` with the caller and run kernel
 * tasks on request, with a synchronous API: {@link ThreadPool.run} writes nothing itself; the
 * caller fills the task slots, then `run` wakes the workers, runs slot 0 on the calling thread,
 * and blocks (Atomics.wait, or a spin where the thread may not block, as on a browser's main
 * thread) until every worker is done.
 *
 * Workers are `unref`ed (they never keep a Node process alive) and leave their loop when
 * {@link ThreadPool.close} raises the stop flag.
 *
 * @example
 * ```ts
 * const pool = await ThreadPool.start(module, memory, 2);
 * pool.run(exports.run); // after writing the task slots
 * await pool.close();
 * ```
 * @module
 */

import type * as NodeWorkerThreads from "node:worker_threads";
import { CTRL, TASKS, workerSource } from "./worker-source.js";

/** A started worker, Node or browser, reduced to what the pool needs. */
interface WorkerHandle {
  terminate(): unknown;
}

/** How many times the caller polls before blocking. */
const SPIN = 50000;

/** Whether this thread may block in Atomics.wait (false on a browser's main thread). */
function canBlock(ctrl: Int32Array): boolean {
  try {
    Atomics.wait(ctrl, 15, 1, 0); // word 15 is 0, so this returns "not-equal" at once
    return true;
  } catch {
    return false;
  }
}

function isNode(): boolean {
  return typeof process !== "undefined" && typeof process.versions?.node === "string";
}

async function startNodeWorker(payload: object): Promise<WorkerHandle> {
  const specifier = "node:worker_threads";
  const { Worker } = (await import(/* @vite-ignore */ specifier)) as typeof NodeWorkerThreads;
  const worker = new Worker(workerSource("node"), { eval: true });
  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
    worker.postMessage(payload);
  });
  worker.unref();
  return worker;
}

async function startBrowserWorker(payload: object): Promise<WorkerHandle> {
  const url = URL.createObjectURL(new Blob([workerSource("browser")], { type: "text/javascript" }));
  try {
    const worker = new Worker(url);
    await new Promise<void>((resolve, reject) => {
      worker.onmessage = () => resolve();
      worker.onerror = (e) => reject(new Error(`kernel worker failed to start: ${e.message}`));
      worker.postMessage(payload);
    });
    return worker;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * Worker threads sharing a kernel module's memory.
 * @example
 * ```ts
 * const pool = await ThreadPool.start(module, memory, 4); // 3 workers plus the calling thread
 * pool.run((task) => exports.run(task)); // one round: every thread runs its task slot
 * await pool.close();
 * ```
 */
export class ThreadPool {
  /** Threads that run tasks, counting the caller. */
  readonly threads: number;
  private readonly ctrl: Int32Array;
  private readonly words: Int32Array;
  private readonly workers: WorkerHandle[];
  private readonly blocking: boolean;
  private closed = false;

  private constructor(memory: WebAssembly.Memory, workers: WorkerHandle[]) {
    this.workers = workers;
    this.threads = workers.length + 1;
    this.ctrl = new Int32Array(memory.buffer, 0, 16);
    this.words = new Int32Array(memory.buffer, 0, TASKS.base / 4 + this.threads * (TASKS.stride / 4));
    this.blocking = canBlock(this.ctrl);
  }

  /**
   * Start `threads − 1` workers on `module` with the shared `memory` (the caller is the last
   * thread). Resolves once every worker has instantiated the module.
   *
   * @example
   * ```ts
   * const pool = await ThreadPool.start(module, memory, 2);
   * ```
   */
  static async start(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    threads: number,
  ): Promise<ThreadPool> {
    const start = isNode() ? startNodeWorker : startBrowserWorker;
    const seq0 = Atomics.load(new Int32Array(memory.buffer, 0, 16), CTRL.seq);
    const workers = await Promise.all(
      Array.from({ length: threads - 1 }, (_, i) => start({ module, memory, tid: i + 1, seq0 })),
    );
    return new ThreadPool(memory, workers);
  }

  /** Byte address of thread `tid`'s task slot. @example pool.taskAddress(0) */
  taskAddress(tid: number): number {
    return TASKS.base + tid * TASKS.stride;
  }

  /**
   * Run one round: every worker runs its slot (kind 0 = idle), the caller runs slot 0 with `run`,
   * then waits for all. Rethrows a trap from any thread after all have finished.
   *
   * @example
   * ```ts
   * pool.run((task) => exports.run(task));
   * ```
   */
  run(runTask: (task: number) => void): void {
    if (this.closed) throw new Error("the kernel thread pool is closed");
    const ctrl = this.ctrl;
    Atomics.store(ctrl, CTRL.error, 0);
    Atomics.store(ctrl, CTRL.pending, this.workers.length);
    Atomics.add(ctrl, CTRL.seq, 1);
    Atomics.notify(ctrl, CTRL.seq);
    let failure: unknown = null;
    try {
      if (this.words[TASKS.base >> 2] !== 0) runTask(TASKS.base);
    } catch (e) {
      failure = e;
    }
    let left = Atomics.load(ctrl, CTRL.pending);
    for (let i = 0; left !== 0 && i < SPIN; i++) left = Atomics.load(ctrl, CTRL.pending);
    while (left !== 0) {
      if (this.blocking) Atomics.wait(ctrl, CTRL.pending, left);
      left = Atomics.load(ctrl, CTRL.pending);
    }
    if (failure !== null) throw failure;
    if (Atomics.load(ctrl, CTRL.error) !== 0) throw new Error("a kernel worker thread trapped");
  }

  /**
   * Stop the workers: raise the stop flag, wake them, and terminate them.
   *
   * @example
   * ```ts
   * await pool.close();
   * ```
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctrl, CTRL.stop, 1);
    Atomics.add(this.ctrl, CTRL.seq, 1);
    Atomics.notify(this.ctrl, CTRL.seq);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

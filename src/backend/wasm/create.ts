/**
 * `createWasmBackend`: the WebAssembly SIMD backend, on as many threads as asked for.
 *
 * @example
 * ```ts
 * import * as tg from "tsgrad";
 * const wasm = await tg.createWasmBackend({ threads: 2 });
 * tg.setBackend(wasm);
 * tg.backend().name; // "wasm-simd(2 threads)"
 * ```
 * @module
 */

import type * as NodeOs from "node:os";
import type { Backend } from "../backend.js";
import type { GemmArgs } from "../js/gemm.js";
import { wasmGemm } from "./gemm.js";
import { WasmRuntime } from "./runtime.js";

/** Options for {@link createWasmBackend}. */
export interface WasmBackendOptions {
  /**
   * Threads to use, counting the calling thread; default: the machine's logical cores (at most
   * 16). Where shared memory is unavailable (no SharedArrayBuffer, or a page that is not
   * cross-origin isolated) the backend runs on one thread and its name says so.
   */
  threads?: number;
}

/** A backend running on the WebAssembly kernels; `dispose()` stops its worker threads. */
export interface WasmBackend extends Backend {
  /** Threads actually in use. */
  readonly threads: number;
  /** The loaded kernels, for the fused optimizer steps and tests. */
  readonly runtime: WasmRuntime;
  /** Stop the worker threads; afterwards the backend must not be used. */
  dispose(): Promise<void>;
}

function defaultThreads(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (nav?.hardwareConcurrency) return nav.hardwareConcurrency;
  const proc = globalThis as { process?: { versions?: { node?: string } } };
  return proc.process?.versions?.node ? nodeCores() : 1;
}

let cores = 1;
function nodeCores(): number {
  return cores;
}

async function detectNodeCores(): Promise<void> {
  const proc = globalThis as { process?: { versions?: { node?: string } } };
  if (!proc.process?.versions?.node) return;
  const specifier = "node:os";
  const os = (await import(/* @vite-ignore */ specifier)) as typeof NodeOs;
  cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/**
 * Load the WebAssembly SIMD kernels (async: compiling and starting workers is) and return a
 * {@link Backend} for `setBackend`. Its `name` reports the threads in use, e.g.
 * `wasm-simd(2 threads)`.
 *
 * @example
 * ```ts
 * const backend = await createWasmBackend({ threads: 2 });
 * tg.setBackend(backend);
 * // ... later, to let workers go before the process ends (they never keep it alive):
 * await backend.dispose();
 * ```
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  await detectNodeCores();
  const requested = options.threads ?? defaultThreads();
  if (!Number.isInteger(requested) || requested < 1) {
    throw new RangeError(
      `createWasmBackend: threads must be a positive integer, got ${String(options.threads)}`,
    );
  }
  const runtime = await WasmRuntime.create({ threads: Math.min(requested, 16) });
  const threads = runtime.threads;
  return Object.freeze({
    name: `wasm-simd(${threads} thread${threads === 1 ? "" : "s"})`,
    threads,
    runtime,
    gemm: (args: GemmArgs) => wasmGemm(runtime, args),
    dispose: () => runtime.close(),
  });
}

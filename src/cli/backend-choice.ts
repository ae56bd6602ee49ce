/**
 * Which compute backend a run uses: the WebAssembly SIMD backend when this build has it and it
 * loads, else the plain JavaScript one. The choice is recorded in the run's config, because a
 * resumed run must use the same kernels to continue bit for bit.
 *
 * @module
 */

import * as tg from "../index.js";
import { CliError } from "./cli-error.js";
import type { BackendName } from "./config.js";

/** A backend in use, and how to let it go. */
export interface ChosenBackend {
  /** `js` or `wasm`: what the config records. */
  kind: BackendName;
  /** The backend's own name (`js`, `wasm-simd(2 threads)`). */
  name: string;
  /** Stop its worker threads, if any. */
  dispose(): Promise<void>;
}

type WasmFactory = (options: { threads?: number }) => Promise<tg.Backend & { dispose?(): Promise<void> }>;

/**
 * Install the requested backend. An explicit `--backend wasm` that cannot load is an error; the
 * default falls back to `js`.
 *
 * @throws CliError when `wasm` was asked for explicitly and is unavailable.
 * @example
 * ```ts
 * const chosen = await useBackend("wasm", { explicit: false, threads: 1 });
 * chosen.kind; // "wasm" or "js"
 * ```
 */
export async function useBackend(
  requested: BackendName,
  options: { explicit: boolean; threads?: number },
): Promise<ChosenBackend> {
  if (requested === "wasm") {
    const factory = (tg as unknown as { createWasmBackend?: WasmFactory }).createWasmBackend;
    let problem = "this build of tsgrad has no WebAssembly backend";
    if (typeof factory === "function") {
      try {
        const wasm = await factory(options.threads === undefined ? {} : { threads: options.threads });
        tg.setBackend(wasm);
        return {
          kind: "wasm",
          name: wasm.name,
          dispose: async () => (tg.setBackend(tg.jsBackend), await wasm.dispose?.()),
        };
      } catch (e) {
        problem = `the WebAssembly backend did not load (${(e as Error).message})`;
      }
    }
    if (options.explicit) throw new CliError(`--backend wasm: ${problem}; use --backend js`);
  }
  tg.setBackend(tg.jsBackend);
  return { kind: "js", name: tg.jsBackend.name, dispose: async () => {} };
}

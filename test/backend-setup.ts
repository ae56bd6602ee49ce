/**
 * Vitest setup that runs a whole suite on a chosen backend: `TSGRAD_BACKEND=wasm` (one thread per
 * core) or `wasm:N` (N threads) selects the WebAssembly backend before every test file, and
 * `TSGRAD_WASM_PARALLEL_MIN_FLOPS=0` makes even tiny products split across the threads. Used by
 * `npm run test:wasm` (vitest.wasm.config.ts); without the variable it does nothing.
 *
 * @example
 * ```sh
 * TSGRAD_BACKEND=wasm:2 npx vitest run --config vitest.wasm.config.ts test/ops.test.ts
 * ```
 */
import { afterAll, beforeAll } from "vitest";
import { jsBackend, setBackend } from "../src/backend/backend.js";
import { gemmTuning } from "../src/backend/wasm/gemm.js";
import { createWasmBackend, type WasmBackend } from "../src/backend/wasm/index.js";

const choice = process.env.TSGRAD_BACKEND ?? "";
let created: WasmBackend | null = null;

beforeAll(async () => {
  if (!choice.startsWith("wasm")) return;
  const threads = choice.includes(":") ? Number(choice.split(":")[1]) : undefined;
  const minFlops = process.env.TSGRAD_WASM_PARALLEL_MIN_FLOPS;
  if (minFlops !== undefined) gemmTuning.parallelMinFlops = Number(minFlops);
  created = await createWasmBackend(threads === undefined ? {} : { threads });
  setBackend(created);
});

afterAll(async () => {
  if (!created) return;
  setBackend(jsBackend);
  await created.dispose();
  created = null;
});

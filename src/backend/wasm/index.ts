/**
 * The WebAssembly SIMD backend: packed, register-blocked matmul kernels for float32 and float64
 * on a pool of worker threads sharing memory, and fused optimizer steps over a flat arena.
 *
 * @example
 * ```ts
 * import { createWasmBackend } from "./backend/wasm/index.js";
 * tg.setBackend(await createWasmBackend({ threads: 2 }));
 * ```
 * @module
 */

export { createWasmBackend, type WasmBackend, type WasmBackendOptions } from "./create.js";

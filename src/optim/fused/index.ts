/**
 * Fused optimizer steps on the WebAssembly backend (SGD, Adam, AdamW): one SIMD pass per
 * parameter group over a flat arena of parameters, gradients and state.
 *
 * @example
 * ```ts
 * import { fuseOptimizer } from "./optim/fused/index.js";
 * fuseOptimizer(opt, await createWasmBackend({ threads: 2 }));
 * ```
 * @module
 */

export { fuseOptimizer, type FusedOptimizer, type FuseOptions } from "./fuse-optimizer.js";

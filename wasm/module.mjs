// The whole kernel module as WebAssembly text: GEMM for f32 and f64, the fused optimizer steps,
// and one `run(task)` entry point that dispatches on the task's kind, so a worker thread needs to
// know nothing but a task address.
import { GEMM_TYPES, gemmFunctions } from "./gemm.mjs";
import { OPTIM_KINDS, optimFunctions } from "./optim.mjs";

/** Task kinds (the first i32 of a task). */
export const KINDS = { gemmF32: 1, gemmF64: 2, ...OPTIM_KINDS };

/** Memory limits in 64 KiB pages: the maximum is what a shared memory reserves up front. */
export const MEMORY = { initialPages: 256, maximumPages: 65536 };

/**
 * The module text. `shared` chooses the memory import: a shared memory (threads) or an ordinary
 * one (where SharedArrayBuffer is unavailable). Nothing else differs: the kernels use no atomics;
 * JS does the synchronisation with Atomics on a view of the same memory.
 */
export function moduleText({ shared }) {
  const dispatch = Object.entries(KINDS)
    .map(([name, kind]) => {
      const fn = name === "gemmF32" ? "$gemm_f32" : name === "gemmF64" ? "$gemm_f64" : `$${name}`;
      return `(if (i32.eq (local.get $kind) (i32.const ${kind})) (then (call ${fn} (local.get $task)) (return)))`;
    })
    .join("\n");
  return `(module
  (import "env" "memory" (memory ${MEMORY.initialPages} ${MEMORY.maximumPages}${shared ? " shared" : ""}))
  ${gemmFunctions(GEMM_TYPES.f32)}
  ${gemmFunctions(GEMM_TYPES.f64)}
  ${optimFunctions()}
  (func (export "run") (param $task i32) (local $kind i32)
    (local.set $kind (i32.load (local.get $task)))
    ${dispatch}
    unreachable))
`;
}

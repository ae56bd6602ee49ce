import { gemmJs, type GemmArgs } from "./js/gemm.js";

/**
 * The compute-bound kernels a backend provides. Memory-bound work (elementwise ops, optimizer
 * steps) stays in plain JS loops; a backend swaps in faster matmul and convolution without any
 * change to the tensor API. Backends are plain objects chosen explicitly with {@link setBackend}.
 *
 * @example
 * ```ts
 * tg.backend().name; // "js"
 * ```
 */
export interface Backend {
  /** A short name shown by `tg.backend()`. */
  readonly name: string;
  /** Batched strided matrix product; see {@link GemmArgs}. */
  gemm(args: GemmArgs): void;
}

/** The pure-JS backend, always available. @example tg.setBackend(tg.jsBackend) */
export const jsBackend: Backend = Object.freeze({ name: "js", gemm: gemmJs });

let current: Backend = jsBackend;

/** The backend in use. @example console.log(tg.backend().name) */
export function backend(): Backend {
  return current;
}

/** Choose the backend used by matmul and convolution from now on. @example tg.setBackend(tg.jsBackend) */
export function setBackend(next: Backend): void {
  if (!next || typeof next.gemm !== "function") throw new TypeError("setBackend expects a Backend object");
  current = next;
}

export type { GemmArgs };

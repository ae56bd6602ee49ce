/**
 * Fused optimizer steps on the WebAssembly kernels, at the typed-array level: a
 * {@link KernelArena} is a block of kernel memory holding `regions` equally long flat arrays
 * (parameters, gradients, then state buffers), and {@link fusedStep} runs one SIMD pass of SGD or
 * Adam/AdamW over a range of it, split across the threads. The optimizer-level glue (which
 * parameters live where, when the fast path applies) is `src/optim/fused/`.
 *
 * @example
 * ```ts
 * const arena = new KernelArena(runtime, "float32", 1000, 4); // p, g, exp_avg, exp_avg_sq
 * fusedStep(runtime, arena, "adam", 0, 1000, flags, hyper);
 * ```
 * @module
 */

import type { FloatBuffer } from "../layout.js";
import { LAYOUT } from "./generated/kernels.js";
import { alignUp, type WasmRuntime } from "./runtime.js";

/** Element types an arena can hold. */
export type ArenaDtype = "float32" | "float64";

/** The fused kernels. */
export type FusedKind = "sgd" | "adam" | "adagrad" | "rmsprop" | "copy";

/**
 * Flag bits per kernel (OR them into `flags`).
 * @example let flags = FUSED_FLAGS.sgd.momentum; if (nesterov) flags |= FUSED_FLAGS.sgd.nesterov;
 */
export const FUSED_FLAGS = LAYOUT.optimFlags;

/**
 * Hyperparameter slots per kernel (index into the `hyper` array).
 * @example hyper[FUSED_HYPER.sgd.negLr] = round(-lr); // the slot the SGD kernel reads −lr from
 */
export const FUSED_HYPER = LAYOUT.optimHyper;

/**
 * Ranges shorter than this run on one thread (waking workers costs more than it saves).
 * @example fusedTuning.parallelMinElements = 0; // split even small parameter groups across threads
 */
export const fusedTuning = { parallelMinElements: 1 << 16 };

/**
 * A block of kernel memory holding `regions` flat arrays of `length` elements each, every region
 * 64-byte aligned. Views are remade when an unshared memory grows (its buffer is then replaced);
 * `onViews` lets the owner re-point tensors at the new views.
 * @example
 * ```ts
 * const arena = new KernelArena(rt, "float32", n, 4); // params, grads, exp_avg, exp_avg_sq
 * arena.onViews = () => repointTensors(arena.views); // an unshared memory grew
 * arena.release();
 * ```
 */
export class KernelArena {
  readonly dtype: ArenaDtype;
  readonly length: number;
  readonly regions: number;
  /** Byte address of each region. */
  readonly addresses: readonly number[];
  /** One typed-array view per region. */
  views: FloatBuffer[] = [];
  private readonly bytesPerRegion: number;
  private readonly base: number;
  private readonly unsubscribe: () => void;
  private released = false;
  /** Called after the views were remade. */
  onViews: (() => void) | null = null;

  /**
   * @throws RangeError when the kernel memory cannot hold the arena.
   */
  constructor(
    readonly runtime: WasmRuntime,
    dtype: ArenaDtype,
    length: number,
    regions: number,
  ) {
    this.dtype = dtype;
    this.length = length;
    this.regions = regions;
    const es = dtype === "float32" ? 4 : 8;
    this.bytesPerRegion = alignUp(length * es);
    const base = runtime.allocate(this.bytesPerRegion * regions);
    if (base === null) {
      throw new RangeError(
        `the WebAssembly memory cannot hold an arena of ${regions} × ${length} ${dtype} values`,
      );
    }
    this.base = base;
    this.addresses = Array.from({ length: regions }, (_, r) => base + r * this.bytesPerRegion);
    this.makeViews();
    this.unsubscribe = runtime.onGrow(() => {
      if (this.views[0]?.length !== this.length) {
        this.makeViews();
        this.onViews?.();
      }
    });
  }

  private makeViews(): void {
    const buffer = this.runtime.memory.buffer;
    const C = this.dtype === "float32" ? Float32Array : Float64Array;
    this.views = this.addresses.map((at) => new C(buffer, at, this.length));
  }

  /** Give the memory back to the runtime; the views must not be used afterwards. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.unsubscribe();
    this.runtime.release(this.base, this.bytesPerRegion * this.regions);
  }
}

/**
 * Run one fused step over elements [lo, hi) of `arena`: regions 0 and 1 are the parameters and
 * gradients, 2.. the state buffers, handed to the kernel's state slots s1..s3 by `slots` (region
 * index per slot, default 2, 3, 4; SGD: momentum buffer; Adam: exp_avg, exp_avg_sq,
 * max_exp_avg_sq; Adagrad: sum; RMSprop: square_avg, momentum_buffer, grad_avg); "copy" copies
 * region 1 into region 0 (the bandwidth probe). `flags` and `hyper` follow {@link FUSED_FLAGS} / {@link FUSED_HYPER}; hyper
 * values must already be rounded to the arena's dtype. `exactFma` (float32 only) emulates
 * PyTorch's fused multiply-adds exactly, so results are bit-identical to the reference loop;
 * otherwise each such product is rounded before the add.
 *
 * @example
 * ```ts
 * fusedStep(rt, arena, "sgd", 0, arena.length, FUSED_FLAGS.sgd.momentum, [0, 0.9, 1, -0.1]);
 * ```
 */
export function fusedStep(
  rt: WasmRuntime,
  arena: KernelArena,
  kind: FusedKind,
  lo: number,
  hi: number,
  flags: number,
  hyper: ArrayLike<number>,
  exactFma = false,
  slots: readonly (number | null)[] = [2, 3, 4],
): void {
  if (hi <= lo) return;
  const f32 = arena.dtype === "float32";
  const kinds = LAYOUT.kinds;
  const codes = {
    sgd: f32 ? (exactFma ? kinds.sgdF32Exact : kinds.sgdF32) : kinds.sgdF64,
    adam: f32 ? (exactFma ? kinds.adamF32Exact : kinds.adamF32) : kinds.adamF64,
    adagrad: f32 ? (exactFma ? kinds.adagradF32Exact : kinds.adagradF32) : kinds.adagradF64,
    rmsprop: f32 ? (exactFma ? kinds.rmspropF32Exact : kinds.rmspropF32) : kinds.rmspropF64,
    copy: f32 ? kinds.copyF32 : kinds.copyF64,
  };
  const slot = (i: number): number => {
    const r = slots[i];
    return r === null || r === undefined ? 0 : (a[r] ?? 0);
  };
  const code = codes[kind];
  const a = arena.addresses;
  const n = hi - lo;
  const parts = n >= fusedTuning.parallelMinElements ? rt.threads : 1;
  const T = LAYOUT.optimTask;
  const i32 = rt.i32;
  const f64 = rt.f64;
  rt.clearTasks();
  for (let t = 0; t < parts; t++) {
    // Split on 16-element boundaries so threads never share a cache line.
    const start = t === 0 ? lo : lo + Math.floor((t * n) / parts / 16) * 16;
    const end = t === parts - 1 ? hi : lo + Math.floor(((t + 1) * n) / parts / 16) * 16;
    const s = rt.task(t) >> 2;
    i32[s] = end > start ? code : 0;
    i32[s + T.lo] = start;
    i32[s + T.hi] = end;
    i32[s + T.p] = a[0] as number;
    i32[s + T.g] = a[1] as number;
    i32[s + T.s1] = slot(0);
    i32[s + T.s2] = slot(1);
    i32[s + T.s3] = slot(2);
    i32[s + T.flags] = flags;
    const h = (rt.task(t) + T.hyper) >> 3;
    for (let i = 0; i < hyper.length; i++) f64[h + i] = hyper[i] as number;
  }
  rt.runTasks();
}

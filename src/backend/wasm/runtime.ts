/**
 * The loaded kernel module: its memory, the exported `run(task)` entry, the memory map (control
 * words, task slots, one packing workspace per thread, then a scratch region for operands) and,
 * with more than one thread, the {@link ThreadPool} that shares the memory.
 *
 * @example
 * ```ts
 * const rt = await WasmRuntime.create({ threads: 2 });
 * rt.threads; // 2 where SharedArrayBuffer is available, else 1
 * ```
 * @module
 */

import { ThreadPool } from "../threads/pool.js";
import { TASKS } from "../threads/worker-source.js";
import { KERNELS_PLAIN, KERNELS_SHARED, LAYOUT } from "./generated/kernels.js";

const PAGE = 65536;
const ALIGN = 64;

/**
 * Round `x` up to a multiple of `to`.
 * @example alignUp(100); // 128 (multiples of 64 bytes); alignUp(100, 16) is 112
 */
export function alignUp(x: number, to = ALIGN): number {
  return Math.ceil(x / to) * to;
}

/** Base64 to bytes without Node's Buffer, so the loader also runs in browsers. */
function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Whether shared WebAssembly memory (and so worker threads) can be used here.
 * @example const shared = threads > 1 && sharedMemoryAvailable(); // otherwise run on one thread
 */
export function sharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer === "undefined" || typeof Atomics === "undefined") return false;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (isolated === false) return false;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

function createMemory(shared: boolean): WebAssembly.Memory {
  const { initialPages, maximumPages } = LAYOUT.memory;
  // A shared memory reserves its maximum up front: 4 GiB of address space on 64-bit hosts; a
  // 32-bit host refuses that, so fall back to smaller reservations.
  for (const maximum of [maximumPages, 16384, 4096]) {
    try {
      return new WebAssembly.Memory({ initial: initialPages, maximum, shared });
    } catch (e) {
      if (maximum === 4096) throw e;
    }
  }
  throw new Error("unreachable");
}

/** Options for {@link WasmRuntime.create}. */
export interface RuntimeOptions {
  /** Threads to use, counting the caller (1 = no workers). */
  threads: number;
}

/**
 * The kernel module instantiated on its memory, with its worker pool.
 * @example
 * ```ts
 * const rt = await WasmRuntime.create({ threads: 2 });
 * const at = rt.allocate(4 * 1000); // 1000 float32 values no kernel call overwrites
 * rt.f32.set(values, at >> 2);
 * await rt.close();
 * ```
 */
export class WasmRuntime {
  /** Threads that run kernel tasks (1 when shared memory is unavailable). */
  readonly threads: number;
  /** Whether the memory is shared with worker threads. */
  readonly shared: boolean;
  readonly memory: WebAssembly.Memory;
  /** Bytes of packing workspace per thread (the largest any kernel needs). */
  readonly workspaceBytes: number;
  /** End of the workspaces: persistent blocks (arenas) are allocated from here. */
  private readonly persistentBase: number;
  /** End of the persistent blocks; the scratch region for operands starts here. */
  private persistentEnd: number;
  /** Freed persistent blocks, reused first-fit: address → bytes. */
  private readonly freeBlocks = new Map<number, number>();
  /** Called after the memory grows (views over an unshared memory must then be remade). */
  private readonly growListeners = new Set<() => void>();
  private readonly runExport: (task: number) => void;
  private readonly pool: ThreadPool | null;
  /** Views over the whole memory, refreshed after the memory grows. */
  i32!: Int32Array;
  f32!: Float32Array;
  f64!: Float64Array;
  u8!: Uint8Array;

  private constructor(memory: WebAssembly.Memory, instance: WebAssembly.Instance, pool: ThreadPool | null) {
    this.memory = memory;
    this.pool = pool;
    this.threads = pool ? pool.threads : 1;
    this.shared = pool !== null;
    this.runExport = instance.exports.run as (task: number) => void;
    this.workspaceBytes = alignUp(Math.max(LAYOUT.gemm.f32.workspaceBytes, LAYOUT.gemm.f64.workspaceBytes));
    this.persistentBase = alignUp(TASKS.base + 64 * TASKS.stride) + this.threads * this.workspaceBytes;
    this.persistentEnd = this.persistentBase;
    this.refreshViews();
  }

  /**
   * Compile and instantiate the kernels with `threads` threads (falling back to one where shared
   * memory is unavailable).
   *
   * @example
   * ```ts
   * const rt = await WasmRuntime.create({ threads: 1 });
   * ```
   */
  static async create({ threads }: RuntimeOptions): Promise<WasmRuntime> {
    const shared = threads > 1 && sharedMemoryAvailable();
    const module = await WebAssembly.compile(decodeBase64(shared ? KERNELS_SHARED : KERNELS_PLAIN));
    const memory = createMemory(shared);
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const pool = shared ? await ThreadPool.start(module, memory, threads) : null;
    return new WasmRuntime(memory, instance, pool);
  }

  private refreshViews(): void {
    const b = this.memory.buffer;
    this.i32 = new Int32Array(b);
    this.f32 = new Float32Array(b);
    this.f64 = new Float64Array(b);
    this.u8 = new Uint8Array(b);
  }

  /** Start of the scratch region for operands (reused by every call). */
  get scratchBase(): number {
    return this.persistentEnd;
  }

  /**
   * Reserve `bytes` of memory that no kernel call overwrites (an optimizer arena), or null when
   * the memory cannot grow that far. Free it with {@link release}.
   *
   * @example
   * ```ts
   * const at = rt.allocate(4 * 1000);
   * ```
   */
  allocate(bytes: number): number | null {
    const size = alignUp(Math.max(bytes, 1));
    for (const [at, free] of this.freeBlocks) {
      if (free >= size) {
        this.freeBlocks.delete(at);
        if (free > size) this.freeBlocks.set(at + size, free - size);
        return at;
      }
    }
    const at = this.persistentEnd;
    if (!this.ensure(at + size)) return null;
    this.persistentEnd = at + size;
    return at;
  }

  /** Return a block from {@link allocate}. @example rt.release(at, 4000) */
  release(at: number, bytes: number): void {
    const size = alignUp(Math.max(bytes, 1));
    if (at + size === this.persistentEnd) this.persistentEnd = at;
    else this.freeBlocks.set(at, size);
  }

  /** Call `listener` after every growth of the memory; returns an unsubscribe function. */
  onGrow(listener: () => void): () => void {
    this.growListeners.add(listener);
    return () => this.growListeners.delete(listener);
  }

  /** Largest byte size the memory can grow to. */
  get maxBytes(): number {
    return (LAYOUT.memory.maximumPages - 1) * PAGE;
  }

  /**
   * Make the memory at least `bytes` long; false if that exceeds what it may grow to.
   *
   * @example
   * ```ts
   * rt.ensure(rt.scratchBase + 1 << 20);
   * ```
   */
  ensure(bytes: number): boolean {
    let have = this.memory.buffer.byteLength;
    if (bytes > have) {
      if (bytes > this.maxBytes) return false;
      const want = Math.min(Math.max(bytes, have + (have >> 1)), this.maxBytes);
      try {
        this.memory.grow(Math.ceil((want - have) / PAGE));
      } catch {
        try {
          this.memory.grow(Math.ceil((bytes - have) / PAGE));
        } catch {
          return false;
        }
      }
      have = this.memory.buffer.byteLength;
    }
    if (this.u8.length !== have) {
      this.refreshViews();
      for (const listener of this.growListeners) listener();
    }
    return true;
  }

  /** Byte address of thread `tid`'s task slot. @example rt.task(0) */
  task(tid: number): number {
    return TASKS.base + tid * TASKS.stride;
  }

  /** Byte address of thread `tid`'s packing workspace. @example rt.workspace(1) */
  workspace(tid: number): number {
    return alignUp(TASKS.base + 64 * TASKS.stride) + tid * this.workspaceBytes;
  }

  /** Mark every task slot idle. @example rt.clearTasks() */
  clearTasks(): void {
    for (let t = 0; t < this.threads; t++) this.i32[this.task(t) >> 2] = 0;
  }

  /**
   * Run the filled task slots: slot 0 on this thread, the others on the workers, and wait.
   *
   * @example
   * ```ts
   * rt.clearTasks(); // ...fill slots...; rt.runTasks();
   * ```
   */
  runTasks(): void {
    if (this.pool) this.pool.run(this.runExport);
    else if (this.i32[this.task(0) >> 2] !== 0) this.runExport(this.task(0));
  }

  /** Stop the worker threads (the runtime stays usable on this thread only if it had none). */
  async close(): Promise<void> {
    if (this.pool) await this.pool.close();
  }
}

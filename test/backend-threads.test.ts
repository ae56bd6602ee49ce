/**
 * The worker pool's lifecycle, in child processes running the built package (`npm test` builds
 * first): worker threads never keep a process alive, a pool shuts down cleanly on dispose, and
 * the backend falls back to one thread where SharedArrayBuffer is missing.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

function runModule(code: string): { status: number | null; stdout: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], {
    cwd: root,
    encoding: "utf8",
    timeout: 30_000,
  });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return { status: r.status, stdout: r.stdout, ms: Date.now() - t0 };
}

const product = `
const { createWasmBackend } = await import("./dist/backend/wasm/index.js");
const be = await createWasmBackend({ threads: 2 });
const n = 200, a = new Float32Array(n * n).fill(1), out = new Float32Array(n * n);
be.gemm({ m: n, n, k: n, a, aOffsets: [0], aRowStride: n, aColStride: 1, b: a, bOffsets: [0], bRowStride: n, bColStride: 1, out, outOffsets: [0] });
console.log(be.name, out[0], out[n * n - 1]);
`;

describe("wasm worker pool lifecycle", () => {
  it("does not keep the process alive after work, without dispose", () => {
    const r = runModule(product);
    expect(r.stdout.trim()).toBe("wasm-simd(2 threads) 200 200");
    expect(r.ms).toBeLessThan(20_000);
  });

  it("shuts down cleanly on dispose and refuses work afterwards", () => {
    const r = runModule(`${product}
await be.dispose();
try { be.gemm({ m: n, n, k: n, a, aOffsets: [0], aRowStride: n, aColStride: 1, b: a, bOffsets: [0], bRowStride: n, bColStride: 1, out, outOffsets: [0] }); console.log("ran"); }
catch (e) { console.log("refused:", e.message); }`);
    expect(r.stdout.trim().split("\n")).toEqual([
      "wasm-simd(2 threads) 200 200",
      "refused: the kernel thread pool is closed",
    ]);
  });

  it("falls back to one thread without SharedArrayBuffer", () => {
    const r = runModule(`delete globalThis.SharedArrayBuffer;
${product}`);
    expect(r.stdout.trim()).toBe("wasm-simd(1 thread) 200 200");
  });
});

/**
 * The WebAssembly backend in a real browser (Debian's Chromium, headless, through playwright-core,
 * as test/report.test.ts): the built modules are served from 127.0.0.1 by a throwaway HTTP server.
 * With COOP/COEP headers the page is cross-origin isolated, so the backend starts worker threads
 * (Blob-URL workers sharing a WebAssembly.Memory) and the main thread, which may not block, spins;
 * without them SharedArrayBuffer is missing and the backend runs on one thread. Both must agree
 * with the JS reference GEMM.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-wasm-browser-"));

// The page: f32 and f64 products in every transpose layout on the wasm backend vs the JS GEMM.
const PAGE = `<!doctype html><meta charset="utf-8"><title>wasm backend</title><script type="module">
import { createWasmBackend } from "/dist/backend/wasm/index.js";
import { gemmJs } from "/dist/backend/js/gemm.js";
import { gemmTuning } from "/dist/backend/wasm/gemm.js";
gemmTuning.parallelMinFlops = 0;
const result = { isolated: self.crossOriginIsolated, checks: [] };
try {
  const be = await createWasmBackend({ threads: 2 });
  result.name = be.name;
  let seed = 1;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  for (const C of [Float32Array, Float64Array]) {
    for (const [ta, tb] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
      const m = 37, n = 45, k = 300;
      const a = C.from({ length: m * k }, rand), b = C.from({ length: k * n }, rand);
      const args = { m, n, k, a, aOffsets: [0], aRowStride: ta ? 1 : k, aColStride: ta ? m : 1,
        b, bOffsets: [0], bRowStride: tb ? 1 : n, bColStride: tb ? k : 1, outOffsets: [0] };
      const got = new C(m * n), want = new C(m * n);
      be.gemm({ ...args, out: got });
      gemmJs({ ...args, out: want });
      let err = 0;
      for (let i = 0; i < m * n; i++) err = Math.max(err, Math.abs(got[i] - want[i]));
      result.checks.push({ dtype: C.name, ta, tb, err });
    }
  }
  await be.dispose();
} catch (e) {
  result.error = String(e && e.stack || e);
}
window.RESULT = result;
document.body.dataset.ready = "1";
</script><body></body>`;

let server: http.Server;
let base = "";
let browser: BrowserContext;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const isolate = url.searchParams.get("isolate") === "1";
    const headers: Record<string, string> = isolate
      ? { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" }
      : {};
    if (url.pathname === "/page.html") {
      res.writeHead(200, { ...headers, "Content-Type": "text/html" }).end(PAGE);
      return;
    }
    const file = path.join(root, path.normalize(url.pathname));
    if (!file.startsWith(path.join(root, "dist")) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, {
        ...headers,
        "Content-Type": "text/javascript",
        "Cross-Origin-Resource-Policy": "same-origin",
      })
      .end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  expect(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`).toBe(
    true,
  );
  browser = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(tmp, "profile-")), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface PageResult {
  isolated: boolean;
  name?: string;
  error?: string;
  checks: Array<{ dtype: string; ta: number; tb: number; err: number }>;
}

async function load(isolate: boolean): Promise<PageResult> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().includes("404")) errors.push(`console.error: ${m.text()}`);
  });
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
  page.on("response", (r) => {
    if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(`${base}/page.html?isolate=${isolate ? 1 : 0}`);
  try {
    await page.waitForSelector("body[data-ready='1']", { state: "attached", timeout: 30_000 });
  } catch (e) {
    throw new Error(`page did not finish: ${errors.join("; ")}`, { cause: e });
  }
  const result = (await page.evaluate("window.RESULT")) as PageResult;
  await page.close();
  expect(errors).toEqual([]);
  expect(result.error).toBeUndefined();
  return result;
}

function expectAccurate(r: PageResult): void {
  expect(r.checks).toHaveLength(8);
  for (const c of r.checks) {
    // f64 is bit-identical to the JS reference; f32 within k·2⁻²⁴·Σ|a||b| ≤ 300·2⁻²⁴·300.
    expect(c.err, `${c.dtype} ta=${c.ta} tb=${c.tb}`).toBeLessThanOrEqual(
      c.dtype === "Float64Array" ? 0 : 300 * 300 * 2 ** -24,
    );
  }
}

describe("wasm backend in Chromium", () => {
  it("runs on two threads in a cross-origin isolated page", async () => {
    const r = await load(true);
    expect(r.isolated).toBe(true);
    expect(r.name).toBe("wasm-simd(2 threads)");
    expectAccurate(r);
  });

  it("falls back to one thread without cross-origin isolation", async () => {
    const r = await load(false);
    expect(r.isolated).toBe(false);
    expect(r.name).toBe("wasm-simd(1 thread)");
    expectAccurate(r);
  });
});

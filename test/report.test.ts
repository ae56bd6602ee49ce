import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";

// The sweep's report.html rendered by a real browser: Debian's Chromium (installed by .ci/run),
// headless, offline, through playwright-core. A screenshot is saved to out/ (git-ignored).
const root = fileURLToPath(new URL("..", import.meta.url));
const MAIN = path.join(root, "dist", "cli", "main.js");
const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOT = path.join(root, "out", "report.png");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-report-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface ChartInfo {
  id: string;
  datasets: number;
  points: number[];
}

describe("report.html", () => {
  it("renders every chart with data in headless Chromium, offline", async () => {
    const out = path.join(tmp, "sweep");
    const r = spawnSync(
      process.execPath,
      [
        MAIN,
        "sweep",
        "--weight-decays",
        "0,1e-2",
        "--epochs",
        "2",
        "--train-size",
        "384",
        "--test-size",
        "128",
        "--out",
        out,
      ],
      { cwd: tmp, encoding: "utf8", env: { ...process.env, CI: "1" } },
    );
    expect(r.status, r.stderr).toBe(0);
    const report = path.join(out, "report.html");
    const html = fs.readFileSync(report, "utf8");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/); // self-contained

    expect(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`).toBe(
      true,
    );
    const profile = fs.mkdtempSync(path.join(tmp, "profile-"));
    // A fresh profile directory each run (playwright passes it as --user-data-dir).
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1280, height: 1000 },
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("request", (req) => requests.push(req.url()));
      await page.goto(pathToFileURL(report).href);
      await page.waitForSelector("body[data-ready='1']", { timeout: 30_000 });
      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith("file:"))).toEqual([]);

      const charts = (await page.evaluate(
        () => (window as unknown as { tsgradCharts: unknown }).tsgradCharts,
      )) as ChartInfo[];
      const canvases = await page.locator("canvas[data-chart]").count();
      // Test accuracy against weight decay, then loss curves and weight norms per optimizer.
      expect(charts.map((c) => c.id).sort()).toEqual(["acc-vs-wd", "loss-0", "loss-1", "norm-0", "norm-1"]);
      expect(canvases).toBe(charts.length);
      for (const c of charts) {
        expect(c.datasets, c.id).toBeGreaterThan(0);
        for (const n of c.points) expect(n, c.id).toBeGreaterThan(0);
      }
      const byId = Object.fromEntries(charts.map((c) => [c.id, c]));
      expect(byId["acc-vs-wd"]!.datasets).toBe(2); // sgd, adamw
      expect(byId["acc-vs-wd"]!.points).toEqual([2, 2]); // two weight decays each
      expect(byId["loss-0"]!.datasets).toBe(4); // train and test curves for two weight decays
      expect(byId["loss-0"]!.points.filter((_, i) => i % 2 === 1)).toEqual([2, 2]); // test loss per epoch
      expect(byId["norm-0"]!.datasets).toBe(4); // decayed and excluded for two weight decays
      // Each chart drew something: the canvas is not blank.
      for (const c of charts) {
        const inked = await page.evaluate((id) => {
          const canvas = document.querySelector(`canvas[data-chart="${id}"]`) as HTMLCanvasElement;
          const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
          let n = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
          return n;
        }, c.id);
        expect(inked, c.id).toBeGreaterThan(1000);
      }
      // Configurations and the explain text of every run.
      const runs = await page.locator("details.run").count();
      expect(runs).toBe(4);
      const text = await page.locator("body").innerText();
      expect(text).toContain("What the optimizer does (tsgrad explain)");
      const explains = await page.locator("pre.explain").allTextContents();
      expect(explains).toHaveLength(4);
      expect(
        explains.filter((t) => t.includes("(coupled weight decay: added to the gradient)")),
      ).toHaveLength(1); // sgd, wd 1e-2
      expect(explains.filter((t) => t.includes("(decoupled weight decay, before the update"))).toHaveLength(
        1,
      ); // adamw, wd 1e-2
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: false });
      expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  }, 180_000);
});

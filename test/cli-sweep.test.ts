import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// `tsgrad sweep` on a small grid, through the built command (npm test builds dist/ first).
const root = fileURLToPath(new URL("..", import.meta.url));
const MAIN = path.join(root, "dist", "cli", "main.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-sweep-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface RunResult {
  id: string;
  summary: {
    status: string;
    config: { optimizer: string; weightDecay: number; noDecay: unknown; epochs: number };
    final: { testAcc: number; normDecayed: number; normExcluded: number } | null;
    decay: Array<{ name: string; decayed: boolean }>;
    explain: string;
  };
}

describe("tsgrad sweep", () => {
  it("trains optimizers × weight decays × no-decay rules in worker threads and reports them", () => {
    const out = path.join(tmp, "grid");
    const weightDecays = [0, 0.05];
    const args = [
      "sweep",
      "--optimizers",
      "sgd:lr=0.05:momentum=0.9",
      "adamw:lr=0.001",
      "--weight-decays",
      weightDecays.join(","),
      "--no-decay",
      "auto",
      "none",
      "--epochs",
      "1",
      "--train-size",
      "512",
      "--test-size",
      "128",
      "--batch-size",
      "64",
      "--jobs",
      "2",
      "--out",
      out,
    ];
    const r = spawnSync(process.execPath, [MAIN, ...args], {
      cwd: tmp,
      encoding: "utf8",
      env: { ...process.env, CI: "1" },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Sweep of 8 runs .* on 2 worker threads/);

    const { results } = JSON.parse(fs.readFileSync(path.join(out, "results.json"), "utf8")) as {
      results: RunResult[];
    };
    expect(results).toHaveLength(8);
    const grid = results.map((x) => [
      x.summary.config.optimizer,
      x.summary.config.weightDecay,
      x.summary.config.noDecay,
    ]);
    for (const opt of ["sgd", "adamw"]) {
      for (const rule of ["auto", "none"]) {
        for (const wd of weightDecays) expect(grid).toContainEqual([opt, wd, rule]);
      }
    }
    for (const x of results) {
      expect(x.summary.status).toBe("finished");
      expect(x.summary.final).not.toBeNull();
      for (const f of [
        "config.json",
        "metrics.jsonl",
        "checkpoint.safetensors",
        "model.safetensors",
        "summary.json",
        "explain.txt",
      ]) {
        expect(fs.existsSync(path.join(out, "runs", x.id, f)), `${x.id}/${f}`).toBe(true);
      }
      // auto keeps the biases out of decay; none decays every parameter.
      const excluded = x.summary.decay.filter((d) => !d.decayed).map((d) => d.name);
      expect(excluded).toEqual(x.summary.config.noDecay === "auto" ? ["1.bias", "3.bias"] : []);
      expect(x.summary.explain).toContain(x.summary.config.optimizer === "sgd" ? "SGD" : "AdamW");
    }
    // With decay on the weights, SGD's coupled decay leaves them smaller than without.
    const norm = (wd: number) =>
      results.find(
        (x) =>
          x.summary.config.optimizer === "sgd" &&
          x.summary.config.weightDecay === wd &&
          x.summary.config.noDecay === "auto",
      )!.summary.final!.normDecayed;
    expect(norm(0.05)).toBeLessThan(norm(0));

    // The table: a header, a rule, one row per run, printed and saved.
    const table = fs.readFileSync(path.join(out, "results.txt"), "utf8").trimEnd().split("\n");
    expect(table[0]).toMatch(
      /optimizer\s+weight decay\s+no-decay\s+train loss\s+train acc\s+test loss\s+test acc\s+\|θ\| decayed\s+\|θ\| excluded\s+time/,
    );
    const blank = table.indexOf("");
    expect(blank).toBe(2 + 8);
    // Then one finding per optimizer and rule.
    const notes = table.slice(blank + 1);
    expect(notes).toHaveLength(4);
    for (const n of notes)
      expect(n).toMatch(/^(sgd|adamw) \(no-decay (auto|none)\): best test accuracy [\d.]+% at weight decay /);
    for (const x of results) expect(r.stdout).toContain(x.id);
    expect(fs.existsSync(path.join(out, "report.html"))).toBe(true);
    expect(r.stdout).toContain(`Report: ${path.join(out, "report.html")}`);
  }, 180_000);
});

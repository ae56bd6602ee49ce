import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadFixture } from "./helpers/fixtures.js";

// The seed thread's three experiments, run as the example scripts (through the built package's
// public API), must print exactly what the PyTorch + numpy originals print
// (scripts/fixtures/seed_thread/*.py, recorded by scripts/fixtures/seed_thread.py).
const fixture = loadFixture<{ outputs: Record<string, string> }>("seed-thread");
const root = fileURLToPath(new URL("..", import.meta.url));

const examples: Record<string, string> = {
  experiment1: "examples/seed-thread-1-check-weight-decay.js",
  experiment2: "examples/seed-thread-2-compare-decay.js",
  experiment3: "examples/seed-thread-3-effective-gradient.js",
};

describe("seed thread experiments", () => {
  for (const [name, script] of Object.entries(examples)) {
    it(`${script} prints what PyTorch printed`, () => {
      const out = execFileSync(process.execPath, [script], { cwd: root, encoding: "utf8" });
      expect(out).toBe(fixture.outputs[name]);
    });
  }
});

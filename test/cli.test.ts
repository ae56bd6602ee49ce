import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadFixture } from "./helpers/fixtures.js";

// These tests run the real command, dist/cli/main.js, as a user would (npm test builds it first).
const root = fileURLToPath(new URL("..", import.meta.url));
const MAIN = path.join(root, "dist", "cli", "main.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tsgrad(args: readonly string[]): Result {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: tmp,
    encoding: "utf8",
    env: { ...process.env, CI: "1" },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A failure as the issue asks for it: non-zero exit, exactly one line on stderr, no stack. */
function expectOneLineFailure(r: Result, pattern: RegExp): void {
  expect(r.code).not.toBe(0);
  expect(r.code).not.toBeNull();
  const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

const lines = (file: string) =>
  fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "");

// A configuration that exercises optimizer state (momentum), a composite schedule (warmup then
// cosine), weight decay on one of two groups, and two epochs of 125 steps.
const RUN = [
  "--optimizer",
  "sgd",
  "--lr",
  "0.05",
  "--momentum",
  "0.9",
  "--weight-decay",
  "1e-3",
  "--schedule",
  "cosine",
  "--warmup",
  "20",
  "--epochs",
  "2",
  "--batch-size",
  "32",
  "--train-size",
  "4000",
  "--test-size",
  "500",
  "--seed",
  "7",
];

describe("tsgrad train", () => {
  it("continues bit for bit after Ctrl-C mid-epoch and --resume", async () => {
    const interrupted = path.join(tmp, "interrupted");
    const child = spawn(process.execPath, [MAIN, "train", ...RUN, "--out", interrupted], {
      cwd: tmp,
      env: { ...process.env, CI: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // Wait until the second epoch is under way (125 steps + 1 epoch line), then press Ctrl-C.
    const metrics = path.join(interrupted, "metrics.jsonl");
    const deadline = Date.now() + 60_000;
    while (!(fs.existsSync(metrics) && lines(metrics).length >= 140)) {
      if (Date.now() > deadline) throw new Error(`no progress: ${stdout} ${stderr}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill("SIGINT");
    const code = await exited;
    expect(code, stderr).toBe(130);
    expect(stdout).toMatch(/Interrupted at step \d+; checkpoint saved/);
    const summary = JSON.parse(fs.readFileSync(path.join(interrupted, "summary.json"), "utf8")) as {
      status: string;
      steps: number;
    };
    expect(summary.status).toBe("interrupted");
    expect(summary.steps).toBeGreaterThan(125);
    expect(summary.steps).toBeLessThan(250);
    expect(fs.existsSync(path.join(interrupted, "model.safetensors"))).toBe(false);

    const resumed = tsgrad(["train", "--resume", interrupted]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`from step ${summary.steps}`);

    const straight = path.join(tmp, "straight");
    const full = tsgrad(["train", ...RUN, "--out", straight]);
    expect(full.code, full.stderr).toBe(0);

    // Identical final weights, byte for byte, and the same loss at every step.
    const a = fs.readFileSync(path.join(interrupted, "model.safetensors"));
    const b = fs.readFileSync(path.join(straight, "model.safetensors"));
    expect(a.equals(b)).toBe(true);
    const steps = (dir: string) =>
      lines(path.join(dir, "metrics.jsonl")).filter((l) => l.includes('"kind":"step"'));
    expect(steps(interrupted)).toEqual(steps(straight));
    expect(steps(straight)).toHaveLength(250);
  }, 180_000);

  it("writes config, metrics per step, explain and a checkpoint, and refuses to resume a finished run twice", () => {
    const dir = path.join(tmp, "files");
    const r = tsgrad(["train", "--epochs", "1", "--train-size", "256", "--test-size", "64", "--out", dir]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of [
      "config.json",
      "metrics.jsonl",
      "checkpoint.safetensors",
      "explain.txt",
      "model.safetensors",
      "summary.json",
    ]) {
      expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    }
    const records = lines(path.join(dir, "metrics.jsonl")).map(
      (l) => JSON.parse(l) as { kind: string; loss?: number },
    );
    expect(records.filter((x) => x.kind === "step")).toHaveLength(4); // 256 / 64
    expect(records.filter((x) => x.kind === "epoch")).toHaveLength(1);
    expect(r.stdout).toMatch(/epoch 1\/1 .*test loss .* acc .*samples\/s/);
    const again = tsgrad(["train", "--resume", dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already finished");
  });

  it.each([
    [["train", "--lrr", "0.1"], /unknown option '--lrr'.*Did you mean --lr\?/],
    [["train", "--lr", "-0.1"], /--lr must be a non-negative number, got "-0.1"/],
    [["train", "--weight-decay", "abc"], /--weight-decay must be a non-negative number, got "abc"/],
    [["train", "--epochs", "1.5"], /--epochs must be a positive integer/],
    [
      ["train", "--optimizer", "adamw", "--momentum", "0.9"],
      /--momentum is not an option of adamw \(it applies to sgd, rmsprop\)/,
    ],
    [
      ["train", "--schedule", "onecycle", "--warmup", "10"],
      /--warmup cannot be combined with --schedule onecycle/,
    ],
    [["train", "--gamma", "0.5"], /--gamma applies to --schedule step, not none/],
    [["train", "--optimizer", "rprop", "--weight-decay", "0.1"], /rprop has no weight decay/],
    [
      ["train", "--optimizer", "sgd", "--nesterov"],
      /Nesterov momentum requires a momentum and zero dampening/,
    ],
    [["train", "--no-decay", "biass"], /--no-decay: no parameter matches "biass"/],
    [
      ["train", "--decay-scale", "lrRatio", "--optimizer", "adam"],
      /--decay-scale lrRatio scales decoupled weight decay: add --decoupled-weight-decay to adam, or use adamw/,
    ],
    [
      ["train", "--decay-scale", "none", "--optimizer", "adagrad"],
      /--decay-scale none is available for sgd, adam, adamw, nadam, radam \(with decoupled weight decay\), not adagrad/,
    ],
    [["train", "--train-size", "9000", "--test-size", "2000"], /more than the 10000 MNIST digits/],
    [
      ["train", "--resume", "somewhere", "--lr", "0.1"],
      /--resume continues a run exactly as it was configured; drop --lr/,
    ],
    [["train", "--model", "resnet"], /--model must be one of mlp, cnn, got "resnet"/],
    [["sweep", "--optimizers", "sgd:momentun=0.9"], /sgd has no option "momentun"/],
    [["sweep", "--weight-decays", "0,,1"], /--weight-decays must be a comma-separated list/],
    [["explain", "--no-decay", "auto"], /--no-decay needs --model/],
    [["trian"], /unknown command 'trian'.*Did you mean train\?/],
  ])("refuses %j with one clear line", (args, pattern) => {
    const r = tsgrad(args);
    expectOneLineFailure(r, pattern);
  });

  it("never writes over an existing output directory without --force", () => {
    const dir = path.join(tmp, "taken");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
    const args = ["train", "--epochs", "1", "--train-size", "128", "--test-size", "64", "--out", dir];
    expectOneLineFailure(tsgrad(args), /output directory .*taken already exists and is not empty.*--force/);
    expect(fs.readdirSync(dir)).toEqual(["notes.txt"]);
    const forced = tsgrad([...args, "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, "notes.txt"), "utf8")).toBe("mine");
    expect(fs.existsSync(path.join(dir, "model.safetensors"))).toBe(true);
    // A bad value is refused before anything is written.
    const fresh = path.join(tmp, "never-made");
    expectOneLineFailure(tsgrad(["train", "--lr", "x", "--out", fresh]), /--lr must be/);
    expect(fs.existsSync(fresh)).toBe(false);
  });

  it("stops a run whose loss is not finite, naming the step and the last finite loss", () => {
    const dir = path.join(tmp, "diverged");
    const r = tsgrad([
      "train",
      "--lr",
      "1e30",
      "--epochs",
      "1",
      "--train-size",
      "640",
      "--test-size",
      "64",
      "--out",
      dir,
    ]);
    expectOneLineFailure(
      r,
      /loss became (NaN|Infinity) at step (\d+) \(epoch 1, batch \d+\); last finite loss [\d.e+-]+ at step \d+\. Hint: lower the learning rate/,
    );
    const [, step] = /at step (\d+)/.exec(r.stderr) ?? [];
    const summary = JSON.parse(fs.readFileSync(path.join(dir, "summary.json"), "utf8")) as {
      status: string;
      steps: number;
    };
    expect(summary.status).toBe("diverged");
    expect(summary.steps + 1).toBe(Number(step));
  });

  it("refuses a truncated or corrupt checkpoint clearly", () => {
    const dir = path.join(tmp, "corrupt");
    const r = tsgrad(["train", "--epochs", "2", "--train-size", "256", "--test-size", "64", "--out", dir]);
    expect(r.code, r.stderr).toBe(0);
    fs.rmSync(path.join(dir, "summary.json")); // as if it had crashed after the last checkpoint
    const ckpt = path.join(dir, "checkpoint.safetensors");
    const bytes = fs.readFileSync(ckpt);
    fs.writeFileSync(ckpt, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expectOneLineFailure(
      tsgrad(["train", "--resume", dir]),
      /checkpoint .*checkpoint\.safetensors is corrupt or truncated and cannot be resumed/,
    );
    fs.writeFileSync(ckpt, "not a checkpoint at all");
    expectOneLineFailure(
      tsgrad(["train", "--resume", dir]),
      /checkpoint .*checkpoint\.safetensors is corrupt or truncated/,
    );
    fs.rmSync(ckpt);
    expectOneLineFailure(tsgrad(["train", "--resume", dir]), /no checkpoint at .*nothing to resume/);
  });

  it("has --help on every command", () => {
    for (const cmd of [[], ["train"], ["sweep"], ["explain"], ["thread"]]) {
      const r = tsgrad([...cmd, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: tsgrad/);
    }
    expect(tsgrad(["train", "--help"]).stdout).toContain("--weight-decay <lambda>");
  });
});

describe("tsgrad explain", () => {
  it("fills in the numbers of the seed thread's configuration (SGD, lr 0.1, weight decay 0.9)", () => {
    const lr = 0.1;
    const wd = 0.9;
    const r = tsgrad(["explain", "--optimizer", "sgd", "--lr", String(lr), "--weight-decay", String(wd)]);
    expect(r.code, r.stderr).toBe(0);
    const short = (x: number) => String(Number(x.toPrecision(6)));
    expect(r.stdout).toContain(`g ← g + ${wd}·w   (coupled weight decay: added to the gradient)`);
    expect(r.stdout).toContain(`w ← w − ${lr}·g`);
    expect(r.stdout).toContain(`equivalent loss term: (${wd}/2)·‖w‖² = ${short(wd / 2)}·‖w‖²`);
    expect(r.stdout).toContain(`w ← ${short(1 - lr * wd)}·w − ${lr}·∇L`);
    expect(r.stdout).toMatch(/biases and normalization weights included/);
  });

  it("gives the shrink factor and timescale of decoupled decay, and the split for a model", () => {
    const [lr, wd] = [0.001, 0.05];
    const r = tsgrad([
      "explain",
      "--optimizer",
      "adamw",
      "--lr",
      String(lr),
      "--weight-decay",
      String(wd),
      "--model",
      "mlp",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const shrink = String(Number((1 - lr * wd).toPrecision(6)));
    expect(r.stdout).toContain(
      `w ← ${shrink}·w   (decoupled weight decay, before the update: 1 − lr·λ = 1 − ${lr}·${wd})`,
    );
    const [, steps] = /timescale τ = 1\/\(s·λ\) = ([\d.e+]+) steps/.exec(r.stdout) ?? [];
    expect(Number(steps)).toBeCloseTo(1 / (lr * wd), 6);
    expect(r.stdout).toContain(
      `that timescale is ${Number((1 / (lr * wd) / 125).toPrecision(6))} epochs of 125 steps`,
    );
    expect(r.stdout).toMatch(/AdamW, group "decay" \(1\.weight, 3\.weight; [\d,]+ values\)/);
    expect(r.stdout).toMatch(/decayed\s+1\.weight\s+\[128, 784\]/);
    expect(r.stdout).toMatch(/not decayed\s+1\.bias\s+\[128\]\s+bias/);
  });
});

describe("tsgrad thread", () => {
  it("prints what the PyTorch originals printed, and the answer", () => {
    const fixture = loadFixture<{ outputs: Record<string, string> }>("seed-thread");
    const r = tsgrad(["thread"]);
    expect(r.code, r.stderr).toBe(0);
    for (const [name, text] of Object.entries(fixture.outputs))
      expect(r.stdout, name).toContain(text.trimEnd());
    expect(r.stdout).toContain("w ← w − lr·(∇loss + λ·w)");
    expect(r.stdout).toContain("(λ/2)·‖w‖²");
    expect(r.stdout).toMatch(/biases and batch-norm weights\s+included/);
    // Experiment 4: with model.parameters() every parameter shrinks by 1 − lr·λ; with groups, biases and norm weights stay.
    const shrink = (1 - 0.1 * 0.9).toFixed(6);
    const block = r.stdout.slice(r.stdout.indexOf("Experiment 4"));
    const [all, split] = block.split("paramGroupsWeightDecay");
    for (const name of ["0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"]) {
      expect(all).toMatch(
        new RegExp(`${name.replace(".", "\\.")}\\s+\\[[\\d, ]+\\]\\s+after / before = ${shrink}`),
      );
    }
    for (const name of ["0.bias", "1.weight", "1.bias", "3.bias"]) {
      expect(split).toMatch(
        new RegExp(`${name.replace(".", "\\.")}\\s+\\[[\\d, ]+\\]\\s+after / before = ${(1).toFixed(6)}`),
      );
    }
  });
});

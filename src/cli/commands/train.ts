/**
 * `tsgrad train`: one training run on MNIST with a progress bar, per-step metrics, a checkpoint
 * every epoch, Ctrl-C to stop with a checkpoint, and `--resume DIR` to continue bit for bit.
 *
 * @module
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { useBackend, type ChosenBackend } from "../backend-choice.js";
import { CliError } from "../cli-error.js";
import { checkConfig, parseConfigJson, runLabel, type TrainConfig } from "../config.js";
import { fmtLoss, pct, Progress, TRAIN_BAR } from "../progress.js";
import { defaultOutDir, prepareOutDir, RUN_FILES, writeFileAtomic } from "../run-dir.js";
import { buildCore, train, type RunSummary } from "../trainer.js";
import {
  addOptimizerOptions,
  addRunOptions,
  givenFlags,
  trainConfigFrom,
  type RawOptions,
} from "./run-options.js";

/**
 * The exit code after Ctrl-C (128 + SIGINT), as shells report an interrupted command.
 * @example if (stopRequested) return EXIT_INTERRUPTED; // stopped by Ctrl-C: the shell shows status 130
 */
export const EXIT_INTERRUPTED = 130;

/**
 * The `train` command.
 *
 * @example
 * ```ts
 * program.addCommand(trainCommand());
 * ```
 */
export function trainCommand(): Command {
  const cmd = new Command("train")
    .description("train a model on MNIST, with a progress bar, metrics per step and a checkpoint each epoch")
    .addHelpText(
      "after",
      `
Examples:
  tsgrad train --optimizer sgd --lr 0.05 --momentum 0.9 --weight-decay 5e-4 --epochs 3
  tsgrad train --optimizer adamw --lr 1e-3 --weight-decay 0.05 --schedule cosine --warmup 100
  tsgrad train --resume .tsgrad-runs/train-20260101-120000     # after Ctrl-C or a crash

Files in the output directory: config.json, metrics.jsonl (one line per step and per epoch),
checkpoint.safetensors (written atomically every epoch and on Ctrl-C), explain.txt,
model.safetensors and summary.json at the end.`,
    );
  addOptimizerOptions(cmd);
  addRunOptions(cmd, { sweep: false });
  cmd.option("--resume <dir>", "continue the run in <dir> from its checkpoint, bit for bit (no other flags)");
  cmd.action(async (_opts: RawOptions, command: Command) => {
    process.exitCode = await runTrain(command);
  });
  return cmd;
}

/** Run `tsgrad train` as parsed by commander; returns the exit code. */
async function runTrain(cmd: Command): Promise<number> {
  const raw = cmd.opts<RawOptions>();
  let config: TrainConfig;
  let dir: string;
  let resume = false;
  let backend: ChosenBackend;
  if (raw.resume !== undefined) {
    const others = givenFlags(cmd, ["resume"]);
    if (others.length > 0) {
      throw new CliError(`--resume continues a run exactly as it was configured; drop ${others.join(", ")}`);
    }
    dir = String(raw.resume);
    const configFile = path.join(dir, RUN_FILES.config);
    if (!fs.existsSync(configFile))
      throw new CliError(`--resume ${dir}: no ${RUN_FILES.config} there; is it a tsgrad train directory?`);
    config = parseConfigJson(fs.readFileSync(configFile, "utf8"), configFile);
    const summaryFile = path.join(dir, RUN_FILES.summary);
    if (fs.existsSync(summaryFile)) {
      const status = (JSON.parse(fs.readFileSync(summaryFile, "utf8")) as { status?: string }).status;
      if (status === "finished") {
        process.stdout.write(
          `The run in ${dir} has already finished (${config.epochs} epochs); nothing to resume.\n`,
        );
        return 0;
      }
      if (status === "diverged")
        throw new CliError(`the run in ${dir} diverged; resuming would diverge again (see ${summaryFile})`);
    }
    resume = true;
    backend = await useBackend(config.backend, { explicit: true });
  } else {
    const parsed = trainConfigFrom(raw);
    config = parsed.config;
    checkConfig(config, parsed.given);
    backend = await useBackend(config.backend, { explicit: parsed.given.has("backend") });
    config.backend = backend.kind;
    // Build once before touching the disk, so a setting the library refuses leaves no directory behind.
    buildCore(config);
    dir = raw.out !== undefined ? String(raw.out) : defaultOutDir("train");
    prepareOutDir(dir, { force: raw.force === true });
    writeFileAtomic(
      path.join(dir, RUN_FILES.config),
      `${JSON.stringify({ tsgrad: "train", config }, null, 2)}\n`,
    );
  }
  try {
    return await trainWithUi(config, dir, resume, backend.name);
  } finally {
    await backend.dispose();
  }
}

async function trainWithUi(
  config: TrainConfig,
  dir: string,
  resume: boolean,
  backend: string,
): Promise<number> {
  let stopRequested = false;
  let bar: Progress | null = null;
  let excludedToo = true;
  const onSigint = () => {
    if (stopRequested) {
      process.stderr.write(
        "\nStopped without finishing the checkpoint; the last epoch's checkpoint is intact.\n",
      );
      process.exit(EXIT_INTERRUPTED);
    }
    stopRequested = true;
    process.stderr.write(
      "\nStopping after this step and saving a checkpoint (Ctrl-C again to quit at once)...\n",
    );
  };
  process.on("SIGINT", onSigint);
  process.stdout.write(
    `${resume ? "Resuming" : "Training"} ${config.model} on MNIST (${config.trainSize} train / ${config.testSize} test, ${config.dtype}, ${backend}) in ${dir}\n`,
  );
  process.stdout.write(
    `${runLabel(config)}, ${config.epochs} epochs of batch ${config.batchSize}, schedule ${config.schedule}\n`,
  );
  let summary: RunSummary;
  try {
    summary = await train(config, dir, {
      resume,
      backend,
      hooks: {
        onStart: ({ totalSteps, step, epoch, hasExcluded }) => {
          excludedToo = hasExcluded;
          if (resume) process.stdout.write(`from step ${step} (epoch ${epoch + 1})\n`);
          bar = new Progress(TRAIN_BAR, totalSteps, step, {
            epoch: epoch + 1,
            epochs: config.epochs,
            loss: "-",
            acc: "-",
            speed: "-",
          });
        },
        onStep: (r, info) => {
          bar?.update(r.step, {
            epoch: r.epoch,
            epochs: config.epochs,
            loss: fmtLoss(info.epochLoss),
            acc: pct(info.epochAcc),
            speed: Math.round(info.samplesPerSecond),
          });
        },
        onEpoch: (r) => {
          const norms = excludedToo
            ? `|θ| decayed ${r.normDecayed.toFixed(3)} excluded ${r.normExcluded.toFixed(3)}`
            : `|θ| ${r.normDecayed.toFixed(3)}`;
          const line = `epoch ${r.epoch}/${config.epochs}  train loss ${fmtLoss(r.trainLoss)} acc ${pct(r.trainAcc)}  test loss ${fmtLoss(r.testLoss)} acc ${pct(r.testAcc)}  ${norms}  ${Math.round(r.samplesPerSecond)} samples/s`;
          if (bar !== null) bar.log(line);
          else process.stdout.write(`${line}\n`);
        },
        shouldStop: () => stopRequested,
      },
    });
  } finally {
    (bar as Progress | null)?.stop();
    process.off("SIGINT", onSigint);
  }
  const ckpt = path.join(dir, RUN_FILES.checkpoint);
  switch (summary.status) {
    case "finished": {
      const f = summary.final;
      const acc = f === null ? "" : `: test accuracy ${pct(f.testAcc)}, test loss ${fmtLoss(f.testLoss)}`;
      process.stdout.write(`Finished ${summary.steps} steps in ${summary.seconds.toFixed(1)} s${acc}\n`);
      process.stdout.write(
        `Weights: ${path.join(dir, RUN_FILES.model)}  metrics: ${path.join(dir, RUN_FILES.metrics)}\n`,
      );
      return 0;
    }
    case "interrupted":
      process.stdout.write(
        `Interrupted at step ${summary.steps}; checkpoint saved to ${ckpt}. Continue with: tsgrad train --resume ${dir}\n`,
      );
      return EXIT_INTERRUPTED;
    case "diverged":
    case "failed":
      throw new CliError(summary.message ?? "the loss became non-finite");
  }
}

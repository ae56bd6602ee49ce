/**
 * One training run on MNIST: build everything from a {@link TrainConfig}, train epoch by epoch
 * with a metrics line per step, evaluate on the test set after each epoch, checkpoint atomically
 * at every epoch end (and when asked to stop), and resume from a checkpoint bit for bit.
 *
 * Used by `tsgrad train` in the main thread and by each worker of `tsgrad sweep`.
 *
 * @module
 */

import * as fs from "node:fs";
import * as path from "node:path";
import * as tg from "../index.js";
import { CliError } from "./cli-error.js";
import { baseLr, type TrainConfig } from "./config.js";
import { loadMnistSplit, type MnistSplit } from "./dataset.js";
import {
  createOptimizer,
  explain,
  paramGroupsWeightDecay,
  type DecayAssignment,
  type DecayGroups,
} from "./decay-toolkit.js";
import { buildModel } from "./models.js";
import { OPTIMIZERS } from "./optimizer-table.js";
import { RUN_FILES, writeFileAtomic } from "./run-dir.js";
import { buildScheduler } from "./schedule.js";

/** The metrics of one optimizer step (a line of `metrics.jsonl`). */
export interface StepRecord {
  kind: "step";
  /** Global step, from 1. */
  step: number;
  /** Epoch, from 1. */
  epoch: number;
  /** Batch within the epoch, from 1. */
  batch: number;
  /** Mean cross-entropy of the batch (before the step). */
  loss: number;
  /** Fraction of the batch classified correctly (before the step). */
  acc: number;
  /** Learning rate of the first group used by this step. */
  lr: number;
  /** ‖θ‖ over the decayed parameters after the step. */
  normDecayed: number;
  /** ‖θ‖ over the parameters excluded from decay after the step. */
  normExcluded: number;
}

/** The metrics of one epoch (a line of `metrics.jsonl`). */
export interface EpochRecord {
  kind: "epoch";
  epoch: number;
  step: number;
  /** Mean training loss over the epoch's batches. */
  trainLoss: number;
  /** Training accuracy over the epoch's batches. */
  trainAcc: number;
  /** Loss on the test set after the epoch. */
  testLoss: number;
  /** Accuracy on the test set after the epoch. */
  testAcc: number;
  normDecayed: number;
  normExcluded: number;
  /** Training throughput of the epoch (samples per second of wall time). */
  samplesPerSecond: number;
}

/** How a run ended. */
export interface RunSummary {
  status: "finished" | "interrupted" | "diverged" | "failed";
  config: TrainConfig;
  /** The backend that ran it (`js`, `wasm-simd(1 threads)`). */
  backend: string;
  /** Epochs completed. */
  epochs: number;
  /** Optimizer steps taken. */
  steps: number;
  /** The last epoch's record, if any epoch completed. */
  final: EpochRecord | null;
  /** Wall time spent training, over all sessions (seconds). */
  seconds: number;
  /** Where each parameter went (decay or not) and why. */
  decay: DecayAssignment[];
  /** The explanation of the optimizer's update. */
  explain: string;
  /** For a diverged or failed run: what happened. */
  message?: string;
}

/** What a caller can observe and control. */
export interface TrainHooks {
  /** Called once everything is built, before the first step of this session. */
  onStart?(info: {
    totalSteps: number;
    stepsPerEpoch: number;
    step: number;
    epoch: number;
    explain: string;
    /** Whether some parameters are outside the decayed group. */
    hasExcluded: boolean;
  }): void;
  /** Called after every step. */
  onStep?(record: StepRecord, info: { samplesPerSecond: number; epochLoss: number; epochAcc: number }): void;
  /** Called after every epoch (after the test evaluation). */
  onEpoch?(record: EpochRecord): void;
  /** Polled between steps (after yielding to the event loop); true stops with a checkpoint. */
  shouldStop?(): boolean;
}

/** The counters a checkpoint restores. */
interface Progress {
  /** Current epoch, from 0. */
  epoch: number;
  /** Batches done in the current epoch. */
  batch: number;
  /** Global steps done. */
  step: number;
  /** Sums over the current epoch's batches. */
  lossSum: number;
  correct: number;
  seen: number;
  /** The last finite loss and its step. */
  lastLoss: number;
  lastLossStep: number;
  /** Seconds of training before this session. */
  seconds: number;
}

/** The checkpoint object as saved with `io.save`. */
interface Checkpoint {
  format: string;
  config: TrainConfig;
  model: Record<string, tg.Tensor>;
  optimizer: tg.optim.OptimizerStateDict;
  optimizerSteps: number;
  scheduler: Record<string, unknown> | null;
  rng: { epochStart: Uint8Array; current: Uint8Array };
  progress: Progress;
}

const CHECKPOINT_FORMAT = "tsgrad-train-checkpoint-v1";

/** Model, optimizer and schedule of a run, built from its config. */
export interface Core {
  model: tg.nn.Module;
  optimizer: tg.optim.Optimizer;
  scheduler: tg.optim.lrScheduler.LRScheduler | null;
  split: DecayGroups;
  explain: string;
}

/**
 * Optimizer steps per epoch: the DataLoader's length (the last batch may be short).
 *
 * @example
 * ```ts
 * stepsPerEpoch({ ...TRAIN_DEFAULTS, trainSize: 8000, batchSize: 64 }); // 125
 * ```
 */
export function stepsPerEpoch(config: TrainConfig): number {
  return Math.ceil(config.trainSize / config.batchSize);
}

/**
 * Build model, optimizer and schedule for `config` exactly as a fresh run does (the default
 * generator is seeded here and the default dtype set), so a resumed run rebuilds the same objects
 * before loading the checkpoint into them, and a config can be checked before any file is written.
 *
 * @throws CliError or the library's errors for settings that do not work together.
 * @example
 * ```ts
 * const { model, optimizer, explain } = buildCore(config);
 * ```
 */
export function buildCore(config: TrainConfig): Core {
  tg.setDefaultDtype(config.dtype);
  tg.manualSeed(config.seed);
  const model = buildModel(config.model, config.hidden);
  const info = OPTIMIZERS[config.optimizer];
  const noDecay = info.decay === "none";
  const split = paramGroupsWeightDecay(model, {
    weightDecay: noDecay ? 0 : config.weightDecay,
    exclude: noDecay ? "none" : config.noDecay,
  });
  const groups = noDecay || config.optimizer === "lbfgs" ? [{ params: model.parameters() }] : split.groups;
  const options = { ...config.optimizerOptions, lr: baseLr(config) };
  const optimizer = createOptimizer(groups, {
    name: config.optimizer,
    options,
    decayScale: config.decayScale,
  });
  const perEpoch = stepsPerEpoch(config);
  const scheduler = buildScheduler(optimizer, config, perEpoch);
  const params = model.parameters();
  const names = optimizer.paramGroups.map((g) =>
    g.params.map((p) => split.report[params.indexOf(p as tg.nn.Parameter)]?.name ?? "?"),
  );
  const text = explain(optimizer, { groupNames: names, stepsPerEpoch: perEpoch });
  return { model, optimizer, scheduler, split, explain: text };
}

function norm(params: readonly tg.Tensor[]): number {
  let sum = 0;
  for (const p of params) {
    const a = p.toTypedArray();
    for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (a[i] as number);
  }
  return Math.sqrt(sum);
}

/**
 * Cross-entropy and accuracy of `model` on a data set, in batches, in eval mode, without gradients.
 *
 * @example
 * ```ts
 * const { loss, acc } = evaluate(model, data.testImages, data.testLabels);
 * ```
 */
export function evaluate(
  model: tg.nn.Module,
  images: tg.Tensor,
  labels: tg.Tensor,
  batchSize = 1000,
): { loss: number; acc: number } {
  const F = tg.nn.functional;
  const n = images.shape[0]!;
  let lossSum = 0;
  let correct = 0;
  model.eval();
  try {
    tg.noGrad(() => {
      for (let start = 0; start < n; start += batchSize) {
        const len = Math.min(batchSize, n - start);
        const x = images.narrow(0, start, len);
        const y = labels.narrow(0, start, len);
        const out = model.forward(x) as tg.Tensor;
        lossSum += F.crossEntropy(out, y, { reduction: "sum" }).item() as number;
        correct += countCorrect(out, y);
      }
    });
  } finally {
    model.train();
  }
  return { loss: lossSum / n, acc: correct / n };
}

function countCorrect(out: tg.Tensor, y: tg.Tensor): number {
  const pred = out.argmax(1).toTypedArray();
  const truth = y.toTypedArray();
  let c = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) c++;
  return c;
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Load a checkpoint file, refusing anything that is not a complete tsgrad training checkpoint.
 *
 * @throws CliError naming the file and what is wrong with it.
 * @example
 * ```ts
 * const ckpt = readCheckpoint("run/checkpoint.safetensors");
 * ```
 */
function readCheckpoint(file: string): Checkpoint {
  if (!fs.existsSync(file)) throw new CliError(`no checkpoint at ${file}; nothing to resume`);
  let value: unknown;
  try {
    value = tg.io.load(file);
  } catch (e) {
    throw new CliError(
      `checkpoint ${file} is corrupt or truncated and cannot be resumed: ${(e as Error).message}`,
    );
  }
  const c = value as Partial<Checkpoint> | null;
  if (c === null || typeof c !== "object" || c.format !== CHECKPOINT_FORMAT) {
    throw new CliError(
      `${file} is not a tsgrad training checkpoint (format ${JSON.stringify((c as { format?: unknown } | null)?.format ?? null)})`,
    );
  }
  for (const key of ["config", "model", "optimizer", "rng", "progress"] as const) {
    if (c[key] === undefined || c[key] === null)
      throw new CliError(`checkpoint ${file} is incomplete: it has no "${key}"`);
  }
  return c as Checkpoint;
}

/** Options of {@link train}. */
export interface TrainOptions {
  /** Continue from the checkpoint in `dir` instead of starting afresh. */
  resume?: boolean;
  /** Data already loaded (a sweep shares one split between its runs in a worker). */
  data?: MnistSplit;
  /** Observers and the stop flag. */
  hooks?: TrainHooks;
  /** Backend name to record. */
  backend?: string;
}

/**
 * Train the run in `dir` (whose `config.json` is already written) and return how it ended.
 * Writes `metrics.jsonl`, `checkpoint.safetensors` after every epoch and on a stop request,
 * `explain.txt`, and at the end `model.safetensors` and `summary.json`. A non-finite loss ends
 * the run as "diverged" with the step and last finite loss in `message`.
 *
 * @example
 * ```ts
 * const summary = await train(config, "out/run1");
 * summary.final?.testAcc; // 0.93
 * ```
 */
export async function train(
  config: TrainConfig,
  dir: string,
  options: TrainOptions = {},
): Promise<RunSummary> {
  const hooks = options.hooks ?? {};
  const file = (name: string) => path.join(dir, name);
  const checkpoint = options.resume ? readCheckpoint(file(RUN_FILES.checkpoint)) : null;
  if (checkpoint !== null && canonicalJson(checkpoint.config) !== canonicalJson(config)) {
    throw new CliError(
      `checkpoint ${file(RUN_FILES.checkpoint)} was written for a different config.json; refusing to mix them`,
    );
  }
  const built = buildCore(config);
  const { model, optimizer, scheduler, split } = built;
  const data = options.data ?? loadMnistSplit(config);
  const dataset = new tg.data.TensorDataset(data.trainImages, data.trainLabels);
  const loader = new tg.data.DataLoader(dataset, { batchSize: config.batchSize, shuffle: true });
  const F = tg.nn.functional;
  const perEpoch = loader.length;
  const totalSteps = perEpoch * config.epochs;
  const backend = options.backend ?? tg.backend().name;

  let progress: Progress = {
    epoch: 0,
    batch: 0,
    step: 0,
    lossSum: 0,
    correct: 0,
    seen: 0,
    lastLoss: NaN,
    lastLossStep: 0,
    seconds: 0,
  };
  let epochStartRng = tg.getRngState();
  if (checkpoint !== null) {
    try {
      model.loadStateDict(checkpoint.model);
      optimizer.loadStateDict(checkpoint.optimizer);
      optimizer.stepCount = checkpoint.optimizerSteps;
      if (scheduler !== null) {
        if (checkpoint.scheduler === null) throw new Error("the checkpoint has no scheduler state");
        scheduler.loadStateDict(checkpoint.scheduler as never);
      }
    } catch (e) {
      throw new CliError(
        `checkpoint ${file(RUN_FILES.checkpoint)} does not fit this run: ${(e as Error).message}`,
      );
    }
    progress = { ...checkpoint.progress };
    epochStartRng = new Uint8Array(checkpoint.rng.epochStart);
    truncateMetrics(file(RUN_FILES.metrics), progress.step);
  } else {
    fs.writeFileSync(file(RUN_FILES.metrics), "");
  }
  fs.writeFileSync(file(RUN_FILES.explain), `${built.explain}\n\n${decayReportText(split.report)}\n`);

  const summarize = (
    status: RunSummary["status"],
    final: EpochRecord | null,
    message?: string,
  ): RunSummary => ({
    status,
    config,
    backend,
    epochs: progress.epoch,
    steps: progress.step,
    final,
    seconds: progress.seconds,
    decay: split.report,
    explain: built.explain,
    ...(message === undefined ? {} : { message }),
  });

  hooks.onStart?.({
    totalSteps,
    stepsPerEpoch: perEpoch,
    step: progress.step,
    epoch: progress.epoch,
    explain: built.explain,
    hasExcluded: split.excluded.length > 0,
  });
  const metrics = fs.openSync(file(RUN_FILES.metrics), "a");
  let pending: string[] = [];
  const flush = () => {
    if (pending.length > 0) fs.writeSync(metrics, pending.join(""));
    pending = [];
  };
  let lastEpoch: EpochRecord | null = checkpoint === null ? null : lastEpochRecord(file(RUN_FILES.metrics));
  const sessionStart = performance.now();
  const elapsed = () => progress.seconds + (performance.now() - sessionStart) / 1000;
  const save = (rngCurrent: Uint8Array) => {
    flush();
    const ckpt: Checkpoint = {
      format: CHECKPOINT_FORMAT,
      config,
      model: model.stateDict(),
      optimizer: optimizer.stateDict(),
      optimizerSteps: optimizer.stepCount,
      scheduler: scheduler === null ? null : (scheduler.stateDict() as Record<string, unknown>),
      rng: { epochStart: epochStartRng, current: rngCurrent },
      progress: { ...progress, seconds: elapsed() },
    };
    tg.io.save(file(RUN_FILES.checkpoint), ckpt as never);
  };

  try {
    while (progress.epoch < config.epochs) {
      // The epoch's shuffle is drawn from the default generator when its iterator starts; a resumed
      // epoch replays that draw from the saved state and skips the batches already done.
      tg.setRngState(epochStartRng);
      const it = loader[Symbol.iterator]();
      for (let k = 0; k < progress.batch; k++) it.next();
      if (checkpoint !== null && progress.batch > 0 && !sameBytes(tg.getRngState(), checkpoint.rng.current)) {
        throw new CliError("resuming did not reproduce the data order of the interrupted epoch");
      }
      const epochStartTime = performance.now();
      let epochSamples = 0;
      for (let r = it.next(); !r.done; r = it.next()) {
        const [x, y] = r.value as [tg.Tensor, tg.Tensor];
        let out: tg.Tensor | null = null;
        const closure = () => {
          optimizer.zeroGrad();
          const o = model.forward(x) as tg.Tensor;
          out ??= o;
          const l = F.crossEntropy(o, y);
          l.backward();
          return l;
        };
        let loss: number;
        if (config.optimizer === "lbfgs") {
          loss = (optimizer.step(closure) as tg.Tensor).item() as number;
        } else {
          optimizer.zeroGrad();
          const o = model.forward(x) as tg.Tensor;
          out = o;
          const l = F.crossEntropy(o, y);
          loss = l.item() as number;
          if (Number.isFinite(loss)) {
            l.backward();
            optimizer.step();
          }
        }
        const step = progress.step + 1;
        if (!Number.isFinite(loss)) {
          flush();
          const last = Number.isFinite(progress.lastLoss)
            ? `last finite loss ${progress.lastLoss.toPrecision(5)} at step ${progress.lastLossStep}`
            : "no finite loss before it";
          const message = `loss became ${String(loss)} at step ${step} (epoch ${progress.epoch + 1}, batch ${progress.batch + 1}); ${last}. Hint: lower the learning rate (now ${num(optimizer.paramGroups[0]!.lr)}) or the weight decay, add --warmup, or use --dtype float64`;
          return finishDiverged(summarize("diverged", lastEpoch, message), dir);
        }
        scheduler?.step();
        const n = y.shape[0]!;
        const correct = countCorrect(out!, y);
        progress = {
          ...progress,
          step,
          batch: progress.batch + 1,
          lossSum: progress.lossSum + loss * n,
          correct: progress.correct + correct,
          seen: progress.seen + n,
          lastLoss: loss,
          lastLossStep: step,
        };
        epochSamples += n;
        const record: StepRecord = {
          kind: "step",
          step,
          epoch: progress.epoch + 1,
          batch: progress.batch,
          loss,
          acc: correct / n,
          lr: optimizer.paramGroups[0]!.lr,
          normDecayed: norm(split.decayed),
          normExcluded: norm(split.excluded),
        };
        pending.push(`${JSON.stringify(record)}\n`);
        flush(); // one line per step, so the file can be followed while training
        const seconds = (performance.now() - epochStartTime) / 1000;
        hooks.onStep?.(record, {
          samplesPerSecond: seconds > 0 ? epochSamples / seconds : 0,
          epochLoss: progress.lossSum / progress.seen,
          epochAcc: progress.correct / progress.seen,
        });
        if (hooks.shouldStop !== undefined) {
          await nextTick();
          if (hooks.shouldStop() && progress.batch < perEpoch) {
            save(tg.getRngState());
            const s = summarize("interrupted", lastEpoch);
            writeFileAtomic(file(RUN_FILES.summary), `${JSON.stringify(s, null, 2)}\n`);
            return s;
          }
        }
      }
      const epochSeconds = (performance.now() - epochStartTime) / 1000;
      const test = evaluate(model, data.testImages, data.testLabels);
      const record: EpochRecord = {
        kind: "epoch",
        epoch: progress.epoch + 1,
        step: progress.step,
        trainLoss: progress.lossSum / progress.seen,
        trainAcc: progress.correct / progress.seen,
        testLoss: test.loss,
        testAcc: test.acc,
        normDecayed: norm(split.decayed),
        normExcluded: norm(split.excluded),
        samplesPerSecond: epochSeconds > 0 ? epochSamples / epochSeconds : 0,
      };
      pending.push(`${JSON.stringify(record)}\n`);
      lastEpoch = record;
      const rngAfter = tg.getRngState();
      progress = { ...progress, epoch: progress.epoch + 1, batch: 0, lossSum: 0, correct: 0, seen: 0 };
      epochStartRng = rngAfter;
      save(rngAfter);
      hooks.onEpoch?.(record);
      if (hooks.shouldStop !== undefined) {
        await nextTick();
        if (hooks.shouldStop() && progress.epoch < config.epochs) {
          const s = summarize("interrupted", lastEpoch);
          writeFileAtomic(file(RUN_FILES.summary), `${JSON.stringify(s, null, 2)}\n`);
          return s;
        }
      }
    }
  } finally {
    flush();
    fs.closeSync(metrics);
  }
  progress = { ...progress, seconds: elapsed() };
  tg.io.saveTensors(file(RUN_FILES.model), model.stateDict());
  const s = summarize("finished", lastEpoch);
  writeFileAtomic(file(RUN_FILES.summary), `${JSON.stringify(s, null, 2)}\n`);
  return s;
}

/** JSON with object keys sorted, to compare configs regardless of key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

function finishDiverged(s: RunSummary, dir: string): RunSummary {
  writeFileAtomic(path.join(dir, RUN_FILES.summary), `${JSON.stringify(s, null, 2)}\n`);
  return s;
}

function num(x: number): string {
  return String(Number(x.toPrecision(6)));
}

function sameBytes(a: Uint8Array, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Drop the lines of `metrics.jsonl` written after the checkpoint's step (a crash can leave some). */
function truncateMetrics(file: string, step: number): void {
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, "");
    return;
  }
  const keep: string[] = [];
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    try {
      const r = JSON.parse(line) as { step?: unknown };
      if (typeof r.step === "number" && r.step <= step) keep.push(line);
    } catch {
      // a torn last line from a crash: drop it
    }
  }
  writeFileAtomic(file, keep.length === 0 ? "" : `${keep.join("\n")}\n`);
}

function lastEpochRecord(file: string): EpochRecord | null {
  let last: EpochRecord | null = null;
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (line.includes('"kind":"epoch"')) last = JSON.parse(line) as EpochRecord;
  }
  return last;
}

/**
 * The decay split as aligned text, one parameter a line.
 *
 * @example
 * ```ts
 * decayReportText(split.report);
 * // decayed      1.weight  [128, 784]  2-D weight of Linear
 * // not decayed  1.bias    [128]       bias of Linear
 * ```
 */
export function decayReportText(report: readonly DecayAssignment[]): string {
  const rows = report.map((r) => [
    r.decayed ? "decayed" : "not decayed",
    r.name,
    `[${r.shape.join(", ")}]`,
    r.reason,
  ]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  return [
    "Which parameters decay:",
    ...rows.map((row) => `  ${row.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join("  ")}`),
  ].join("\n");
}

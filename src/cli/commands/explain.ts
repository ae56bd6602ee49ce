/**
 * `tsgrad explain`: the exact update an optimizer applies, with the numbers filled in; the loss
 * term coupled decay equals; the shrink factor and timescale of decoupled decay; and, given a
 * model, which parameters decay and why.
 *
 * @module
 */

import { Command, Option } from "commander";
import * as tg from "../../index.js";
import { CliError } from "../cli-error.js";
import { checkConfig, TRAIN_DEFAULTS } from "../config.js";
import { createOptimizer, explain, num, weightDecayFromTimescale } from "../decay-toolkit.js";
import { OPTIMIZERS } from "../optimizer-table.js";
import { parseInteger, parsePositive } from "../parse.js";
import { buildCore, decayReportText, stepsPerEpoch } from "../trainer.js";
import { addOptimizerOptions, DECAY_SCALES, trainConfigFrom, type RawOptions } from "./run-options.js";
import { MODEL_NAMES } from "../models.js";

/**
 * The `explain` command.
 *
 * @example
 * ```ts
 * program.addCommand(explainCommand());
 * ```
 */
export function explainCommand(): Command {
  const cmd = new Command("explain").description(
    "print the exact update an optimizer applies, where weight decay enters, and what it is equivalent to",
  );
  addOptimizerOptions(cmd);
  const g = "Weight decay and model:";
  const add = (flags: string, help: string) => cmd.addOption(new Option(flags, help).helpGroup(g));
  add("--weight-decay <lambda>", "weight decay λ (default 0)");
  add("--decay-scale <scale>", `${DECAY_SCALES.join(" | ")}: how decoupled decay is scaled (default lr)`);
  add("--model <name>", `${MODEL_NAMES.join(" | ")}: also show which of its parameters decay and why`);
  add("--hidden <n>", `hidden units of the mlp (default ${TRAIN_DEFAULTS.hidden})`);
  add("--no-decay <rule>", "with --model: auto | none | comma-separated names (default auto)");
  add(
    "--train-size <n>",
    `training set size, to state timescales in epochs (default ${TRAIN_DEFAULTS.trainSize})`,
  );
  add("--batch-size <n>", `batch size, to state timescales in epochs (default ${TRAIN_DEFAULTS.batchSize})`);
  add(
    "--timescale-epochs <epochs>",
    "also print the decoupled weight decay whose averaging timescale is this many epochs",
  );
  cmd.addHelpText(
    "after",
    `
Examples:
  tsgrad explain --optimizer sgd --lr 0.1 --weight-decay 0.9          # the seed thread's configuration
  tsgrad explain --optimizer adamw --lr 1e-3 --weight-decay 0.05 --model mlp`,
  );
  cmd.action((_opts: RawOptions, command: Command) => {
    process.stdout.write(`${explainText(command.opts<RawOptions>())}\n`);
  });
  return cmd;
}

/**
 * The text `tsgrad explain` prints for these flags.
 *
 * @throws CliError for bad or conflicting flags.
 * @example
 * ```ts
 * explainText({ optimizer: "sgd", lr: "0.1", weightDecay: "0.9" });
 * ```
 */
export function explainText(raw: RawOptions): string {
  const { config, given } = trainConfigFrom(raw);
  checkConfig(config, given);
  const lines: string[] = [];
  if (raw.model !== undefined) {
    if (!(MODEL_NAMES as readonly string[]).includes(String(raw.model))) {
      throw new CliError(
        `--model must be one of ${MODEL_NAMES.join(", ")}, got ${JSON.stringify(raw.model)}`,
      );
    }
    config.model = raw.model as (typeof MODEL_NAMES)[number];
    if (raw.hidden !== undefined) config.hidden = parseInteger("--hidden", String(raw.hidden));
    const core = buildCore(config);
    lines.push(core.explain, "", decayReportText(core.split.report));
    if (
      OPTIMIZERS[config.optimizer].decay !== "none" &&
      config.weightDecay > 0 &&
      config.noDecay === "none"
    ) {
      lines.push(
        "",
        "Every parameter decays: this is what PyTorch does when the optimizer is given model.parameters().",
      );
    }
  } else {
    if (given.has("noDecay"))
      throw new CliError("--no-decay needs --model, to know which parameters there are");
    if (raw.hidden !== undefined) throw new CliError("--hidden needs --model mlp");
    const theta = tg.zeros([1]).requiresGrad_();
    const decay = OPTIMIZERS[config.optimizer].decay === "none" ? {} : { weightDecay: config.weightDecay };
    const optimizer = createOptimizer([{ params: [theta], ...decay }], {
      name: config.optimizer,
      options: {
        ...config.optimizerOptions,
        lr: config.optimizerOptions.lr ?? OPTIMIZERS[config.optimizer].defaultLr,
      },
      decayScale: config.decayScale,
    });
    const perEpoch = given.has("trainSize") || given.has("batchSize") ? stepsPerEpoch(config) : undefined;
    lines.push(
      explain(optimizer, {
        groupSizes: false,
        ...(perEpoch === undefined ? {} : { stepsPerEpoch: perEpoch }),
      }).replace(/, group 0:/, ":"),
    );
    if (config.weightDecay > 0) {
      lines.push(
        "",
        "It applies to every parameter given to the optimizer (biases and normalization weights included) unless they are put in a parameter group with weightDecay 0; add --model mlp to see a split.",
      );
    }
  }
  if (raw.timescaleEpochs !== undefined) {
    const epochs = parsePositive("--timescale-epochs", String(raw.timescaleEpochs));
    const lr =
      typeof config.optimizerOptions.lr === "number"
        ? config.optimizerOptions.lr
        : OPTIMIZERS[config.optimizer].defaultLr;
    const [n, b] = [config.trainSize, config.batchSize];
    const wd = weightDecayFromTimescale({ epochs, lr, datasetSize: n, batchSize: b });
    lines.push(
      "",
      `For decoupled decay at lr ${num(lr)}, an averaging timescale of ${num(epochs)} epochs (${num((epochs * n) / b)} steps of ${b} of ${n} samples) needs weight decay λ = 1/(lr·τ) = ${num(wd)} (Wang & Aitchison, 2024).`,
    );
  }
  return lines.join("\n");
}

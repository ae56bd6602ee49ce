/**
 * The `tsgrad` program: its commands, and the one rule for failures — one clear line on stderr,
 * a non-zero exit code, no stack trace (set `TSGRAD_DEBUG=1` to see one).
 *
 * @module
 */

import * as fs from "node:fs";
import { Command, CommanderError } from "commander";
import { CliError, oneLine } from "./cli-error.js";
import { explainCommand } from "./commands/explain.js";
import { sweepCommand } from "./commands/sweep.js";
import { threadCommand } from "./commands/thread.js";
import { trainCommand } from "./commands/train.js";

function version(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/**
 * Build the program with every command; commander's own failures are thrown, not printed.
 *
 * @example
 * ```ts
 * await buildProgram().parseAsync(["train", "--epochs", "1"], { from: "user" });
 * ```
 */
export function buildProgram(): Command {
  const program = new Command("tsgrad")
    .description(
      "Train, sweep and explain weight decay on MNIST with tsgrad (PyTorch's training stack in TypeScript).",
    )
    .version(version(), "-V, --version")
    .showSuggestionAfterError(true)
    .addHelpText(
      "after",
      `
Start with:
  tsgrad thread                      what does SGD's weight_decay do? (replays the forum thread)
  tsgrad explain --optimizer sgd --lr 0.1 --weight-decay 0.9
  tsgrad sweep                       SGD vs AdamW over weight decays, with report.html
  tsgrad train --optimizer adamw --weight-decay 0.05`,
    );
  for (const cmd of [trainCommand(), sweepCommand(), explainCommand(), threadCommand()])
    program.addCommand(cmd);
  // Errors are printed once, as one line, by main(); help still goes where commander sends it.
  const quiet = { outputError: () => {} };
  for (const cmd of [program, ...program.commands]) {
    cmd.exitOverride();
    cmd.configureOutput(quiet);
  }
  return program;
}

/**
 * Run the program on `argv` (without `node` and the script) and return the exit code. Help and
 * version are printed to stdout; every failure is one line on stderr.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2));
 * ```
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === "commander.helpDisplayed" ||
        e.code === "commander.version" ||
        e.code === "commander.help"
      ) {
        return e.code === "commander.help" && argv.length === 0 ? 1 : 0;
      }
      const sub = program.commands.find((c) => argv.includes(c.name()));
      const who = sub === undefined ? "tsgrad" : `tsgrad ${sub.name()}`;
      process.stderr.write(`${who}: ${oneLine(e.message.replace(/^error: /, ""))} (see ${who} --help)\n`);
      return 2;
    }
    process.stderr.write(`tsgrad: ${oneLine(e)}\n`);
    if (process.env.TSGRAD_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return e instanceof CliError ? e.exitCode : 1;
  }
}

/**
 * The error type of the `tsgrad` command for mistakes a user can fix (a bad flag value, an
 * existing output directory, a corrupt checkpoint), and the one-line formatting of any error.
 *
 * @module
 */

/**
 * A user-facing failure: printed as one line, without a stack trace, with exit code `exitCode`.
 *
 * @example
 * ```ts
 * throw new CliError("--lr must be a non-negative number, got -0.1");
 * ```
 */
export class CliError extends Error {
  /** The process exit code to use (1 for bad input, 2 for usage errors). */
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/**
 * One line describing `error` for the terminal: the message of a {@link CliError} as it is, the
 * class and message of a library error (`ValueError: Invalid learning rate: -1`), with line
 * breaks folded so the whole failure fits on one line.
 *
 * @example
 * ```ts
 * oneLine(new CliError("no such run")); // "no such run"
 * ```
 */
export function oneLine(error: unknown): string {
  let text: string;
  if (error instanceof CliError) text = error.message;
  else if (error instanceof Error) {
    const generic = error.name === "Error" || error.name === "";
    text = generic ? error.message : `${error.name}: ${error.message}`;
  } else text = String(error);
  return text
    .split("\n")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .join(" ");
}

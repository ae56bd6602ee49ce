/**
 * What the command shows while it trains: a progress bar with loss, accuracy and speed on a
 * terminal (stderr), and one plain line per epoch or finished run either way (stdout), so logs
 * and pipes stay readable.
 *
 * @module
 */

import cliProgress from "cli-progress";

/**
 * Whether stderr is a terminal that can redraw a bar (not under CI, not TERM=dumb).
 *
 * @example
 * ```ts
 * if (!canDrawBar()) console.log("epoch 1 done");
 * ```
 */
export function canDrawBar(): boolean {
  return process.stderr.isTTY === true && process.env.TERM !== "dumb" && process.env.CI === undefined;
}

/**
 * A percentage with one decimal (`93.4%`).
 *
 * @example
 * ```ts
 * pct(0.9342); // "93.4%"
 * ```
 */
export function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "-";
}

/**
 * A loss with four significant digits.
 *
 * @example
 * ```ts
 * fmtLoss(0.123456); // "0.1235"
 * ```
 */
export function fmtLoss(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(4) : String(x);
}

/**
 * One progress bar (with lines printed above it), or plain lines when stderr is not a terminal.
 *
 * @example
 * ```ts
 * const p = new Progress("step {value}/{total} | loss {loss}", 100, 0, { loss: "-" });
 * p.update(1, { loss: "2.301" });
 * p.log("epoch 1 done");
 * p.stop();
 * ```
 */
export class Progress {
  private readonly multi: cliProgress.MultiBar | null;
  private readonly bar: cliProgress.SingleBar | null;

  constructor(format: string, total: number, start: number, payload: Record<string, unknown>) {
    if (!canDrawBar()) {
      this.multi = null;
      this.bar = null;
      return;
    }
    this.multi = new cliProgress.MultiBar(
      { format, barsize: 24, hideCursor: true, clearOnComplete: true, etaBuffer: 100, autopadding: true },
      cliProgress.Presets.shades_classic,
    );
    this.bar = this.multi.create(total, start, payload);
  }

  /** Move the bar to `value` with new payload values. */
  update(value: number, payload: Record<string, unknown>): void {
    this.bar?.update(value, payload);
  }

  /** Print a line (above the bar when there is one). */
  log(line: string): void {
    if (this.multi !== null) this.multi.log(`${line}\n`);
    else process.stdout.write(`${line}\n`);
  }

  /** Remove the bar. */
  stop(): void {
    this.multi?.stop();
  }
}

/**
 * The format of the training bar.
 * @example
 * ```ts
 * const payload = { epoch: 1, epochs: 3, loss: "-", acc: "-", speed: "-" };
 * const bar = new Progress(TRAIN_BAR, totalSteps, 0, payload);
 * ```
 */
export const TRAIN_BAR =
  "epoch {epoch}/{epochs} |{bar}| {percentage}% | step {value}/{total} | loss {loss} | acc {acc} | {speed} samples/s | eta {eta_formatted}";

/**
 * The format of the sweep bar.
 * @example const bar = new Progress(SWEEP_BAR, totalSteps, 0, { done: 0, runs: runs.length, speed: "-" });
 */
export const SWEEP_BAR =
  "sweep |{bar}| {percentage}% | runs {done}/{runs} | {speed} samples/s | eta {eta_formatted}";

/**
 * Global tensor print options, PyTorch's `torch.set_printoptions` in camelCase.
 */
import { ValueError } from "../../util/errors.js";
import { assertKnownOptions } from "../../util/options.js";

/** The options that decide how `Tensor.toString()` prints (PyTorch's `PRINT_OPTS`). */
export interface PrintOptions {
  /** Digits after the point (or in the mantissa, in scientific mode). Default 4. */
  precision: number;
  /** Tensors with more elements than this are summarised with `...`. Default 1000. */
  threshold: number;
  /** Items kept at each end of a summarised dimension. Default 3. */
  edgeitems: number;
  /** Characters per line before wrapping. Default 80. */
  linewidth: number;
  /** Force (true) or forbid (false) scientific notation; null lets the values decide. */
  sciMode: boolean | null;
}

/** PyTorch's named presets for {@link setPrintOptions}. */
export type PrintProfile = "default" | "short" | "full";

/** What {@link setPrintOptions} accepts: any of the options plus a `profile` preset. */
export interface SetPrintOptions extends Partial<PrintOptions> {
  /** Start from a preset: `default`, `short` (precision 2, edgeitems 2) or `full` (no summary). */
  profile?: PrintProfile;
}

const PROFILES: Record<PrintProfile, Omit<PrintOptions, "sciMode">> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};

const current: PrintOptions = { ...PROFILES.default, sciMode: null };

const OPTION_NAMES = ["precision", "threshold", "edgeitems", "linewidth", "sciMode", "profile"] as const;

function checkCount(fn: string, name: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new TypeError(`${fn}(): ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/**
 * Set global print options, exactly as `torch.set_printoptions` does: a `profile` resets
 * precision, threshold, edgeitems and linewidth to its preset first, then the given options
 * apply. Like PyTorch, `sciMode` is reset to `null` (automatic) whenever it is not given.
 *
 * @example
 * ```ts
 * tg.setPrintOptions({ precision: 2 });
 * String(tg.tensor([1.12345])); // "tensor([1.12])"
 * tg.setPrintOptions({ threshold: 5 });
 * String(tg.arange(10)); // "tensor([0, 1, 2,  ..., 7, 8, 9])"
 * tg.setPrintOptions({ profile: "default" });
 * ```
 */
export function setPrintOptions(options: SetPrintOptions = {}): void {
  const fn = "setPrintOptions";
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${fn}() expects an options object, got ${String(options)}`);
  }
  assertKnownOptions(fn, options, OPTION_NAMES);
  const { profile, precision, threshold, edgeitems, linewidth, sciMode } = options;
  const next: PrintOptions = { ...current };
  if (profile !== undefined) {
    if (!Object.prototype.hasOwnProperty.call(PROFILES, profile)) {
      throw new ValueError(
        `${fn}(): profile must be one of "default", "short", "full", got ${String(profile)}`,
      );
    }
    Object.assign(next, PROFILES[profile]);
  }
  if (precision !== undefined) next.precision = checkCount(fn, "precision", precision, 0);
  // PyTorch accepts 0 but then prints whole rows or fails in torch.stack when it summarises.
  if (edgeitems !== undefined) next.edgeitems = checkCount(fn, "edgeitems", edgeitems, 1);
  if (linewidth !== undefined) next.linewidth = checkCount(fn, "linewidth", linewidth, 1);
  if (threshold !== undefined) {
    if (typeof threshold !== "number" || Number.isNaN(threshold) || threshold < 0) {
      throw new TypeError(
        `${fn}(): threshold must be a non-negative number or Infinity, got ${String(threshold)}`,
      );
    }
    next.threshold = threshold;
  }
  if (sciMode !== undefined && sciMode !== null && typeof sciMode !== "boolean") {
    throw new TypeError(`${fn}(): sciMode must be true, false or null, got ${String(sciMode)}`);
  }
  next.sciMode = sciMode ?? null;
  Object.assign(current, next);
}

/**
 * A copy of the current print options.
 * @example tg.getPrintOptions().precision // 4
 */
export function getPrintOptions(): PrintOptions {
  return { ...current };
}

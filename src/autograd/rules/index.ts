import { coreRules, type GradRule } from "./core.js";
import { nnRules } from "./nn.js";

/**
 * The one table of gradient rules, keyed by the op name each tensor op records. Rule files are
 * grouped by the ops they differentiate; this is the only place they are merged.
 */
export const gradRules: Readonly<Record<string, GradRule>> = Object.freeze({ ...coreRules, ...nnRules });

export type { GradRule };

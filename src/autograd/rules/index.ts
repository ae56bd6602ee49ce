import { coreRules, type GradRule } from "./core.js";
import { nnRules } from "./nn.js";

/**
 * The one table of gradient rules, keyed by the op name each tensor op records. Rule files are
 * grouped by the ops they differentiate; this is the only place they are merged.
 * @example const grads = gradRules[node.op]!(node, gOut); // one gradient (or null) per input of node
 */
export const gradRules: Readonly<Record<string, GradRule>> = Object.freeze({ ...coreRules, ...nnRules });

export type { GradRule };

/**
 * The optimizers the `tsgrad` command can run and every option each one takes, as flags
 * (`--momentum-decay` for `momentumDecay`), with PyTorch's defaults and meaning.
 *
 * @module
 */

/**
 * Names of the optimizers on the command line (PyTorch's class names, lower-cased).
 * @example OPTIMIZER_NAMES.filter((n) => OPTIMIZERS[n].options.includes("amsgrad")); // ["adam", "adamw"]
 */
export const OPTIMIZER_NAMES = [
  "sgd",
  "adam",
  "adamw",
  "adagrad",
  "rmsprop",
  "adadelta",
  "adamax",
  "nadam",
  "radam",
  "asgd",
  "rprop",
  "lbfgs",
] as const;

/** One optimizer on the command line. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** How a value of an option is written on the command line. */
export type OptionKind =
  "number" | "nonNegative" | "positive" | "integer" | "boolean" | "pair" | "lineSearch";

/** One optimizer option as a flag. */
export interface OptionSpec {
  /** The option's name in tsgrad (camelCase, PyTorch's keyword). */
  key: string;
  /** The flag (`--lr-decay`). */
  flag: string;
  /** How the value is parsed. */
  kind: OptionKind;
  /** One line of help. */
  help: string;
}

/** A value of an optimizer option after parsing. */
export type OptionValue = number | boolean | [number, number] | string | null;

/** What the command knows about one optimizer. */
export interface OptimizerInfo {
  /** The class in `tg.optim`. */
  className: string;
  /** Its options besides `weightDecay` (which has its own flag), in PyTorch's order. */
  options: readonly string[];
  /**
   * Where its `weightDecay` enters: added to the gradient (coupled L2), multiplied into the
   * weights (decoupled), either (chosen by `decoupledWeightDecay`), or not at all.
   */
  decay: "coupled" | "decoupled" | "switchable" | "none";
  /** The learning rate the command uses when `--lr` is not given. */
  defaultLr: number;
}

/**
 * Every optimizer option that has a flag, keyed by its camelCase name.
 * @example OPTION_SPECS.lrDecay?.flag; // "--lr-decay" (kind "nonNegative")
 */
export const OPTION_SPECS: Readonly<Record<string, OptionSpec>> = Object.fromEntries(
  (
    [
      ["lr", "nonNegative", "learning rate (default: 0.05 for sgd, PyTorch's default for the others)"],
      ["momentum", "nonNegative", "momentum factor (sgd, rmsprop; default 0)"],
      ["dampening", "number", "dampening for momentum (sgd; default 0)"],
      ["nesterov", "boolean", "Nesterov momentum (sgd; needs --momentum > 0 and no dampening)"],
      ["maximize", "boolean", "maximize the objective instead of minimizing it"],
      ["betas", "pair", "coefficients of the running averages, b1,b2 (default 0.9,0.999)"],
      ["eps", "nonNegative", "term added to the denominator for numerical stability"],
      ["amsgrad", "boolean", "AMSGrad variant (adam, adamw)"],
      [
        "decoupledWeightDecay",
        "boolean",
        "decoupled weight decay, θ·(1 − lr·λ) before the update (sgd: SGDW; adam, nadam, radam)",
      ],
      [
        "cautiousWeightDecay",
        "boolean",
        "decoupled decay only where the update and the weight agree in sign (sgd, adam, adamw, nadam, radam)",
      ],
      ["lrDecay", "nonNegative", "learning rate decay (adagrad; default 0)"],
      ["initialAccumulatorValue", "nonNegative", "initial value of the sum of squares (adagrad; default 0)"],
      ["alpha", "nonNegative", "smoothing constant (rmsprop 0.99) or power for eta update (asgd 0.75)"],
      ["centered", "boolean", "normalize by an estimate of the gradient's variance (rmsprop)"],
      [
        "rho",
        "nonNegative",
        "coefficient of the running average of squared gradients (adadelta; default 0.9)",
      ],
      ["momentumDecay", "nonNegative", "momentum decay psi (nadam; default 0.004)"],
      ["lambd", "nonNegative", "decay term (asgd; default 1e-4)"],
      ["t0", "nonNegative", "point at which to start averaging (asgd; default 1e6)"],
      ["etas", "pair", "multiplicative decrease and increase factors, down,up (rprop; default 0.5,1.2)"],
      ["stepSizes", "pair", "minimal and maximal step sizes, min,max (rprop; default 1e-6,50)"],
      ["maxIter", "integer", "maximal iterations per step (lbfgs; default 20)"],
      ["maxEval", "integer", "maximal function evaluations per step (lbfgs; default maxIter*1.25)"],
      [
        "toleranceGrad",
        "nonNegative",
        "termination tolerance on first-order optimality (lbfgs; default 1e-7)",
      ],
      ["toleranceChange", "nonNegative", "termination tolerance on changes (lbfgs; default 1e-9)"],
      ["historySize", "integer", "update history size (lbfgs; default 100)"],
      ["lineSearchFn", "lineSearch", "line search: strong_wolfe or none (lbfgs; default none)"],
    ] as const
  ).map(([key, kind, help]) => [key, { key, flag: `--${kebab(key)}`, kind, help }]),
);

/**
 * The optimizers, with their options in PyTorch's order (weight decay apart).
 * @example
 * ```ts
 * OPTIMIZERS.adam.className; // "Adam"
 * OPTIMIZERS.adam.decay; // "switchable": decoupledWeightDecay chooses; OPTIMIZERS.adam.defaultLr is 1e-3
 * ```
 */
export const OPTIMIZERS: Readonly<Record<OptimizerName, OptimizerInfo>> = {
  sgd: {
    className: "SGD",
    options: [
      "lr",
      "momentum",
      "dampening",
      "nesterov",
      "maximize",
      "decoupledWeightDecay",
      "cautiousWeightDecay",
    ],
    decay: "coupled",
    defaultLr: 0.05,
  },
  adam: {
    className: "Adam",
    options: ["lr", "betas", "eps", "amsgrad", "maximize", "decoupledWeightDecay", "cautiousWeightDecay"],
    decay: "switchable",
    defaultLr: 1e-3,
  },
  adamw: {
    className: "AdamW",
    options: ["lr", "betas", "eps", "amsgrad", "maximize", "cautiousWeightDecay"],
    decay: "decoupled",
    defaultLr: 1e-3,
  },
  adagrad: {
    className: "Adagrad",
    options: ["lr", "lrDecay", "initialAccumulatorValue", "eps", "maximize"],
    decay: "coupled",
    defaultLr: 1e-2,
  },
  rmsprop: {
    className: "RMSprop",
    options: ["lr", "momentum", "alpha", "eps", "centered", "maximize"],
    decay: "coupled",
    defaultLr: 1e-2,
  },
  adadelta: {
    className: "Adadelta",
    options: ["lr", "rho", "eps", "maximize"],
    decay: "coupled",
    defaultLr: 1.0,
  },
  adamax: {
    className: "Adamax",
    options: ["lr", "betas", "eps", "maximize"],
    decay: "coupled",
    defaultLr: 2e-3,
  },
  nadam: {
    className: "NAdam",
    options: [
      "lr",
      "betas",
      "eps",
      "momentumDecay",
      "decoupledWeightDecay",
      "maximize",
      "cautiousWeightDecay",
    ],
    decay: "switchable",
    defaultLr: 2e-3,
  },
  radam: {
    className: "RAdam",
    options: ["lr", "betas", "eps", "decoupledWeightDecay", "maximize", "cautiousWeightDecay"],
    decay: "switchable",
    defaultLr: 1e-3,
  },
  asgd: {
    className: "ASGD",
    options: ["lr", "lambd", "alpha", "t0", "maximize"],
    decay: "coupled",
    defaultLr: 1e-2,
  },
  rprop: {
    className: "Rprop",
    options: ["lr", "etas", "stepSizes", "maximize"],
    decay: "none",
    defaultLr: 1e-2,
  },
  lbfgs: {
    className: "LBFGS",
    options: ["lr", "maxIter", "maxEval", "toleranceGrad", "toleranceChange", "historySize", "lineSearchFn"],
    decay: "none",
    defaultLr: 1,
  },
};

/**
 * `someName` as `some-name`, the flag spelling of an option.
 *
 * @example
 * ```ts
 * kebab("initialAccumulatorValue"); // "initial-accumulator-value"
 * ```
 */
export function kebab(camel: string): string {
  return camel.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
}

/**
 * The optimizers that take a given option, for messages (`--momentum applies to sgd, rmsprop`).
 *
 * @example
 * ```ts
 * optimizersWith("betas"); // ["adam", "adamw", "adamax", "nadam", "radam"]
 * ```
 */
export function optimizersWith(key: string): OptimizerName[] {
  return OPTIMIZER_NAMES.filter((name) => OPTIMIZERS[name].options.includes(key));
}

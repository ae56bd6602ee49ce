/**
 * `optim.explain(optimizer)`: the exact update each parameter group will receive, written out with
 * its numbers, and where weight decay enters — the answer to "what does my optimizer actually do?".
 * @module
 */

import { pyNumberRepr } from "../util/python-repr.js";
import type { Optimizer, ParamGroup } from "./optimizer.js";
import { toSnakeCase } from "./state-dict.js";
import { decayScaleFactor, decoupledDecayFactor, type DecayScale } from "./weight-decay.js";

/** How a group's weight decay reaches the weights. */
export type DecayKind = "none" | "coupled" | "decoupled";

/** The explanation of one parameter group. */
export interface GroupExplanation {
  /** Index of the group in `optimizer.paramGroups`. */
  index: number;
  /** Number of tensors and of scalar elements in the group. */
  tensors: number;
  elements: number;
  /** The group's hyperparameters under PyTorch's names (`weight_decay`, ...). */
  hyperparameters: Record<string, unknown>;
  /** Where weight decay enters (none when λ = 0 or the optimizer has none). */
  decay: DecayKind;
  /** The per-element update, one operation per line, in the order it is applied. */
  update: string[];
  /** For coupled decay: the loss term that gives the same gradient, e.g. `0.45·‖w‖²`. */
  lossTerm: string | null;
  /** The factor that multiplies the weights every step from decay alone (1 − lr·λ for SGD/AdamW). */
  shrinkPerStep: number | null;
  /** For decoupled decay: the EMA timescale τ = 1/(s·λ) in steps. */
  timescaleSteps: number | null;
  /** Remarks a PyTorch user should know (e.g. Adam rescales coupled decay). */
  notes: string[];
}

/** What {@link explain} returns; `toString()` gives the report as text. */
export interface Explanation {
  optimizer: string;
  groups: GroupExplanation[];
  toString(): string;
}

/**
 * A number for people: up to 12 significant digits, Python-style (`0.91`, `1e-05`).
 * @example num(1e-5); // "1e-05"; num(0.1 + 0.2) is "0.3", num(1 / 3) "0.333333333333", num(Infinity) "inf"
 */
export function num(x: number): string {
  if (!Number.isFinite(x)) return pyNumberRepr(x);
  return pyNumberRepr(Number(x.toPrecision(12)));
}

const g = (h: ParamGroup, key: string): number => h[key] as number;
const pair = (h: ParamGroup, key: string): [number, number] => h[key] as [number, number];

interface Parts {
  update: string[];
  notes: string[];
}

/** The gradient line(s) shared by optimizers with maximize and coupled decay. */
function gradientLines(h: ParamGroup, coupled: boolean): string[] {
  const lines = [h.maximize === true ? "g ← −∇L                      (maximize)" : "g ← ∇L"];
  if (coupled)
    lines.push(`g ← g + ${num(g(h, "weightDecay"))}·w   (coupled weight decay: added to the gradient)`);
  return lines;
}

function decoupledLine(h: ParamGroup): string {
  const lam = num(g(h, "weightDecay"));
  const scale = (h.decayScale as DecayScale | undefined) ?? "lr";
  const s =
    scale === "lr"
      ? `1 − lr·λ = 1 − ${num(h.lr)}·${lam}`
      : scale === "none"
        ? `1 − λ = 1 − ${lam} (decayScale "none")`
        : `1 − (lr/initial lr)·λ = 1 − (${num(h.lr)}/${num(Number(h.initialLr ?? h.lr))})·${lam} (decayScale "lrRatio")`;
  // A copy, so explaining never records `initialLr` on the real group.
  const factor = decoupledDecayFactor({ ...h }, g(h, "weightDecay"));
  const cautious =
    h.cautiousWeightDecay === true ? "; cautious: only where the update and w agree in sign" : "";
  return `w ← ${num(factor)}·w   (decoupled weight decay, before the update: ${s}${cautious})`;
}

function sgdParts(h: ParamGroup, coupled: boolean): Parts {
  const mu = g(h, "momentum");
  const tau = g(h, "dampening");
  const update = gradientLines(h, coupled);
  const notes: string[] = [];
  if (mu !== 0) {
    update.push(`b ← ${num(mu)}·b + ${num(1 - tau)}·g   (momentum buffer; b ← g at the first step)`);
    update.push(h.nesterov === true ? `g ← g + ${num(mu)}·b   (Nesterov)` : "g ← b");
  }
  update.push(`w ← w − ${num(h.lr)}·g`);
  if (coupled && mu === 0 && h.maximize !== true) {
    const lam = g(h, "weightDecay");
    notes.push(
      `one step: w ← ${num(1 - h.lr * lam)}·w − ${num(h.lr)}·∇L — the weights shrink by a factor ${num(1 - h.lr * lam)} before the gradient step`,
    );
  }
  if (coupled && mu !== 0)
    notes.push("the decay term goes through the momentum buffer like the rest of the gradient");
  return { update, notes };
}

function adamParts(h: ParamGroup, coupled: boolean, name: string): Parts {
  const [b1, b2] = pair(h, "betas");
  const update = gradientLines(h, coupled);
  update.push(`m ← m + ${num(1 - b1)}·(g − m)   (first moment, β1 = ${num(b1)})`);
  update.push(`v ← ${num(b2)}·v + ${num(1 - b2)}·g²   (second moment)`);
  if (h.amsgrad === true) update.push("v_max ← max(v_max, v);  v ← v_max   (AMSGrad)");
  update.push(`w ← w − ${num(h.lr)}/(1 − ${num(b1)}^t) · m / (√v/√(1 − ${num(b2)}^t) + ${num(g(h, "eps"))})`);
  const notes: string[] = [];
  if (coupled) {
    notes.push(
      `coupled decay in ${name} is divided by √v like the gradient, so weights with large gradients are decayed less; AdamW (decoupled) avoids this`,
    );
  }
  return { update, notes };
}

function genericParts(h: ParamGroup, name: string, coupled: boolean): Parts {
  const update = gradientLines(h, coupled);
  const notes: string[] = [];
  switch (name) {
    case "Adagrad":
      update.push(
        `s ← s + g²;  w ← w − ${num(h.lr)}/(1 + (t − 1)·${num(g(h, "lrDecay"))}) · g/(√s + ${num(g(h, "eps"))})`,
      );
      break;
    case "RMSprop": {
      const a = g(h, "alpha");
      update.push(`v ← ${num(a)}·v + ${num(1 - a)}·g²`);
      const denom =
        h.centered === true
          ? `√(v − ḡ²) + ${num(g(h, "eps"))} (centered: ḡ ← ${num(a)}·ḡ + ${num(1 - a)}·g)`
          : `√v + ${num(g(h, "eps"))}`;
      if (g(h, "momentum") !== 0)
        update.push(`b ← ${num(g(h, "momentum"))}·b + g/(${denom});  w ← w − ${num(h.lr)}·b`);
      else update.push(`w ← w − ${num(h.lr)}·g/(${denom})`);
      break;
    }
    case "Adadelta": {
      const rho = g(h, "rho");
      const eps = num(g(h, "eps"));
      update.push(`v ← ${num(rho)}·v + ${num(1 - rho)}·g²;  Δ ← √(u + ${eps})/√(v + ${eps})·g`);
      update.push(`u ← ${num(rho)}·u + ${num(1 - rho)}·Δ²;  w ← w − ${num(h.lr)}·Δ`);
      break;
    }
    case "Adamax": {
      const [b1, b2] = pair(h, "betas");
      update.push(`m ← m + ${num(1 - b1)}·(g − m);  u ← max(${num(b2)}·u, |g| + ${num(g(h, "eps"))})`);
      update.push(`w ← w − ${num(h.lr)}/(1 − ${num(b1)}^t) · m/u`);
      break;
    }
    case "ASGD":
      update.push(
        `w ← w·(1 − ${num(g(h, "lambd"))}·η) − η·g   (η = ${num(h.lr)}/(1 + ${num(g(h, "lambd"))}·${num(h.lr)}·t)^${num(g(h, "alpha"))}; averaging from step ${num(g(h, "t0"))})`,
      );
      notes.push(
        "ASGD also shrinks the weights by its own λ (lambd) every step, independently of weight_decay",
      );
      break;
    case "Rprop": {
      const [etaMinus, etaPlus] = pair(h, "etas");
      const [lo, hi] = pair(h, "stepSizes");
      update.push(
        `step ← step·${num(etaPlus)} where g·g_prev > 0, step·${num(etaMinus)} where < 0 (clamped to [${num(lo)}, ${num(hi)}])`,
      );
      update.push("w ← w − sign(g)·step");
      break;
    }
    case "LBFGS":
      update.push(
        `d ← −H·g (two-loop recursion over the last ${num(g(h, "historySize"))} steps);  w ← w + t·d`,
      );
      update.push(
        `t from ${h.lineSearchFn === "strong_wolfe" ? "a strong-Wolfe line search" : `a fixed step lr = ${num(h.lr)}`}, up to ${num(g(h, "maxIter"))} iterations per step()`,
      );
      break;
    case "NAdam": {
      const [b1, b2] = pair(h, "betas");
      update.push(`m ← m + ${num(1 - b1)}·(g − m);  v ← ${num(b2)}·v + ${num(1 - b2)}·g²`);
      update.push(`μ_t = ${num(b1)}·(1 − 0.5·0.96^(t·${num(g(h, "momentumDecay"))}))`);
      update.push(
        `w ← w − ${num(h.lr)}·((1 − μ_t)/(1 − Πμ)·g + μ_{t+1}/(1 − Πμ·μ_{t+1})·m) / (√(v/(1 − ${num(b2)}^t)) + ${num(g(h, "eps"))})`,
      );
      break;
    }
    case "RAdam": {
      const [b1, b2] = pair(h, "betas");
      update.push(`m ← m + ${num(1 - b1)}·(g − m);  v ← ${num(b2)}·v + ${num(1 - b2)}·g²`);
      update.push(
        `w ← w − ${num(h.lr)}·m/(1 − ${num(b1)}^t) · (r_t·√(1 − ${num(b2)}^t)/(√v + ${num(g(h, "eps"))}) once ρ_t > 5, else 1)`,
      );
      break;
    }
    default:
      update.push("w ← w − (the optimizer's update)");
  }
  return { update, notes };
}

const COUPLED_ONLY = new Set(["Adagrad", "RMSprop", "Adadelta", "Adamax", "ASGD"]);
const NO_DECAY = new Set(["Rprop", "LBFGS"]);

function decayKind(name: string, h: ParamGroup): DecayKind {
  if (NO_DECAY.has(name)) return "none";
  const lam = h.weightDecay;
  if (typeof lam !== "number" || lam === 0) return "none";
  if (COUPLED_ONLY.has(name)) return "coupled";
  return h.decoupledWeightDecay === true ? "decoupled" : "coupled";
}

function snakeHyperparameters(h: ParamGroup): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(h)) if (k !== "params") out[toSnakeCase(k)] = v;
  return out;
}

function pyValue(v: unknown): string {
  if (typeof v === "number") return pyNumberRepr(v);
  if (typeof v === "boolean") return v ? "True" : "False";
  if (v === null || v === undefined) return "None";
  if (typeof v === "string") return `'${v}'`;
  if (Array.isArray(v)) return `(${v.map(pyValue).join(", ")})`;
  return String(v);
}

/**
 * Explain, per parameter group, the exact update the optimizer will apply: the operations in
 * order with the group's numbers filled in, where weight decay enters, and what it amounts to —
 * for coupled decay the equivalent loss term `(λ/2)·‖w‖²` (the gradient of that term is λ·w), for
 * decoupled decay the shrink factor per step and the EMA timescale 1/(lr·λ).
 *
 * @example
 * ```ts
 * const opt = new tg.optim.SGD([w], { lr: 0.1, weightDecay: 0.9 });
 * console.log(tg.optim.explain(opt).toString());
 * // SGD, param group 0: 1 tensor, 20 elements
 * //   g ← ∇L
 * //   g ← g + 0.9·w            (coupled weight decay: added to the gradient)
 * //   w ← w − 0.1·g
 * //   equivalent loss term: (0.9/2)·‖w‖² = 0.45·‖w‖² ...
 * ```
 */
export function explain(optimizer: Optimizer): Explanation {
  const name = optimizer.name;
  const groups = optimizer.paramGroups.map((h, index): GroupExplanation => {
    const kind = decayKind(name, h);
    const coupled = kind === "coupled";
    const parts =
      name === "SGD"
        ? sgdParts(h, coupled)
        : name === "Adam" || name === "AdamW"
          ? adamParts(h, coupled, name)
          : genericParts(h, name, coupled);
    const update = kind === "decoupled" ? [decoupledLine(h), ...parts.update] : parts.update;
    const lam = typeof h.weightDecay === "number" ? h.weightDecay : 0;
    let lossTerm: string | null = null;
    let shrink: number | null = null;
    let tau: number | null = null;
    if (kind === "coupled") {
      lossTerm = `(${num(lam)}/2)·‖w‖² = ${num(lam / 2)}·‖w‖²`;
      if (name === "SGD" && h.momentum === 0) shrink = 1 - h.lr * lam;
    } else if (kind === "decoupled") {
      const s = decayScaleFactor({ ...h });
      shrink = 1 - s * lam;
      tau = 1 / (s * lam);
    }
    const elements = h.params.reduce((n, p) => n + p.numel(), 0);
    return {
      index,
      tensors: h.params.length,
      elements,
      hyperparameters: snakeHyperparameters(h),
      decay: kind,
      update,
      lossTerm,
      shrinkPerStep: shrink,
      timescaleSteps: tau,
      notes: parts.notes,
    };
  });
  return { optimizer: name, groups, toString: () => render(name, groups) };
}

function render(name: string, groups: GroupExplanation[]): string {
  const out: string[] = [];
  for (const e of groups) {
    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
    out.push(
      `${name}, param group ${e.index}: ${plural(e.tensors, "tensor")}, ${plural(e.elements, "element")}`,
    );
    const hp = Object.entries(e.hyperparameters)
      .filter(([k]) => !["foreach", "differentiable", "fused", "capturable"].includes(k))
      .map(([k, v]) => `${k}=${pyValue(v)}`)
      .join(", ");
    out.push(`  hyperparameters: ${hp}`);
    out.push("  update, per element, in this order:");
    for (const line of e.update) out.push(`    ${line}`);
    if (e.decay === "none") out.push("  weight decay: none for this group");
    if (e.lossTerm) {
      out.push(
        `  equivalent loss term: ${e.lossTerm} over this group's parameters — the same updates as ${name} without weight decay on L + ${e.lossTerm.split(" = ")[1]}`,
      );
    }
    if (e.decay === "decoupled" && e.shrinkPerStep !== null && e.timescaleSteps !== null) {
      out.push(
        `  decoupled: no loss term; the weights shrink by a factor ${num(e.shrinkPerStep)} per step, an exponential moving average with timescale τ = 1/(s·λ) = ${num(e.timescaleSteps)} steps`,
      );
    }
    for (const note of e.notes) out.push(`  note: ${note}`);
  }
  return out.join("\n");
}

/**
 * Fused optimizer steps (SGD, Adam, AdamW, Adagrad, RMSprop): the parameters, gradients and state of each parameter group are moved
 * into one flat arena in the WebAssembly kernel memory, and a step becomes one SIMD pass per group
 * (split across the backend's threads) instead of one JS loop per tensor.
 *
 * The per-tensor reference loop stays the definition: {@link fusedApplies} (one small predicate)
 * picks the fused pass only when every parameter of the group is in the arena with a gradient and
 * the same step count, and anything else (a missing gradient, a parameter added later, state
 * loaded from a state dict mid-way) takes the reference loop or is re-adopted into the arena.
 *
 * Numerics: every operation rounds to the parameter dtype as PyTorch's CPU kernels do. At
 * PyTorch's fused multiply-adds (SGD: weight decay, momentum, Nesterov and the update; Adam: weight
 * decay, the `lerp` of the first moment and the `addcmul` of the second) WebAssembly has no FMA, so
 * by default the product is rounded first: such a result may differ from PyTorch's (and from the
 * reference loop) by an ulp per site and step (measured: 64–98% of float32 values bit-identical
 * after six steps, the rest within an ulp of the tensor's scale per step; float64 within a few
 * ulp). `exactFma: true` (float32) emulates the FMA exactly and is bit-identical to the reference
 * loop, at a compute cost (see {@link FuseOptions}).
 *
 * Storage: a fused parameter's tensor keeps its identity but its storage becomes a view of the
 * arena (views taken from it *before* fusing no longer alias it), its `.grad` becomes an arena view
 * at each step (values preserved; with `zeroGrad({ setToNone: false })` backward then accumulates
 * straight into the arena, otherwise each step copies the fresh gradient in), and its state tensors
 * are arena views.
 *
 * @example
 * ```ts
 * const wasm = await tg.createWasmBackend({ threads: 2 });
 * const opt = new tg.optim.Adam(model.parameters(), { lr: 1e-3 });
 * const fused = fuseOptimizer(opt, wasm);
 * opt.step(); // one SIMD pass over the whole model
 * fused.release(); // back to plain tensors and the reference loop
 * ```
 * @module
 */

import type { TypedArray } from "../../tensor/dtype.js";
import { Tensor } from "../../tensor/tensor.js";
import {
  KernelArena,
  fusedStep,
  FUSED_FLAGS,
  FUSED_HYPER,
  type ArenaDtype,
} from "../../backend/wasm/optim.js";
import type { WasmBackend } from "../../backend/wasm/create.js";
import { Adagrad } from "../adagrad.js";
import { Adam } from "../adam.js";
import { arithmeticFor } from "../kernels/scalar.js";
import { scalarTensor, type Optimizer, type ParamGroup } from "../optimizer.js";
import { decoupledDecayFactor } from "../weight-decay.js";
import { pyPow } from "../pow.js";
import { RMSprop } from "../rmsprop.js";
import { SGD } from "../sgd.js";

type Kind = "sgd" | "adam" | "adagrad" | "rmsprop";

/** One group's arena and where each parameter sits in it. */
interface GroupArena {
  kind: Kind;
  group: ParamGroup;
  arena: KernelArena;
  params: Tensor[];
  offsets: number[];
  /** The arena tensors per parameter: [param view, grad view, ...state views]. */
  tensors: Tensor[][];
  /** State keys per region from 2 on. */
  stateKeys: string[];
  /** Emulate PyTorch's FMAs exactly (float32). */
  exactFma: boolean;
}

/** Options of {@link fuseOptimizer}. */
export interface FuseOptions {
  /**
   * float32: emulate PyTorch's fused multiply-adds exactly, so every result is bit-identical to
   * the reference loop (and so to PyTorch's AVX2 kernels). The emulation (float64 products made
   * round-to-odd) makes the step compute-bound: ~1.9 ns/param for Adam and ~2.5 for SGD with
   * momentum and weight decay on two Zen 4 cores, against ~0.45 / 0.37 without it (memory-bound).
   * Default false: each such product is rounded before the add, up to an ulp off per FMA site,
   * which the design accepts for optimizer steps. float64 always rounds the product.
   */
  exactFma?: boolean;
}

/** A fused optimizer: {@link release} restores plain tensors and the reference loop. */
export interface FusedOptimizer {
  /** Steps taken by the fused pass so far (the rest ran the reference loop). */
  readonly fusedSteps: number;
  /** Groups that have an arena. */
  readonly groups: number;
  /** Copy parameters, gradients and state back to ordinary arrays and free the arenas. */
  release(): void;
}

/** Point a parameter at new storage of its shape (PyTorch's `p.data = ...`), keeping its identity. */
function repoint(t: Tensor, view: TypedArray): void {
  t._replaceData(new Tensor(view, t.shape));
  t._bumpVersion();
}

/** Whether a tensor owns all of a dense storage (so its storage can be swapped for an arena view). */
function ownsDenseStorage(t: Tensor): boolean {
  return t._base === null && t.offset === 0 && t.isContiguous() && t.data.length === t.numel();
}

function kindOf(opt: Optimizer): Kind {
  if (opt instanceof Adam) return "adam"; // AdamW is an Adam
  if (opt instanceof SGD) return "sgd";
  if (opt instanceof Adagrad) return "adagrad";
  if (opt instanceof RMSprop) return "rmsprop";
  throw new TypeError(
    `fuseOptimizer: no fused kernel for ${opt.name} (SGD, Adam, AdamW, Adagrad and RMSprop have one)`,
  );
}

/** The state buffers of a group's parameters, in arena-region order (regions 2, 3, ...). */
function stateKeysFor(kind: Kind, group: ParamGroup): string[] {
  switch (kind) {
    case "sgd":
      return group.momentum !== 0 ? ["momentum_buffer"] : [];
    case "adam":
      return group.amsgrad === true ? ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"] : ["exp_avg", "exp_avg_sq"];
    case "adagrad":
      return ["sum"];
    case "rmsprop":
      return [
        "square_avg",
        ...((group.momentum as number) > 0 ? ["momentum_buffer"] : []),
        ...(group.centered === true ? ["grad_avg"] : []),
      ];
  }
}

/** The kernel's state slots s1..s3 for each kind, as state keys (null: unused). */
const SLOT_KEYS: Record<Kind, readonly (string | null)[]> = {
  sgd: ["momentum_buffer", null, null],
  adam: ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"],
  adagrad: ["sum", null, null],
  rmsprop: ["square_avg", "momentum_buffer", "grad_avg"],
};

/** Region index of each kernel slot for a group's arena. */
function slotsOf(g: GroupArena, kind: Kind): (number | null)[] {
  return SLOT_KEYS[kind].map((key) => {
    const r = key === null ? -1 : g.stateKeys.indexOf(key);
    return r < 0 ? null : 2 + r;
  });
}

/** First step: make each parameter's state the arena's zeroed views (with a zero step count). */
function initState(opt: Optimizer, g: GroupArena, withStep: boolean): void {
  g.params.forEach((p, i) => {
    const s = opt.state.get(p);
    if (s !== undefined && Object.keys(s).length > 0) return;
    const views = g.tensors[i] as Tensor[];
    const fresh: Record<string, unknown> = withStep ? { step: scalarTensor(0) } : {};
    g.stateKeys.forEach((key, r) => {
      const v = views[2 + r] as Tensor;
      v.data.fill(0, v.offset, v.offset + p.numel());
      fresh[key] = v;
    });
    opt.state.set(p, Object.assign(s ?? {}, fresh));
  });
}

/** Add one to every parameter's `step` and return the (common) new count. */
function incrementSteps(opt: Optimizer, g: GroupArena): number {
  let t = 0;
  for (const p of g.params) {
    const step = (opt.state.get(p) as Record<string, unknown>).step as Tensor;
    step.data[step.offset] = (step.data[step.offset] as number) + 1;
    t = step.data[step.offset] as number;
  }
  return t;
}

function values(t: Tensor): ArrayLike<number> {
  return t.isContiguous() ? t.data.subarray(t.offset, t.offset + t.numel()) : t.toTypedArray();
}

/**
 * The one predicate: the fused pass applies to `g` now when every parameter still lives in the
 * arena and has a gradient of its dtype, and the state is uniform: absent for all (first step) or
 * present for all with one step count (SGD without momentum has no state).
 *
 * @example
 * ```ts
 * if (!fusedApplies(opt, g)) referenceStep(g);
 * ```
 */
export function fusedApplies(opt: Optimizer, g: GroupArena): boolean {
  // Options that decide which buffers exist (momentum, amsgrad, centered) must not have changed.
  if (stateKeysFor(g.kind, g.group).join() !== g.stateKeys.join()) return false;
  // tsgrad's cautious decay and SGDW have no fused kernel: the reference loop runs them.
  if (g.group.cautiousWeightDecay === true) return false;
  if (g.kind === "sgd" && g.group.decoupledWeightDecay === true && g.group.weightDecay !== 0) return false;
  let withState = 0;
  let step = NaN;
  for (let i = 0; i < g.params.length; i++) {
    const p = g.params[i] as Tensor;
    if (p.data !== (g.tensors[i] as Tensor[])[0]!.data) return false;
    const grad = p.grad;
    if (grad === null || grad.dtype !== p.dtype || grad.numel() !== p.numel()) return false;
    const s = opt.state.get(p);
    if (s !== undefined && Object.keys(s).length > 0) {
      withState++;
      if (g.stateKeys.some((key) => !(s[key] instanceof Tensor))) return false;
      if (s.step instanceof Tensor) {
        const t = s.step.item();
        if (withState > 1 && t !== step) return false;
        step = t;
      }
    }
  }
  return withState === 0 || withState === g.params.length || g.stateKeys.length === 0;
}

/** Bring gradients and any state that is not an arena view into the arena. */
function adopt(opt: Optimizer, g: GroupArena): void {
  for (let i = 0; i < g.params.length; i++) {
    const p = g.params[i] as Tensor;
    const views = g.tensors[i] as Tensor[];
    const gv = views[1] as Tensor;
    const grad = p.grad as Tensor;
    if (grad.data !== gv.data || grad.offset !== gv.offset) {
      gv.data.set(values(grad), gv.offset);
      p.grad = gv;
    }
    const s = opt.state.get(p);
    if (s === undefined) continue;
    g.stateKeys.forEach((key, r) => {
      const t = s[key];
      const view = views[2 + r] as Tensor;
      if (t instanceof Tensor && t !== view) {
        view.data.set(values(t), view.offset);
        s[key] = view;
      }
    });
  }
}

function sgdStep(opt: Optimizer, g: GroupArena): void {
  const group = g.group;
  const f32 = g.arena.dtype === "float32";
  const { round } = arithmeticFor(f32);
  const F = FUSED_FLAGS.sgd;
  const H = FUSED_HYPER.sgd;
  const momentum = group.momentum as number;
  const weightDecay = group.weightDecay as number;
  let flags = 0;
  if (group.maximize === true) flags |= F.maximize;
  if (weightDecay !== 0) flags |= F.weightDecay;
  if (momentum !== 0) {
    flags |= F.momentum;
    if (group.nesterov === true) flags |= F.nesterov;
    const first = g.params.every((p) => opt.state.get(p)?.momentum_buffer == null);
    if (first) {
      flags |= F.initBuffer;
      g.params.forEach((p, i) => {
        const s = opt.state.get(p) ?? {};
        s.momentum_buffer = (g.tensors[i] as Tensor[])[2];
        opt.state.set(p, s);
      });
    }
  }
  const hyper = new Float64Array(4);
  hyper[H.weightDecay] = round(weightDecay);
  hyper[H.momentum] = round(momentum);
  hyper[H.oneMinusDampening] = round(1 - (group.dampening as number));
  hyper[H.negLr] = round(-(group.lr as number));
  fusedStep(g.arena.runtime, g.arena, "sgd", 0, g.arena.length, flags, hyper, g.exactFma, slotsOf(g, "sgd"));
}

function adamStep(opt: Optimizer, g: GroupArena): void {
  const group = g.group;
  const f32 = g.arena.dtype === "float32";
  const { round } = arithmeticFor(f32);
  const F = FUSED_FLAGS.adam;
  const H = FUSED_HYPER.adam;
  const lr = group.lr as number;
  const [beta1, beta2] = group.betas as [number, number];
  const weightDecay = group.weightDecay as number;
  const amsgrad = group.amsgrad === true;
  initState(opt, g, true);
  const t = incrementSteps(opt, g);
  let flags = 0;
  if (group.maximize === true) flags |= F.maximize;
  if (weightDecay !== 0) flags |= group.decoupledWeightDecay === true ? F.decoupled : F.coupled;
  if (amsgrad) flags |= F.amsgrad;
  const w = round(1 - beta1);
  if (Math.abs(w) < 0.5) flags |= F.lerpFromStart;
  const hyper = new Float64Array(9);
  hyper[H.weightDecay] = round(weightDecay);
  hyper[H.decay] = round(decoupledDecayFactor(group, weightDecay));
  hyper[H.weight] = w;
  hyper[H.weightMinusOne] = round(w - 1);
  hyper[H.beta2] = round(beta2);
  hyper[H.oneMinusBeta2] = round(1 - beta2);
  hyper[H.bc2Sqrt] = round(Math.sqrt(1 - pyPow(beta2, t)));
  hyper[H.eps] = round(group.eps as number);
  hyper[H.negStepSize] = round(-(lr / (1 - pyPow(beta1, t))));
  fusedStep(
    g.arena.runtime,
    g.arena,
    "adam",
    0,
    g.arena.length,
    flags,
    hyper,
    g.exactFma,
    slotsOf(g, "adam"),
  );
}

function adagradStep(opt: Optimizer, g: GroupArena): void {
  const group = g.group;
  const { round } = arithmeticFor(g.arena.dtype === "float32");
  const F = FUSED_FLAGS.adagrad;
  const H = FUSED_HYPER.adagrad;
  const weightDecay = group.weightDecay as number;
  const t = incrementSteps(opt, g); // Adagrad's state exists from construction
  let flags = 0;
  if (group.maximize === true) flags |= F.maximize;
  if (weightDecay !== 0) flags |= F.weightDecay;
  const hyper = new Float64Array(3);
  hyper[H.weightDecay] = round(weightDecay);
  hyper[H.eps] = round(group.eps as number);
  hyper[H.negClr] = round(-((group.lr as number) / (1 + (t - 1) * (group.lrDecay as number))));
  fusedStep(
    g.arena.runtime,
    g.arena,
    "adagrad",
    0,
    g.arena.length,
    flags,
    hyper,
    g.exactFma,
    slotsOf(g, "adagrad"),
  );
}

function rmspropStep(opt: Optimizer, g: GroupArena): void {
  const group = g.group;
  const { round } = arithmeticFor(g.arena.dtype === "float32");
  const F = FUSED_FLAGS.rmsprop;
  const H = FUSED_HYPER.rmsprop;
  const weightDecay = group.weightDecay as number;
  const momentum = group.momentum as number;
  const alpha = group.alpha as number;
  initState(opt, g, true);
  incrementSteps(opt, g);
  let flags = 0;
  if (group.maximize === true) flags |= F.maximize;
  if (weightDecay !== 0) flags |= F.weightDecay;
  if (group.centered === true) flags |= F.centered;
  if (momentum > 0) flags |= F.momentum;
  const w = round(1 - alpha);
  if (Math.abs(w) < 0.5) flags |= F.lerpFromStart;
  const hyper = new Float64Array(8);
  hyper[H.weightDecay] = round(weightDecay);
  hyper[H.alpha] = round(alpha);
  hyper[H.oneMinusAlpha] = w;
  hyper[H.eps] = round(group.eps as number);
  hyper[H.momentum] = round(momentum);
  hyper[H.negLr] = round(-(group.lr as number));
  hyper[H.weight] = w;
  hyper[H.weightMinusOne] = round(w - 1);
  fusedStep(
    g.arena.runtime,
    g.arena,
    "rmsprop",
    0,
    g.arena.length,
    flags,
    hyper,
    g.exactFma,
    slotsOf(g, "rmsprop"),
  );
}

const STEPS: Record<Kind, (opt: Optimizer, g: GroupArena) => void> = {
  sgd: sgdStep,
  adam: adamStep,
  adagrad: adagradStep,
  rmsprop: rmspropStep,
};

function buildArena(
  opt: Optimizer,
  kind: Kind,
  group: ParamGroup,
  backend: WasmBackend,
  exactFma: boolean,
): GroupArena | null {
  const params = group.params;
  if (params.length === 0 || new Set(params).size !== params.length) return null;
  const dtype = params[0]!.dtype;
  if (dtype !== "float32" && dtype !== "float64") return null;
  if (!params.every((p) => p.dtype === dtype && ownsDenseStorage(p))) return null;
  const stateKeys = stateKeysFor(kind, group);
  const offsets: number[] = [];
  let length = 0;
  for (const p of params) {
    offsets.push(length);
    length += p.numel();
  }
  const arena = new KernelArena(backend.runtime, dtype as ArenaDtype, length, 2 + stateKeys.length);
  const g: GroupArena = { kind, group, arena, params, offsets, tensors: [], stateKeys, exactFma };
  const makeTensors = () => {
    g.tensors = params.map((p, i) =>
      arena.views.map(
        (view) => new Tensor(view.subarray(offsets[i], (offsets[i] as number) + p.numel()), p.shape),
      ),
    );
  };
  makeTensors();
  params.forEach((p, i) => {
    const views = g.tensors[i] as Tensor[];
    (views[0] as Tensor).data.set(p.data);
    repoint(p, (views[0] as Tensor).data);
  });
  // When an unshared memory grows its buffer is replaced: re-point everything at the new views.
  arena.onViews = () => {
    const old = g.tensors;
    makeTensors();
    params.forEach((p, i) => {
      const views = g.tensors[i] as Tensor[];
      if (p.data === (old[i] as Tensor[])[0]!.data) repoint(p, (views[0] as Tensor).data);
      if (p.grad !== null && p.grad.data === (old[i] as Tensor[])[1]!.data) p.grad = views[1] as Tensor;
      const s = opt.state.get(p);
      if (s) {
        stateKeys.forEach((key, r) => {
          if (s[key] === (old[i] as Tensor[])[2 + r]) s[key] = views[2 + r];
        });
      }
    });
  };
  return g;
}

/**
 * Move `opt`'s parameters, gradients and state into arenas in `backend`'s kernel memory and make
 * its `step()` run one fused SIMD pass per parameter group where {@link fusedApplies} (the
 * reference loop otherwise). Groups whose parameters are views of other storage, mix dtypes or
 * repeat a tensor stay on the reference loop.
 *
 * @throws TypeError for an optimizer without a fused kernel (SGD, Adam, AdamW, Adagrad and RMSprop
 *   have one).
 * @example
 * ```ts
 * const fused = fuseOptimizer(new tg.optim.AdamW(model.parameters()), wasm);
 * ```
 */
export function fuseOptimizer(
  opt: Optimizer,
  backend: WasmBackend,
  options: FuseOptions = {},
): FusedOptimizer {
  const kind = kindOf(opt);
  const exactFma = options.exactFma ?? false;
  const arenas = new Map<ParamGroup, GroupArena>();
  for (const group of opt.paramGroups) {
    const g = buildArena(opt, kind, group, backend, exactFma);
    if (g) arenas.set(group, g);
  }
  // Adopt state that already exists (fusing after some reference steps).
  for (const g of arenas.values()) {
    for (let i = 0; i < g.params.length; i++) {
      const s = opt.state.get(g.params[i] as Tensor);
      if (!s) continue;
      g.stateKeys.forEach((key, r) => {
        const t = s[key];
        const view = (g.tensors[i] as Tensor[])[2 + r] as Tensor;
        if (t instanceof Tensor) {
          view.data.set(values(t), view.offset);
          s[key] = view;
        }
      });
    }
  }
  // loadStateDict replaces the group objects: find a group's arena by its parameter list.
  const byGroup = new WeakMap<ParamGroup, GroupArena | null>();
  const arenaOf = (group: ParamGroup): GroupArena | undefined => {
    let g = byGroup.get(group);
    if (g === undefined) {
      g = null;
      for (const candidate of arenas.values()) {
        const ps = candidate.params;
        if (ps.length === group.params.length && ps.every((p, i) => p === group.params[i])) g = candidate;
      }
      byGroup.set(group, g);
    }
    if (g !== null) g.group = group;
    return g ?? undefined;
  };
  let fusedSteps = 0;
  let lastCounted = -1;
  opt._groupStep = (group) => {
    const g = arenaOf(group);
    if (g === undefined || !fusedApplies(opt, g)) return false;
    adopt(opt, g);
    STEPS[kind](opt, g);
    for (const p of g.params) p._bumpVersion();
    // Count steps, not groups: several fused groups in one step() count once.
    if (lastCounted !== opt.stepCount) {
      lastCounted = opt.stepCount;
      fusedSteps++;
    }
    return true;
  };
  return {
    get fusedSteps() {
      return fusedSteps;
    },
    groups: arenas.size,
    release() {
      opt._groupStep = null;
      for (const g of arenas.values()) {
        g.params.forEach((p, i) => {
          const views = g.tensors[i] as Tensor[];
          if (p.data === (views[0] as Tensor).data) repoint(p, (views[0] as Tensor).data.slice());
          if (p.grad !== null && p.grad.data === (views[1] as Tensor).data) p.grad = p.grad.clone();
          const s = opt.state.get(p);
          if (s) {
            g.stateKeys.forEach((key, r) => {
              if (s[key] === views[2 + r]) s[key] = (views[2 + r] as Tensor).clone();
            });
          }
        });
        g.arena.release();
      }
      arenas.clear();
    },
  };
}

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  type LRScheduler,
  MultiStepLR,
  MultiplicativeLR,
  OneCycleLR,
  PolynomialLR,
  ReduceLROnPlateau,
  type SchedulerStateDict,
  SequentialLR,
  StepLR,
} from "../src/optim/lr-scheduler/index.js";
import { pyLog } from "../src/optim/lr-scheduler/python.js";
import { expectClose } from "./helpers/close.js";
import { FakeOptimizer, camelGroup } from "./helpers/fake-optimizer.js";
import { decodeNumber, loadFixture } from "./helpers/fixtures.js";

type Encoded = number | string;

interface Spec {
  type: string;
  options?: Record<string, unknown>;
  schedulers?: Spec[];
}

interface Case {
  name: string;
  scheduler: Spec;
  optimizer: "sgd" | "adam";
  groups: Array<Record<string, unknown>>;
  steps: number;
  semantics: string;
  lr: Encoded[][];
  momentum: Encoded[][];
  warnings: string[];
  metrics?: number[];
  epochs?: Array<number | null>;
  schedulerFirst?: boolean;
  torch113?: unknown;
  state?: {
    at: number;
    state_dict: Record<string, unknown>;
    dropped: string[];
    groups: Array<Record<string, unknown>>;
  };
}

interface Fixture {
  meta: Record<string, string>;
  cases: Case[];
  log_samples: Array<[number, number]>;
}

const fixture = loadFixture<Fixture>("lr-schedulers");

// The generator's named functions (JSON cannot carry functions); same arithmetic as its Python table.
const LR_LAMBDAS: Record<string, (e: number) => number> = {
  "pow0.95": (e) => 0.95 ** e,
  inv_sqrt: (e) => 1 / Math.sqrt(e + 1),
  "const0.9": () => 0.9,
  step_half: (e) => 0.5 ** Math.floor(e / 10),
  linear_warmup: (e) => Math.min(1.0, (e + 1) / 10),
};
const SCALE_FNS: Record<string, (x: number) => number> = {
  half: (x) => 1 / 2.0 ** (x - 1),
  inv_iter: (x) => 1 / (1 + 0.05 * x),
  "pow0.99": (x) => 0.99 ** x,
};

type Ctor = new (opt: FakeOptimizer, options: Record<string, unknown>) => LRScheduler;
const CLASSES: Record<string, Ctor> = {
  LambdaLR: LambdaLR as unknown as Ctor,
  MultiplicativeLR: MultiplicativeLR as unknown as Ctor,
  StepLR: StepLR as unknown as Ctor,
  MultiStepLR: MultiStepLR as unknown as Ctor,
  ConstantLR: ConstantLR as unknown as Ctor,
  LinearLR: LinearLR as unknown as Ctor,
  ExponentialLR: ExponentialLR as unknown as Ctor,
  PolynomialLR: PolynomialLR as unknown as Ctor,
  CosineAnnealingLR: CosineAnnealingLR as unknown as Ctor,
  CosineAnnealingWarmRestarts: CosineAnnealingWarmRestarts as unknown as Ctor,
  CyclicLR: CyclicLR as unknown as Ctor,
  OneCycleLR: OneCycleLR as unknown as Ctor,
  SequentialLR: SequentialLR as unknown as Ctor,
  ReduceLROnPlateau: ReduceLROnPlateau as unknown as Ctor,
};

function build(spec: Spec, opt: FakeOptimizer): LRScheduler {
  if (spec.type === "ChainedScheduler") {
    return new ChainedScheduler((spec.schedulers ?? []).map((s) => build(s, opt)));
  }
  const options: Record<string, unknown> = { ...spec.options };
  if (Array.isArray(options.schedulers))
    options.schedulers = (options.schedulers as Spec[]).map((s) => build(s, opt));
  if (typeof options.lrLambda === "string") options.lrLambda = LR_LAMBDAS[options.lrLambda];
  if (Array.isArray(options.lrLambda))
    options.lrLambda = (options.lrLambda as string[]).map((n) => LR_LAMBDAS[n]);
  if (typeof options.scaleFn === "string") options.scaleFn = SCALE_FNS[options.scaleFn];
  const ctor = CLASSES[spec.type];
  if (ctor === undefined) throw new Error(`unknown scheduler ${spec.type}`);
  return new ctor(opt, options);
}

function momentumOf(opt: FakeOptimizer, kind: Case["optimizer"]): number[] {
  return opt.paramGroups.map((g) => (kind === "adam" ? (g.betas as number[])[0] : g.momentum) as number);
}

function stepOnce(sched: LRScheduler, c: Case, t: number): void {
  if (c.metrics !== undefined) (sched as ReduceLROnPlateau).step(c.metrics[t] as number);
  else if (c.epochs !== undefined) sched.step(c.epochs[t] ?? undefined);
  else sched.step();
}

/** Run a case from construction; `from` lets a loaded scheduler continue at step `from`. */
function runSteps(sched: LRScheduler, opt: FakeOptimizer, c: Case, from: number) {
  const lr: number[][] = [];
  const momentum: number[][] = [];
  for (let t = from; t < c.steps; t++) {
    if (!c.schedulerFirst || t > 0) opt.step();
    stepOnce(sched, c, t);
    lr.push(opt.paramGroups.map((g) => g.lr));
    momentum.push(momentumOf(opt, c.optimizer));
  }
  return { lr, momentum };
}

function decodeRows(rows: Encoded[][]): number[][] {
  return rows.map((row) => row.map(decodeNumber));
}

// Strings "inf"/"-inf"/"nan" in an encoded state dict back to numbers.
function decodeState(value: unknown): unknown {
  if (value === "inf" || value === "-inf" || value === "nan") return decodeNumber(value);
  if (Array.isArray(value)) return value.map(decodeState);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeState(v)]));
  }
  return value;
}

function expectRows(actual: number[][], expected: number[][], label: string): void {
  expect(actual.length, `${label} rows`).toBe(expected.length);
  actual.forEach((row, i) =>
    expectClose(row, expected[i] as number[], { rtol: 1e-12, label: `${label} step ${i}` }),
  );
}

let warnings: string[] = [];
beforeEach(() => {
  warnings = [];
  vi.spyOn(process, "emitWarning").mockImplementation(((message: string | Error) => {
    warnings.push(String(message));
  }) as typeof process.emitWarning);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("lr-schedulers fixture", () => {
  it("was made by real PyTorch and covers every scheduler over at least 30 steps", () => {
    expect(fixture.meta.torch).toMatch(/^1\.13/);
    const types = new Set<string>();
    const collect = (s: Spec): void => {
      types.add(s.type);
      (s.schedulers ?? []).forEach(collect);
      ((s.options?.schedulers as Spec[] | undefined) ?? []).forEach(collect);
    };
    fixture.cases.forEach((c) => collect(c.scheduler));
    expect([...types].sort()).toEqual([...Object.keys(CLASSES), "ChainedScheduler"].sort());
    for (const c of fixture.cases) expect(c.steps, c.name).toBeGreaterThanOrEqual(30);
  });

  it("pyLog matches Python's math.log on the powers CosineAnnealingWarmRestarts takes logs of", () => {
    // 10^24 and above are not exact doubles; the schedule never takes logs that large.
    for (const [x, expected] of fixture.log_samples)
      if (x < 1e22) expect(pyLog(x), `log(${x})`).toBe(expected);
  });
});

describe("agreement with the fixture as a whole", () => {
  it("stays within 1e-12 relative everywhere, mostly bit for bit", () => {
    let worst = 0;
    let exact = 0;
    let total = 0;
    const inexact = new Set<string>();
    for (const c of fixture.cases) {
      const opt = new FakeOptimizer(c.groups.map(camelGroup));
      const sched = build(c.scheduler, opt);
      const first = { lr: [opt.paramGroups.map((g) => g.lr)], momentum: [momentumOf(opt, c.optimizer)] };
      const run = runSteps(sched, opt, c, 0);
      const ours = [...first.lr, ...run.lr, ...first.momentum, ...run.momentum].flat();
      const theirs = [...decodeRows(c.lr), ...decodeRows(c.momentum)].flat();
      ours.forEach((a, i) => {
        const e = theirs[i] as number;
        total += 1;
        if (Object.is(a, e)) exact += 1;
        else {
          worst = Math.max(worst, Math.abs(a - e) / Math.abs(e));
          inexact.add(c.name);
        }
      });
    }
    console.info(
      `lr-schedulers: ${exact}/${total} values bit-exact, worst relative error ${worst.toExponential(2)}; ` +
        `not bit-exact (last-ulp libm differences): ${[...inexact].join("; ")}`,
    );
    expect(worst).toBeLessThanOrEqual(1e-12);
  });
});

describe.each(fixture.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
  it(`matches the recorded lr and momentum sequence (${c.semantics})`, () => {
    const opt = new FakeOptimizer(c.groups.map(camelGroup));
    const sched = build(c.scheduler, opt);
    const first = [opt.paramGroups.map((g) => g.lr)];
    const firstM = [momentumOf(opt, c.optimizer)];
    const { lr, momentum } = runSteps(sched, opt, c, 0);
    expectRows([...first, ...lr], decodeRows(c.lr), "lr");
    expectRows([...firstM, ...momentum], decodeRows(c.momentum), "momentum");
    expect(sched.getLastLr()).toEqual(opt.paramGroups.map((g) => g.lr));
    if (c.optimizer === "adam") for (const g of opt.paramGroups) expect((g.betas as number[])[1]).toBe(0.999);
  });

  it("emits the same warnings as PyTorch", () => {
    const opt = new FakeOptimizer(c.groups.map(camelGroup));
    const sched = build(c.scheduler, opt);
    runSteps(sched, opt, c, 0);
    expect(new Set(warnings)).toEqual(new Set(c.warnings));
  });

  it("round-trips its state dict mid-run: a fresh scheduler continues identically", () => {
    const opt = new FakeOptimizer(c.groups.map(camelGroup));
    const sched = build(c.scheduler, opt);
    const k = Math.min(13, c.steps - 5);
    runSteps(sched, opt, { ...c, steps: k }, 0);
    const saved = structuredClone(sched.stateDict());
    const savedGroups = structuredClone(opt.paramGroups);
    const rest = runSteps(sched, opt, c, k);

    const fresh = new FakeOptimizer(c.groups.map(camelGroup));
    const resumed = build(c.scheduler, fresh);
    // Loading the optimizer's state restores its hyperparameters (lr, momentum, initialLr, ...).
    fresh.paramGroups.forEach((g, i) => Object.assign(g, savedGroups[i]));
    fresh.stepCount = opt.stepCount;
    resumed.loadStateDict(saved);
    expect(resumed.getLastLr()).toEqual(savedGroups.map((g) => g.lr));
    const again = runSteps(resumed, fresh, c, k);
    expect(again.lr).toEqual(rest.lr);
    expect(again.momentum).toEqual(rest.momentum);
    expect(resumed.stateDict()).toEqual(sched.stateDict());
  });
});

const withState = fixture.cases.filter((c) => c.state !== undefined);

describe.each(withState.map((c) => [c.name, c, c.state as NonNullable<Case["state"]>] as const))(
  "%s with a PyTorch 1.13 state dict",
  (_name, c, state) => {
    it("loads PyTorch 1.13's state_dict() mid-run and continues identically", () => {
      const opt = new FakeOptimizer(c.groups.map(camelGroup));
      const sched = build(c.scheduler, opt);
      opt.paramGroups.forEach((g, i) => Object.assign(g, decodeState(camelGroup(state.groups[i] ?? {}))));
      opt.stepCount = state.at;
      // The raw JSON: loadStateDict reads "inf"/"-inf" where a number belongs (ReduceLROnPlateau).
      sched.loadStateDict(state.state_dict as SchedulerStateDict);
      if ("last_epoch" in state.state_dict) expect(sched.lastEpoch).toBe(state.state_dict.last_epoch);
      const { lr, momentum } = runSteps(sched, opt, c, state.at);
      expectRows(lr, decodeRows(c.lr).slice(state.at + 1), "lr");
      expectRows(momentum, decodeRows(c.momentum).slice(state.at + 1), "momentum");
    });

    it("holds PyTorch's state-dict keys (current names)", () => {
      const opt = new FakeOptimizer(c.groups.map(camelGroup));
      const ours = Object.keys(build(c.scheduler, opt).stateDict());
      expect(new Set(ours)).toEqual(currentKeys(c.scheduler.type, state.state_dict, state.dropped));
    });
  },
);

/**
 * The keys current PyTorch's state_dict() has, derived from a 1.13 state dict: `verbose` and the
 * unpicklable function references are gone; schedulers built by the base constructor gained
 * `_is_initial`; OneCycleLR stores `_anneal_func_type`; CyclicLR always has `_scale_fn_custom` (None
 * for plain functions) and, when cycling momentum, `use_beta1`; ReduceLROnPlateau gained
 * `default_min_lr` and `_last_lr`.
 */
function currentKeys(type: string, old: Record<string, unknown>, dropped: string[]): Set<string> {
  const keys = new Set([...Object.keys(old), ...dropped.filter((k) => !k.includes("."))]);
  for (const gone of ["verbose", "_scale_fn_ref", "anneal_func"]) keys.delete(gone);
  if ("_step_count" in old) keys.add("_is_initial");
  if (type === "OneCycleLR") keys.add("_anneal_func_type");
  if (type === "CyclicLR" && old.cycle_momentum === true) keys.add("use_beta1");
  if (type === "ReduceLROnPlateau") {
    keys.add("default_min_lr");
    keys.add("_last_lr");
  }
  return keys;
}

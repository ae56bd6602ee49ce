/**
 * Parity of tsgrad's seeded random numbers with PyTorch 1.13 (CPU generator, AVX2 kernels) and
 * numpy 1.24 (legacy RandomState). The fixture (scripts/fixtures/rng.py) records call sequences
 * run through real torch/numpy; each case here replays the same calls through tsgrad's API.
 *
 * Everything is compared bit for bit, except float64 normals ("libm" steps), whose last bits come
 * from glibc's log/sin/cos, which tsgrad evaluates nearly correctly rounded instead: those must be
 * within 2 ulp (of the standard normal, carried through loc + scale·z), and the
 * share that is not bit-exact is reported at the end.
 */
import { afterAll, describe, expect, it } from "vitest";
import { decodeNumber, loadFixture, type EncodedTensor } from "./helpers/fixtures.js";
import { Tensor } from "../src/tensor/tensor.js";
import { allocate, type DType } from "../src/tensor/dtype.js";
import {
  Generator,
  bernoulliInPlace,
  getRngState,
  initialSeed,
  manualSeed,
  normal,
  rand,
  randLike,
  randint,
  randn,
  randnLike,
  randperm,
  setRngState,
} from "../src/tensor/random.js";
import { RandomState } from "../src/tensor/random-state.js";
import { MT19937 } from "../src/random/mt19937.js";
import { TORCH_STATE_SIZE } from "../src/random/torch-generator.js";
import { accurateCos, accurateLog, accurateSin } from "../src/random/accurate-math.js";

// ---- fixture types ----------------------------------------------------------------------------

interface View {
  shape: number[];
  strides: number[];
  offset: number;
}

interface Step {
  op: string;
  libm?: boolean;
  out?: unknown;
  [key: string]: unknown;
}

interface Case {
  id: string;
  steps: Step[];
}

interface ErrorRecord {
  type: string;
  message: string;
}

interface Fixture {
  meta: Record<string, string>;
  torch_capability: string;
  torch: Case[];
  torch_errors: Record<string, ErrorRecord>;
  numpy: Case[];
  numpy_errors: Record<string, ErrorRecord>;
  /** Rows of [x, correctly rounded f(x) (mpmath), glibc's f(x)]. */
  accurate_math: Record<"log" | "sin" | "cos", Array<[number, number, number]>>;
}

interface BigEncoded {
  dtype: "int64" | "uint64";
  shape: number[];
  data: string[];
}

interface NumpyStateOut {
  key: number[];
  pos: number;
  has_gauss: number;
  cached: number;
}

const fx = loadFixture<Fixture>("random");

// ---- comparison -------------------------------------------------------------------------------

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** Distance in units in the last place between two doubles (Infinity across signs). */
function ulps(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b) || Math.sign(a) !== Math.sign(b)) return Infinity;
  f64[0] = a;
  const x = i64[0]!;
  f64[0] = b;
  const y = i64[0]!;
  return Number(x > y ? x - y : y - x);
}

/** The spacing of doubles at |x| (one unit in the last place). */
function ulpOf(x: number): number {
  const a = Math.abs(x);
  if (a < 2 ** -1022) return 2 ** -1074;
  return 2 ** (Math.floor(Math.log2(a)) - 52);
}

/** Where a libm-dependent value came from: loc + scale·z for a standard normal z (per element or one pair). */
type Affine = [number | number[], number | number[]];

const libmStats = {
  torch: { values: 0, inexact: 0, worstZ: 0, worstPlain: 0, hist: new Map<number, number>() },
  numpy: { values: 0, inexact: 0, worstZ: 0, worstPlain: 0, hist: new Map<number, number>() },
};

/**
 * Compare outputs bit for bit, or, for float64 normals (`libm` set), allow the standard normal z
 * to be off by 2 ulp: with loc + scale·z that is |a − e| ≤ 2·|scale|·ulp(z) + ulp(scale·z) + ulp(e)
 * (the product and the sum each round once on either side); for loc = 0 and scale = 1 the map is
 * exact and the bound is simply 2 ulp.
 */
function compareValues(
  actual: ArrayLike<number>,
  expected: EncodedTensor,
  label: string,
  libm?: "torch" | "numpy",
  affine: Affine = [0, 1],
): void {
  expect(actual.length, `${label}: length`).toBe(expected.data.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = decodeNumber(expected.data[i]!);
    if (!libm) {
      if (!Object.is(a, e)) expect.fail(`${label}[${i}]: got ${a}, expected ${e} (bit-exact comparison)`);
      continue;
    }
    const loc = typeof affine[0] === "number" ? affine[0] : affine[0][i]!;
    const scale = typeof affine[1] === "number" ? affine[1] : affine[1][i]!;
    const s = libmStats[libm];
    s.values++;
    if (Object.is(a, e)) continue;
    s.inexact++;
    const z = (e - loc) / scale;
    // Distance in ulps of the standard normal (exact when loc = 0 and scale = 1).
    const dz = loc === 0 && scale === 1 ? ulps(a, e) : Math.abs(a - e) / (Math.abs(scale) * ulpOf(z));
    s.worstZ = Math.max(s.worstZ, dz);
    if (loc === 0 && scale === 1) s.worstPlain = Math.max(s.worstPlain, dz);
    const bucket = Math.ceil(dz);
    s.hist.set(bucket, (s.hist.get(bucket) ?? 0) + 1);
    const bound =
      loc === 0 && scale === 1 ? 2 * ulpOf(e) : 2 * Math.abs(scale) * ulpOf(z) + ulpOf(scale * z) + ulpOf(e);
    if (!(Math.abs(a - e) <= bound)) {
      expect.fail(`${label}[${i}]: got ${a}, expected ${e}: the standard normal is off by more than 2 ulp`);
    }
  }
}

function compareTensor(
  t: Tensor,
  expected: EncodedTensor,
  label: string,
  libm?: "torch" | "numpy",
  affine?: Affine,
): void {
  expect(t.dtype, `${label}: dtype`).toBe(expected.dtype);
  expect([...t.shape], `${label}: shape`).toEqual(expected.shape);
  compareValues(t.toTypedArray(), expected, label, libm, affine);
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

// The cached double normal sits at this offset of PyTorch's state bytes (legacy normal_y).
const NORMAL_Y = 5024;

function compareStateBytes(actual: Uint8Array, expectedHex: string, label: string): void {
  const expected = fromHex(expectedHex);
  expect(actual.length, `${label}: state size`).toBe(TORCH_STATE_SIZE);
  for (let i = 0; i < expected.length; i++) {
    if (i >= NORMAL_Y && i < NORMAL_Y + 8) continue;
    if (actual[i] !== expected[i])
      expect.fail(`${label}: state byte ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
  // The cached normal is a libm-derived double: within 2 ulp like other float64 normals.
  const a = new DataView(actual.buffer, actual.byteOffset).getFloat64(NORMAL_Y, true);
  const e = new DataView(expected.buffer).getFloat64(NORMAL_Y, true);
  compareValues([a], { dtype: "float64", shape: [1], data: [e] }, `${label}: cached normal`, "torch");
}

// ---- torch replay -----------------------------------------------------------------------------

interface TorchEnv {
  gens: Map<string, Generator>;
  states: Map<string, Uint8Array>;
}

function seedValue(s: string): number | bigint {
  const b = BigInt(s);
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

function decodeTensor(e: EncodedTensor): Tensor {
  const data = allocate(e.dtype, e.data.length);
  for (let i = 0; i < e.data.length; i++) data[i] = decodeNumber(e.data[i]!);
  return new Tensor(data, e.shape);
}

/** The target of an in-place step: a fresh tensor, or a view into a zero-filled base storage. */
function target(step: Step, dtype: DType): { base: Tensor; view: Tensor } {
  if (step.view) {
    const v = step.view as View;
    const base = new Tensor(allocate(dtype, step.base as number), [step.base as number]);
    return { base, view: new Tensor(base.data, v.shape, v.strides, v.offset) };
  }
  const t = Tensor._empty(step.size as number[], dtype);
  return { base: t, view: t };
}

function runTorchStep(step: Step, env: TorchEnv, label: string): void {
  const generator = step.gen ? env.gens.get(step.gen as string)! : undefined;
  const dtype = (step.dtype as DType | undefined) ?? "float32";
  const libm = step.libm ? "torch" : undefined;
  const affine = step.affine as Affine | undefined;
  const out = step.out as EncodedTensor;
  switch (step.op) {
    case "manual_seed":
      expect(manualSeed(seedValue(step.seed as string))).toBeInstanceOf(Generator);
      return;
    case "initial_seed":
      expect(String(generator ? generator.initialSeed() : initialSeed()), label).toBe(step.out);
      return;
    case "generator": {
      const g = new Generator();
      if (step.seed !== undefined) expect(g.manualSeed(seedValue(step.seed as string))).toBe(g);
      env.gens.set(step.name as string, g);
      return;
    }
    case "rand":
      return compareTensor(rand(step.size as number[], { dtype, generator }), out, label);
    case "randn":
      return compareTensor(randn(step.size as number[], { dtype, generator }), out, label, libm, affine);
    case "randint": {
      const opts = { generator, dtype: (step.dtype as DType | undefined) ?? "int32" };
      const t = randint(step.low as number, step.high as number, step.size as number[], opts);
      return compareTensor(t, out, label);
    }
    case "randperm":
      return compareTensor(randperm(step.n as number, { generator }), out, label);
    case "normal": {
      const t = normal(step.mean as number, step.std as number, step.size as number[], { dtype, generator });
      return compareTensor(t, out, label, libm, affine);
    }
    case "normal_tensor": {
      const arg = (x: unknown): Tensor | number =>
        typeof x === "number" ? x : decodeTensor(x as EncodedTensor);
      return compareTensor(normal(arg(step.mean), arg(step.std), { generator }), out, label, libm, affine);
    }
    case "uniform_":
    case "normal_":
    case "bernoulli_": {
      const { base, view } = target(step, dtype);
      let r: Tensor;
      if (step.op === "uniform_") r = view.uniform_(step.from as number, step.to as number, { generator });
      else if (step.op === "normal_")
        r = view.normal_(step.mean as number, step.std as number, { generator });
      else r = view.bernoulli_(step.p as number, { generator });
      expect(r).toBe(view);
      return compareTensor(step.view ? base : view, out, label, libm, affine);
    }
    case "rand_like":
    case "randn_like": {
      const { view } = target(step, dtype);
      const t = step.op === "rand_like" ? randLike(view, { generator }) : randnLike(view, { generator });
      expect([...t.strides], `${label}: strides`).toEqual(step.out_strides);
      return compareTensor(t, out, label, libm, affine);
    }
    case "dropout": {
      // What nn.Dropout does in training: mask = bernoulli_(1 − p), then mask / (1 − p), times input.
      const p = step.p as number;
      const mask = Tensor._empty(step.size as number[], dtype);
      bernoulliInPlace(mask, 1 - p, generator);
      const keep = dtype === "float32" ? Math.fround(1 - p) : 1 - p;
      const scaled = mask.toTypedArray().map((m) => (dtype === "float32" ? Math.fround(m / keep) : m / keep));
      return compareValues(scaled, out, label);
    }
    case "module": {
      const calls = step.calls as Array<Step & { size: number[]; dtype: DType }>;
      const outs = step.out as EncodedTensor[];
      expect(calls.length).toBe(outs.length);
      calls.forEach((call, k) => {
        const t = Tensor._empty(call.size, call.dtype);
        if (call.op === "uniform_") t.uniform_(call.from as number, call.to as number, { generator });
        else t.normal_(call.mean as number, call.std as number, { generator });
        compareTensor(t, outs[k]!, `${label} ${call.param as string}`);
      });
      return;
    }
    case "get_state": {
      const bytes = generator ? generator.getState() : getRngState();
      compareStateBytes(bytes, step.out as string, label);
      // Later set_state steps load PyTorch's own bytes, so importing its layout is tested too.
      env.states.set(step.name as string, fromHex(step.out as string));
      return;
    }
    case "set_state": {
      const bytes = env.states.get(step.name as string)!;
      if (generator) expect(generator.setState(bytes)).toBe(generator);
      else setRngState(bytes);
      return;
    }
  }
  throw new Error(`unknown torch step ${step.op}`);
}

describe("PyTorch CPU generator parity (torch 1.13, AVX2 kernels)", () => {
  it("fixture was made with the AVX2 kernels", () => {
    expect(fx.torch_capability).toBe("AVX2");
  });
  for (const c of fx.torch) {
    it(c.id, () => {
      const env: TorchEnv = { gens: new Map(), states: new Map() };
      c.steps.forEach((step, i) => runTorchStep(step, env, `${c.id} step ${i} (${step.op})`));
    });
  }
});

describe("module initialisation bounds (kaiming_uniform_ with a = √5, bias 1/√fan_in)", () => {
  // The double-precision formulas nn.Linear/Conv use; the nn layer must compute them the same way.
  const kaiming = (fanIn: number): number => {
    const a = Math.sqrt(5);
    const gain = Math.sqrt(2 / (1 + a ** 2));
    return Math.sqrt(3) * (gain / Math.sqrt(fanIn));
  };
  const calls = fx.torch
    .flatMap((c) => c.steps)
    .filter((s) => s.op === "module")
    .flatMap((s) => (s.calls as Step[]).filter((call) => call.op === "uniform_"));
  it("match PyTorch's bounds bit for bit", () => {
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      const fanIn = call.fan_in as number;
      const bound = call.kind === "kaiming" ? kaiming(fanIn) : fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      expect(Object.is(-bound, call.from) && Object.is(bound, call.to), `fan_in ${fanIn} ${call.kind}`).toBe(
        true,
      );
    }
  });
});

// ---- numpy replay -----------------------------------------------------------------------------

function intArg(x: unknown): number | bigint {
  return typeof x === "string" ? BigInt(x) : (x as number);
}

function runNumpyStep(rs: RandomState, step: Step, env: Map<string, NumpyStateOut>, label: string): void {
  const libm = step.libm ? "numpy" : undefined;
  const affine = step.affine as Affine | undefined;
  const size = step.size as number[] | undefined;
  const expectScalar = (v: number): void => {
    const e = (step.out as { scalar: number }).scalar;
    expect(typeof v, label).toBe("number");
    compareValues([v], { dtype: "float64", shape: [1], data: [e] }, label, libm, affine);
  };
  switch (step.op) {
    case "seed":
      rs.seed(step.seed as number | number[]);
      return;
    case "random":
    case "standard_normal": {
      const fn = step.op === "random" ? "random" : "standardNormal";
      if (size === undefined) return expectScalar(rs[fn]());
      return compareTensor(rs[fn](size), step.out as EncodedTensor, label, libm, affine);
    }
    case "rand":
    case "randn": {
      const dims = step.dims as number[];
      if (dims.length === 0) return expectScalar(rs[step.op]());
      return compareTensor(rs[step.op](...dims), step.out as EncodedTensor, label, libm, affine);
    }
    case "normal":
    case "uniform": {
      const [a, b] = step.op === "normal" ? [step.loc, step.scale] : [step.low, step.high];
      if (size === undefined) return expectScalar(rs[step.op](a as number, b as number));
      return compareTensor(
        rs[step.op](a as number, b as number, size),
        step.out as EncodedTensor,
        label,
        libm,
        affine,
      );
    }
    case "randint": {
      const out = step.out as EncodedTensor | BigEncoded | { scalar: number };
      if ("scalar" in out) {
        const v =
          step.high === undefined
            ? rs.randint(step.low as number)
            : rs.randint(step.low as number, step.high as number);
        expect(v, label).toBe(out.scalar);
        return;
      }
      if (out.dtype === "int64") {
        // Values beyond int32 storage: check the engine's BigInt path directly.
        const arr = new BigInt64Array(out.data.length);
        rs._engine.randintBigFill(arr, BigInt(intArg(step.low)), BigInt(intArg(step.high)));
        expect([...arr].map(String), label).toEqual(out.data);
        return;
      }
      return compareTensor(
        rs.randint(step.low as number, step.high as number, size!),
        out as EncodedTensor,
        label,
      );
    }
    case "raw": {
      const words = Array.from({ length: step.n as number }, () => String(rs._engine.nextUint32()));
      expect(words, label).toEqual((step.out as BigEncoded).data);
      return;
    }
    case "permutation": {
      const x = step.x as number | EncodedTensor;
      const t = rs.permutation(typeof x === "number" ? x : decodeTensor(x));
      return compareTensor(t, step.out as EncodedTensor, label);
    }
    case "shuffle": {
      const t = decodeTensor(step.x as EncodedTensor);
      rs.shuffle(t);
      return compareTensor(t, step.out as EncodedTensor, label);
    }
    case "get_state": {
      const s = rs.getState();
      const e = step.out as NumpyStateOut;
      expect(s.kind).toBe("MT19937");
      expect([...s.key], `${label}: key`).toEqual(e.key);
      expect(s.pos, `${label}: pos`).toBe(e.pos);
      expect(s.hasGauss, `${label}: has_gauss`).toBe(e.has_gauss === 1);
      compareValues(
        [s.cachedGaussian],
        { dtype: "float64", shape: [1], data: [e.cached] },
        `${label}: cached`,
        libm,
        affine,
      );
      env.set(step.name as string, e);
      return;
    }
    case "set_state": {
      // numpy's tuple form, from numpy's own recorded state.
      const e = env.get(step.name as string)!;
      rs.setState(["MT19937", e.key, e.pos, e.has_gauss, e.cached]);
      return;
    }
  }
  throw new Error(`unknown numpy step ${step.op}`);
}

describe("numpy legacy RandomState parity (numpy 1.24)", () => {
  for (const c of fx.numpy) {
    it(c.id, () => {
      const rs = new RandomState(0);
      const env = new Map<string, NumpyStateOut>();
      c.steps.forEach((step, i) => runNumpyStep(rs, step, env, `${c.id} step ${i} (${step.op})`));
    });
  }

  it("MT19937 init_genrand and init_by_array keys equal numpy's", () => {
    for (const c of fx.numpy) {
      const seedStep = c.steps[0]!;
      const stateStep = c.steps.find((s) => s.op === "get_state");
      if (seedStep.op !== "seed" || !stateStep || c.steps.indexOf(stateStep) !== 1) continue;
      const mt = new MT19937();
      const seed = seedStep.seed as number | number[];
      if (Array.isArray(seed)) mt.initByArray(seed);
      else mt.initGenrand(seed);
      expect([...mt.key], c.id).toEqual((stateStep.out as NumpyStateOut).key);
      expect(mt.pos, c.id).toBe((stateStep.out as NumpyStateOut).pos);
    }
  });
});

// ---- libm -------------------------------------------------------------------------------------

describe("float64 log/sin/cos used by the normal samplers", () => {
  const fns = { log: accurateLog, sin: accurateSin, cos: accurateCos };
  for (const name of ["log", "sin", "cos"] as const) {
    it(`${name} is correctly rounded on the samplers' inputs (glibc differs from correct rounding on a few)`, () => {
      const rows = fx.accurate_math[name];
      expect(rows.length).toBeGreaterThan(1000);
      let glibcOff = 0;
      for (const [x, cr, glibc] of rows) {
        expect(fns[name](x), `${name}(${x})`).toBe(cr);
        if (!Object.is(glibc, cr)) glibcOff++;
      }
      console.info(`${name}: glibc is not correctly rounded on ${glibcOff} of ${rows.length} inputs`);
    });
  }
});

// ---- errors -----------------------------------------------------------------------------------

const torchErrorCalls: Record<string, () => unknown> = {
  uniform_from_gt_to: () => Tensor._empty([3], "float32").uniform_(1, 0),
  uniform_from_out_of_bounds_f32: () => Tensor._empty([3], "float32").uniform_(-1e39, 0),
  uniform_to_out_of_bounds_f32: () => Tensor._empty([3], "float32").uniform_(0, Infinity),
  uniform_range_too_large_f32: () => Tensor._empty([3], "float32").uniform_(-3e38, 3e38),
  uniform_int: () => Tensor._empty([3], "int32").uniform_(0, 1),
  normal_negative_std: () => Tensor._empty([3], "float32").normal_(0, -1),
  normal_nan_std: () => Tensor._empty([3], "float32").normal_(0, NaN),
  normal_small_std: () => Tensor._empty([3], "float32").normal_(0, -1.5e-7),
  normal_int: () => Tensor._empty([3], "int32").normal_(0, 1),
  randn_int: () => randn([2, 3], { dtype: "int32" }),
  rand_int: () => rand([2, 3], { dtype: "int32" }),
  bernoulli_p_high: () => Tensor._empty([3], "float32").bernoulli_(1.5),
  bernoulli_p_low: () => Tensor._empty([3], "float32").bernoulli_(-0.1),
  randint_empty_range: () => randint(5, 5, [3]),
  randint_reversed: () => randint(5, 3, [3]),
  randint_high_zero: () => randint(0, [3]),
  rand_negative_dim: () => rand([2, -1]),
  randperm_negative: () => randperm(-1),
  normal_tensor_negative_std: () => normal(Tensor._empty([3], "float32"), -1),
  normal_std_tensor_negative: () => normal(0, new Tensor(new Float32Array([-1, 1]), [2])),
  normal_tensor_broadcast: () =>
    normal(Tensor._empty([4], "float32"), new Tensor(new Float32Array(6).fill(1), [2, 3])),
  uniform_expanded: () => new Tensor(new Float32Array(3), [2, 3], [0, 1]).uniform_(),
  normal_expanded: () => new Tensor(new Float32Array(1), [3], [0]).normal_(),
  bernoulli_expanded: () => new Tensor(new Float32Array(1), [3], [0]).bernoulli_(0.5),
  leaf_uniform: () => Tensor._empty([3], "float32").requiresGrad_().uniform_(),
  leaf_normal: () => Tensor._empty([3], "float32").requiresGrad_().normal_(),
  set_state_bad_size: () => setRngState(new Uint8Array(10)),
  manual_seed_overflow: () => manualSeed(2n ** 64n),
};

const numpyErrorCalls: Record<string, () => unknown> = {
  seed_negative: () => new RandomState(-1),
  seed_too_big: () => new RandomState(2 ** 32),
  seed_float: () => new RandomState(1.5),
  seed_empty_array: () => new RandomState([]),
  seed_array_out_of_range: () => new RandomState([2 ** 32]),
  randint_empty: () => new RandomState(0).randint(5, 5),
  randint_high_zero: () => new RandomState(0).randint(0),
  randint_high_negative: () => new RandomState(0).randint(-3),
  randint_reversed: () => new RandomState(0).randint(5, 2),
  random_negative_size: () => new RandomState(0).random(-1),
  random_negative_dim: () => new RandomState(0).random([2, -1]),
  normal_negative_scale: () => new RandomState(0).normal(0, -1, 3),
  normal_negative_zero_scale: () => new RandomState(0).normal(0, -0, 3),
  uniform_infinite_range: () => new RandomState(0).uniform(0, Infinity, 3),
  permutation_0d: () => new RandomState(0).permutation(new Tensor(new Float64Array(1), [])),
  shuffle_0d: () => new RandomState(0).shuffle(new Tensor(new Float64Array(1), [])),
  set_state_wrong_kind: () => new RandomState(0).setState(["PCG64", new Uint32Array(624), 624, 0, 0]),
};

// Python exception classes that tsgrad has no class for, and the class it uses instead.
const CLASS_FOR: Record<string, string> = { OverflowError: "ValueError" };

function expectError(fn: () => unknown, record: ErrorRecord, label: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `${label} did not throw`).toBeInstanceOf(Error);
  const err = thrown as Error;
  expect(err.message, label).toBe(record.message);
  expect(err.constructor.name, label).toBe(CLASS_FOR[record.type] ?? record.type);
}

describe("error messages match PyTorch and numpy", () => {
  it("covers every recorded torch error", () => {
    expect(Object.keys(torchErrorCalls).sort()).toEqual(Object.keys(fx.torch_errors).sort());
    expect(Object.keys(numpyErrorCalls).sort()).toEqual(Object.keys(fx.numpy_errors).sort());
  });
  for (const [key, record] of Object.entries(fx.torch_errors)) {
    it(`torch: ${key}`, () => expectError(torchErrorCalls[key]!, record, key));
  }
  for (const [key, record] of Object.entries(fx.numpy_errors)) {
    it(`numpy: ${key}`, () => expectError(numpyErrorCalls[key]!, record, key));
  }
});

afterAll(() => {
  for (const [lib, s] of Object.entries(libmStats)) {
    const pct = s.values ? ((100 * s.inexact) / s.values).toFixed(2) : "0";
    const hist = [...s.hist.entries()].sort((x, y) => x[0] - y[0]).map(([k, v]) => `≤${k}: ${v}`);
    console.info(
      `float64 normals (${lib}): ${s.inexact} of ${s.values} values not bit-exact (${pct}%); ` +
        `worst ${s.worstPlain} ulp for standard normals, ${s.worstZ.toFixed(2)} ulp of the standard normal ` +
        `after loc + scale·z; by ulp: ${hist.join(", ")}`,
    );
  }
});

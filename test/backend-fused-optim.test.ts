/**
 * The fused optimizer pass (src/optim/fused) against the per-tensor reference loop.
 *
 * float64: two copies of the same parameters, one stepped by the reference loop and one by the
 * fused WebAssembly pass, over several steps of random gradients, must agree to 2⁻⁵⁰ (4 ulp) of
 * each tensor's scale per step: the passes differ only where PyTorch fuses a multiply-add (the
 * reference emulates the FMA; WebAssembly rounds the product first), half an ulp per site.
 * float32 with `exactFma`: PyTorch's FMAs are emulated exactly, so parameters and state must be
 * bit-identical to the reference loop's. float32 without it (the default): held to one ulp of the
 * tensor's scale (2⁻²³) per step, and most results must be bit-identical.
 * `TSGRAD_REPORT_FUSED=1` prints the measured differences.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWasmBackend, type WasmBackend } from "../src/backend/wasm/index.js";
import { fusedTuning } from "../src/backend/wasm/optim.js";
import { Adagrad, Adam, AdamW, RMSprop, SGD } from "../src/optim/index.js";
import type { Optimizer } from "../src/optim/optimizer.js";
import { fuseOptimizer } from "../src/optim/fused/fuse-optimizer.js";
import { Tensor } from "../src/tensor/tensor.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type DtypeName = "float32" | "float64";
const SHAPES = [[7, 5], [33], [4, 4, 3], [1], [130]];

function makeParams(dtype: DtypeName, seed: number): Tensor[] {
  const r = rng(seed);
  return SHAPES.map((shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) data[i] = r() * 2 - 1;
    return new Tensor(data, shape).requiresGrad_(true);
  });
}

function setGrads(params: Tensor[], seed: number): void {
  const r = rng(seed);
  for (const p of params) {
    const n = p.numel();
    const data = p.dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) data[i] = (r() * 2 - 1) * (r() < 0.1 ? 100 : 1);
    p.grad = new Tensor(data, p.shape);
  }
}

interface Made {
  name: string;
  make: (params: Tensor[]) => Optimizer;
}

const OPTIMIZERS: Made[] = [
  { name: "SGD", make: (p) => new SGD(p, { lr: 0.1 }) },
  { name: "SGD momentum+wd", make: (p) => new SGD(p, { lr: 0.05, momentum: 0.9, weightDecay: 1e-2 }) },
  {
    name: "SGD nesterov+maximize",
    make: (p) => new SGD(p, { lr: 0.05, momentum: 0.8, nesterov: true, maximize: true }),
  },
  { name: "SGD dampening", make: (p) => new SGD(p, { lr: 0.01, momentum: 0.7, dampening: 0.3 }) },
  { name: "Adam", make: (p) => new Adam(p, { lr: 1e-2 }) },
  { name: "Adam wd+amsgrad", make: (p) => new Adam(p, { lr: 1e-2, weightDecay: 0.1, amsgrad: true }) },
  {
    name: "Adam maximize, beta1 0.3",
    make: (p) => new Adam(p, { lr: 1e-3, betas: [0.3, 0.99], maximize: true }),
  },
  { name: "AdamW", make: (p) => new AdamW(p, { lr: 1e-2, weightDecay: 0.05 }) },
  { name: "AdamW amsgrad", make: (p) => new AdamW(p, { lr: 1e-2, amsgrad: true }) },
  {
    name: "AdamW decayScale none",
    make: (p) => new AdamW(p, { lr: 1e-2, weightDecay: 1e-3, decayScale: "none" }),
  },
  {
    name: "Adam decoupled, decayScale lrRatio",
    make: (p) =>
      new Adam(p, { lr: 1e-2, weightDecay: 0.1, decoupledWeightDecay: true, decayScale: "lrRatio" }),
  },
  { name: "Adagrad", make: (p) => new Adagrad(p, { lr: 0.1 }) },
  {
    name: "Adagrad lr decay+wd+init+maximize",
    make: (p) =>
      new Adagrad(p, {
        lr: 0.1,
        lrDecay: 0.01,
        weightDecay: 0.1,
        initialAccumulatorValue: 0.5,
        maximize: true,
      }),
  },
  { name: "RMSprop", make: (p) => new RMSprop(p, { lr: 1e-2 }) },
  {
    name: "RMSprop centered+momentum+wd",
    make: (p) => new RMSprop(p, { lr: 1e-2, centered: true, momentum: 0.9, weightDecay: 0.01 }),
  },
  {
    name: "RMSprop centered, alpha 0.3",
    make: (p) => new RMSprop(p, { lr: 1e-2, alpha: 0.3, centered: true }),
  },
  {
    name: "RMSprop momentum+maximize",
    make: (p) => new RMSprop(p, { lr: 1e-2, momentum: 0.5, maximize: true }),
  },
];

/** Max |a − e| / scale(e) over a list of tensor pairs, and the fraction of identical elements. */
function compare(a: Tensor[], e: Tensor[]): { err: number; same: number } {
  let err = 0;
  let same = 0;
  let count = 0;
  a.forEach((x, i) => {
    const xs = x.toTypedArray() as ArrayLike<number>;
    const es = (e[i] as Tensor).toTypedArray() as ArrayLike<number>;
    let scale = 0;
    for (let j = 0; j < es.length; j++) scale = Math.max(scale, Math.abs(es[j] as number));
    for (let j = 0; j < es.length; j++) {
      count++;
      if (Object.is(xs[j], es[j])) same++;
      else err = Math.max(err, Math.abs((xs[j] as number) - (es[j] as number)) / (scale || 1));
    }
  });
  return { err, same: count === 0 ? 1 : same / count };
}

function stateTensors(opt: Optimizer, params: Tensor[]): Tensor[] {
  return params.flatMap((p) =>
    Object.entries(opt.state.get(p) ?? {})
      .filter(([k, v]) => k !== "step" && v instanceof Tensor)
      .map(([, v]) => v as Tensor),
  );
}

let wasm: WasmBackend;
const savedMin = fusedTuning.parallelMinElements;

beforeAll(async () => {
  wasm = await createWasmBackend({ threads: 2 });
  fusedTuning.parallelMinElements = 0; // split even these small arenas across both threads
});

afterAll(async () => {
  fusedTuning.parallelMinElements = savedMin;
  await wasm.dispose();
});

const STEPS = 6;

const MODES: Array<{ dtype: DtypeName; exactFma: boolean }> = [
  { dtype: "float64", exactFma: false },
  { dtype: "float32", exactFma: false },
  { dtype: "float32", exactFma: true },
];

describe.each(MODES)("fused step, $dtype, exactFma $exactFma", ({ dtype, exactFma }) => {
  for (const o of OPTIMIZERS) {
    it(`${o.name} matches the reference loop`, () => {
      const ref = makeParams(dtype, 1);
      const fast = makeParams(dtype, 1);
      const refOpt = o.make(ref);
      const fastOpt = o.make(fast);
      const fused = fuseOptimizer(fastOpt, wasm, { exactFma });
      for (let s = 0; s < STEPS; s++) {
        setGrads(ref, 100 + s);
        setGrads(fast, 100 + s);
        refOpt.step();
        fastOpt.step();
      }
      expect(fused.fusedSteps).toBe(STEPS);
      const params = compare(fast, ref);
      const state = compare(stateTensors(fastOpt, fast), stateTensors(refOpt, ref));
      if (process.env.TSGRAD_REPORT_FUSED)
        console.log(
          `FUSED ${dtype} exactFma=${exactFma} ${o.name}: params max err ${params.err.toExponential(2)} (identical ${(100 * params.same).toFixed(1)}%), state max err ${state.err.toExponential(2)} (identical ${(100 * state.same).toFixed(1)}%)`,
        );
      if (exactFma) {
        expect(params.same, "parameters bit-identical").toBe(1);
        expect(state.same, "state bit-identical").toBe(1);
      } else if (dtype === "float64") {
        expect(params.err, "parameters").toBeLessThanOrEqual(STEPS * 2 ** -50);
        expect(state.err, "state").toBeLessThanOrEqual(STEPS * 2 ** -50);
      } else {
        // At most an ulp of the tensor's scale per step from the FMA sites.
        expect(params.err, "parameters").toBeLessThanOrEqual(STEPS * 2 ** -23);
        expect(state.err, "state").toBeLessThanOrEqual(STEPS * 2 ** -23);
        expect(params.same, "fraction bit-identical").toBeGreaterThan(0.5);
      }
      // Step counts and state keys are the reference's.
      for (let i = 0; i < ref.length; i++) {
        const rs = refOpt.state.get(ref[i] as Tensor) ?? {};
        const fs = fastOpt.state.get(fast[i] as Tensor) ?? {};
        expect(Object.keys(fs).sort()).toEqual(Object.keys(rs).sort());
        if (rs.step instanceof Tensor) expect((fs.step as Tensor).item()).toBe(rs.step.item());
      }
      fused.release();
      setGrads(ref, 999);
      setGrads(fast, 999);
      refOpt.step();
      fastOpt.step(); // the reference loop again, on plain arrays
      expect(compare(fast, ref).err).toBeLessThanOrEqual(
        (STEPS + 1) * (dtype === "float64" ? 2 ** -50 : 2 ** -23),
      );
    });
  }
});

describe("exact FMA emulation", () => {
  it("rounds a product that lands on a float32 midpoint the way a fused multiply-add does", () => {
    // d·(−lr) = −(1 + 2⁻¹²)² = −(1 + 2⁻¹¹ + 2⁻²⁴): exactly halfway between two float32 values, so
    // the tiny p decides the rounding. Rounding the float64 sum to float32 (double rounding)
    // loses it; the round-to-odd emulation must agree with the reference loop's correct fma.
    const lr = 1 + 2 ** -12;
    const make = () =>
      [1e-30, -1e-30, 3e-38, -3e-38, 0].map((v) => new Tensor(Float32Array.of(v), [1]).requiresGrad_(true));
    const grad = (ps: Tensor[]) =>
      ps.forEach((p) => (p.grad = new Tensor(Float32Array.of(1 + 2 ** -12), [1])));
    const ref = make();
    const exact = make();
    const plain = make();
    const refOpt = new SGD(ref, { lr });
    const exactOpt = new SGD(exact, { lr });
    const plainOpt = new SGD(plain, { lr });
    const f1 = fuseOptimizer(exactOpt, wasm, { exactFma: true });
    const f2 = fuseOptimizer(plainOpt, wasm, { exactFma: false });
    for (const [ps, opt] of [
      [ref, refOpt],
      [exact, exactOpt],
      [plain, plainOpt],
    ] as const) {
      grad(ps);
      opt.step();
    }
    expect(f1.fusedSteps).toBe(1);
    expect(exact.map((p) => p.item())).toEqual(ref.map((p) => p.item()));
    // The cases are real: rounding the product first gets some of them wrong.
    expect(plain.map((p) => p.item())).not.toEqual(ref.map((p) => p.item()));
    f1.release();
    f2.release();
  });
});

describe("fused step fallbacks", () => {
  it("takes the reference loop when a gradient is missing, then fuses again", () => {
    const ref = makeParams("float64", 3);
    const fast = makeParams("float64", 3);
    const refOpt = new Adam(ref, { lr: 1e-2 });
    const fastOpt = new Adam(fast, { lr: 1e-2 });
    const fused = fuseOptimizer(fastOpt, wasm);
    setGrads(ref, 5);
    setGrads(fast, 5);
    refOpt.step();
    fastOpt.step();
    ref[1]!.grad = null;
    fast[1]!.grad = null;
    refOpt.step();
    fastOpt.step(); // unequal step counts from here on: reference loop
    setGrads(ref, 6);
    setGrads(fast, 6);
    refOpt.step();
    fastOpt.step();
    expect(fused.fusedSteps).toBe(1);
    expect(compare(fast, ref).err).toBeLessThanOrEqual(8 * 2 ** -50);
    fused.release();
  });

  it("adopts state loaded from a state dict and gradients accumulated in place", () => {
    const ref = makeParams("float64", 4);
    const fast = makeParams("float64", 4);
    const refOpt = new SGD(ref, { lr: 0.1, momentum: 0.9 });
    const fastOpt = new SGD(fast, { lr: 0.1, momentum: 0.9 });
    setGrads(ref, 7);
    setGrads(fast, 7);
    refOpt.step();
    fastOpt.step();
    const fused = fuseOptimizer(fastOpt, wasm); // fused after a reference step: state adopted
    for (let s = 0; s < 3; s++) {
      setGrads(ref, 8 + s);
      setGrads(fast, 8 + s);
      refOpt.step();
      fastOpt.step();
    }
    fastOpt.loadStateDict(refOpt.stateDict());
    setGrads(ref, 20);
    setGrads(fast, 20);
    refOpt.step();
    fastOpt.step();
    expect(fused.fusedSteps).toBe(4);
    expect(compare(fast, ref).err).toBeLessThanOrEqual(8 * 2 ** -50);
    fused.release();
  });

  it("refuses optimizers without a fused kernel", async () => {
    const { Adamax } = await import("../src/optim/index.js");
    expect(() => fuseOptimizer(new Adamax(makeParams("float64", 1)), wasm)).toThrow(/no fused kernel/);
  });
});

describe("extensions without a fused kernel run the reference loop", () => {
  const cases: Made[] = [
    {
      name: "AdamW cautious",
      make: (p) => new AdamW(p, { lr: 1e-2, weightDecay: 0.1, cautiousWeightDecay: true }),
    },
    {
      name: "SGDW",
      make: (p) => new SGD(p, { lr: 0.05, momentum: 0.9, weightDecay: 0.01, decoupledWeightDecay: true }),
    },
  ];
  for (const o of cases) {
    it(`${o.name}: no fused steps, results bit-identical to the reference`, () => {
      const ref = makeParams("float32", 2);
      const fast = makeParams("float32", 2);
      const refOpt = o.make(ref);
      const fastOpt = o.make(fast);
      const fused = fuseOptimizer(fastOpt, wasm);
      for (let s = 0; s < 3; s++) {
        setGrads(ref, 200 + s);
        setGrads(fast, 200 + s);
        refOpt.step();
        fastOpt.step();
      }
      expect(fused.fusedSteps).toBe(0);
      expect(compare(fast, ref).same).toBe(1);
      fused.release();
    });
  }
});

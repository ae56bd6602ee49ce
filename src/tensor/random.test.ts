import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Tensor } from "./tensor.js";
import {
  Generator,
  _memoryOrderPositions,
  bernoulliInPlace,
  defaultGenerator,
  getRngState,
  initialSeed,
  manualSeed,
  normal,
  normalInPlace,
  rand,
  randLike,
  randint,
  randn,
  randnLike,
  randperm,
  seed,
  setRngState,
  uniformInPlace,
} from "./random.js";
import { TorchCpuGenerator } from "../random/torch-generator.js";
import { noGrad } from "../autograd/grad-mode.js";
import { RuntimeError } from "../util/errors.js";

// Values are checked against PyTorch in test/random.test.ts; these tests cover the wiring: the
// shared default stream, generators, options, layouts and autograd bookkeeping.

describe("default generator", () => {
  it("is shared by every function, in call order", () => {
    manualSeed(42);
    const a = rand([3]);
    const b = randn([4], { dtype: "float64" });
    const c = randint(0, 10, [5]);
    const ref = new TorchCpuGenerator(42);
    const ra = new Float32Array(3);
    ref.uniformFill(ra, 0, 1);
    const rb = new Float64Array(4);
    ref.normalFill(rb, 0, 1);
    const rc = new Int32Array(5);
    ref.randintFill(rc, 0, 10);
    expect([...a.toTypedArray()]).toEqual([...ra]);
    expect([...b.toTypedArray()]).toEqual([...rb]);
    expect([...c.toTypedArray()]).toEqual([...rc]);
  });

  it("manualSeed returns the default generator; initialSeed reports the seed", () => {
    expect(manualSeed(7)).toBe(defaultGenerator);
    expect(initialSeed()).toBe(7);
    manualSeed(-1);
    expect(initialSeed()).toBe(2n ** 64n - 1n);
    const s = seed();
    expect(initialSeed()).toBe(s);
    expect(typeof s).toBe("number");
  });

  it("getRngState/setRngState replay the stream, including the cached normal", () => {
    manualSeed(3);
    randn([1], { dtype: "float64" });
    const state = getRngState();
    const x = randn([5], { dtype: "float64" }).toTypedArray();
    setRngState(state);
    expect([...randn([5], { dtype: "float64" }).toTypedArray()]).toEqual([...x]);
    setRngState(new Tensor(state.slice(), [state.length]));
    expect([...randn([5], { dtype: "float64" }).toTypedArray()]).toEqual([...x]);
    expect(() => setRngState("x" as unknown as Uint8Array)).toThrow("RNG state must be a torch.ByteTensor");
  });
});

describe("Generator", () => {
  it("keeps its own stream", () => {
    const g = new Generator().manualSeed(5);
    manualSeed(5);
    const a = rand([4], { generator: g });
    rand([10]);
    const b = rand([4], { generator: g });
    manualSeed(5);
    const both = rand([8]).toTypedArray();
    expect([...a.toTypedArray(), ...b.toTypedArray()]).toEqual([...both]);
  });

  it("starts from PyTorch's fixed default seed and reports the device", () => {
    const g = new Generator();
    expect(g.initialSeed()).toBe(67280421310721);
    expect(g.device).toBe("cpu");
    expect(() => new Generator({ device: "cuda" as "cpu" })).toThrow(RuntimeError);
    expect(() => new Generator({ devices: "cpu" } as object)).toThrow(/did you mean device/);
  });

  it("state round-trips through getState/setState", () => {
    const g = new Generator().manualSeed(11);
    const s = g.getState();
    const x = randn([20], { generator: g }).toTypedArray();
    expect(g.setState(s)).toBe(g);
    expect([...randn([20], { generator: g }).toTypedArray()]).toEqual([...x]);
  });
});

describe("factories", () => {
  it("use the default dtype, honour dtype and requiresGrad, and accept a number as a size", () => {
    expect(rand([2, 3]).dtype).toBe("float32");
    expect(randn(4, { dtype: "float64" }).shape).toEqual([4]);
    const w = randn([2], { requiresGrad: true });
    expect(w.requiresGrad && w.isLeaf).toBe(true);
    expect(randint(5, [3]).dtype).toBe("int32");
    expect(randperm(4).dtype).toBe("int32");
    expect(rand([]).shape).toEqual([]);
    expect(randn([0]).numel()).toBe(0);
  });

  it("suggest the right option name for a misspelt one", () => {
    expect(() => rand([2], { requires_grad: true } as object)).toThrow(/did you mean requiresGrad/);
  });

  it("randint(high, size) means [0, high); values stay in range", () => {
    manualSeed(1);
    const a = randint(7, [1000]).toTypedArray();
    for (const v of a) expect(v >= 0 && v < 7).toBe(true);
    const b = randint(-3, 4, [1000]).toTypedArray();
    for (const v of b) expect(v >= -3 && v < 4).toBe(true);
  });

  it("randint refuses values that int32 storage cannot hold, and suggests float64", () => {
    expect(() => randint(0, 2 ** 32, [2])).toThrow(/float64/);
    expect(randint(0, 2 ** 32, [2], { dtype: "float64" }).dtype).toBe("float64");
    expect(randint(-(2 ** 31), 2 ** 31, [3]).dtype).toBe("int32");
  });

  it("randint into float32 narrows bounds that float32 cannot represent, as PyTorch does", () => {
    manualSeed(0);
    const x = randint(0, 2 ** 31 - 1, [200], { dtype: "float32" }).toTypedArray();
    for (const v of x) expect(v).toBeLessThan(2 ** 31);
  });

  it("randperm is a permutation", () => {
    const p = [...randperm(100).toTypedArray()].sort((a, b) => a - b);
    expect(p).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(randperm(0).numel()).toBe(0);
    expect(() => randperm(2 ** 24 + 2, { dtype: "float32" })).toThrow(
      "n cannot be greater than 2^24+1 for Float type.",
    );
  });

  it("normal with numbers needs a size; with tensors it takes their (broadcast) shape", () => {
    expect(() => normal(0, 1)).toThrow(TypeError);
    expect(normal(0, 1, [3]).shape).toEqual([3]);
    const mean = new Tensor(new Float64Array(6), [2, 3]);
    const std = new Tensor(new Float64Array([1, 2, 3]), [3]);
    const out = normal(mean, std);
    expect(out.shape).toEqual([2, 3]);
    expect(out.dtype).toBe("float64");
    expect(normal(0.5, std).shape).toEqual([3]);
    expect(() => normal(mean, 1, [3] as unknown as undefined)).toThrow(TypeError);
  });

  it("normal(mean tensor, std) is normal_(0, std) then + mean", () => {
    const mean = new Tensor(new Float32Array([1, 2, 3, 4, 5]), [5]);
    const g1 = new Generator().manualSeed(9);
    const out = normal(mean, 0.5, { generator: g1 }).toTypedArray();
    const g2 = new Generator().manualSeed(9);
    const base = Tensor._empty([5], "float32");
    normalInPlace(base, 0, 0.5, g2);
    const data = base.toTypedArray();
    for (let i = 0; i < 5; i++) expect(out[i]).toBe(Math.fround(data[i]! + (i + 1)));
  });
});

describe("in-place kernels", () => {
  it("bump the version counter and refuse leaves that require grad outside noGrad", () => {
    const t = Tensor._empty([3], "float32");
    const v = t._version.value;
    uniformInPlace(t, 0, 1);
    normalInPlace(t, 0, 1);
    bernoulliInPlace(t, 0.5);
    expect(t._version.value).toBe(v + 3);
    const w = Tensor._empty([3], "float32").requiresGrad_();
    expect(() => w.uniform_(-1, 1)).toThrow(/leaf Variable/);
    noGrad(() => w.uniform_(-1, 1));
    noGrad(() => w.normal_(0, 0.02));
  });

  it("uniform_ stays within [from, to]; bernoulli_ writes 0/1 in any dtype", () => {
    manualSeed(2);
    const t = Tensor._empty([1000], "float64").uniform_(-0.25, 0.75);
    for (const v of t.toTypedArray()) expect(v >= -0.25 && v <= 0.75).toBe(true);
    for (const dtype of ["float32", "int32", "bool"] as const) {
      const b = Tensor._empty([50], dtype).bernoulli_(0.5);
      for (const v of b.toTypedArray()) expect(v === 0 || v === 1).toBe(true);
    }
    expect([...Tensor._empty([20], "int32").bernoulli_(1).toTypedArray()]).toEqual(new Array(20).fill(1));
    expect([...Tensor._empty([20], "int32").bernoulli_(0).toTypedArray()]).toEqual(new Array(20).fill(0));
  });

  it("write only the view's elements of a shared storage", () => {
    const base = new Tensor(new Float32Array(24), [24]);
    const view = new Tensor(base.data, [4, 3], [6, 2], 1);
    view.normal_();
    const data = base.toTypedArray();
    const written = new Set(_memoryOrderPositions(view));
    for (let i = 0; i < 24; i++) expect(data[i] !== 0).toBe(written.has(i));
  });

  it("fill a transposed float32 tensor with the scalar path (as PyTorch does for non-contiguous targets)", () => {
    const g = new Generator().manualSeed(0);
    const t = new Tensor(new Float32Array(40), [2, 20], [1, 2]);
    t.normal_(0, 1, { generator: g });
    const ref = new TorchCpuGenerator(0);
    const expected = new Float32Array(40);
    ref.normalFillScalar(expected, 0, 1);
    expect([...t.data]).toEqual([...expected]);
  });
});

describe("memory order (TensorIterator)", () => {
  it("visits a dense tensor of any permuted layout in increasing storage order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (shape, salt) => {
          const nd = shape.length;
          const order = Array.from({ length: nd }, (_, i) => i).sort(
            (a, b) => ((a * 7919 + salt) % 13) - ((b * 7919 + salt) % 13),
          );
          // Strides of a dense layout whose innermost dimension is order[0].
          const strides = new Array<number>(nd);
          let s = 1;
          for (const d of order) {
            strides[d] = s;
            s *= shape[d]!;
          }
          const t = new Tensor(new Float32Array(s + 3), shape, strides, 3);
          const pos = [..._memoryOrderPositions(t)];
          expect(pos).toEqual(Array.from({ length: s }, (_, i) => i + 3));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("randLike / randnLike", () => {
  it("keep a dense input's strides and default to its dtype", () => {
    const x = new Tensor(new Float64Array(20), [4, 5], [1, 4]);
    const r = randnLike(x);
    expect([...r.strides]).toEqual([1, 4]);
    expect(r.dtype).toBe("float64");
    const gappy = new Tensor(new Float32Array(24), [4, 3], [6, 2], 1);
    expect([...randLike(gappy).strides]).toEqual([3, 1]);
  });
});

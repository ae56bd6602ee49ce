/**
 * Seeded initialisation against PyTorch 1.13 (test/fixtures/nn-init.json, written by
 * scripts/fixtures/nn_init.py): every layer's state dict right after construction with the same
 * `manualSeed`, including the draw order across containers and the generator state afterwards,
 * and its printed form (PyTorch's `repr`);
 * the nn.init functions; calculateGain; and dropout masks.
 *
 * Bit-exact: layer initialisation (float32 and float64), uniform_/normal_/constant_/ones_/zeros_,
 * xavier*, kaiming*, and dropout. Not bit-exact by construction, with the bound stated at the
 * assertion: truncNormal_ (PyTorch's erfinv calls float32 libm erff/logf/expf) and orthogonal_
 * (LAPACK's float32 QR versus our double Householder QR).
 */
import { describe, expect, it } from "vitest";
import * as nn from "../src/nn/index.js";
import { setDefaultDtype } from "../src/tensor/dtype.js";
import { manualSeed, rand } from "../src/tensor/random.js";
import { Tensor } from "../src/tensor/tensor.js";
import { expectExact } from "./helpers/close.js";
import { decodeValues, loadFixture, type EncodedTensor } from "./helpers/fixtures.js";

interface Spec {
  type: string;
  args?: unknown[];
  options?: Record<string, unknown>;
  children?: Spec[] | Array<[string, Spec]>;
}

interface Fixture {
  meta: Record<string, string>;
  modules: Array<{
    name: string;
    spec: Spec;
    seed: number;
    dtype: "float32" | "float64";
    state: Array<[string, EncodedTensor]>;
    after: EncodedTensor;
    repr: string;
  }>;
  init: Array<{
    name: string;
    fn: string;
    shape: number[];
    args: Record<string, number | string>;
    seed: number;
    dtype: "float32" | "float64";
    out: EncodedTensor;
  }>;
  gains: Array<{ nonlinearity: nn.init.Nonlinearity; param: number | null; gain: number }>;
  dropout: Array<{
    p: number;
    seed: number;
    dtype: "float32" | "float64";
    input: EncodedTensor;
    out: EncodedTensor;
    after: EncodedTensor;
  }>;
}

const fixture = loadFixture<Fixture>("nn-init");

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- constructors of every layer kind
const CTORS = nn as unknown as Record<string, new (...args: any[]) => nn.Module>;

function build(spec: Spec): nn.Module {
  if (spec.type === "Sequential") return new nn.Sequential(...(spec.children as Spec[]).map(build));
  if (spec.type === "ModuleList") return new nn.ModuleList((spec.children as Spec[]).map(build));
  if (spec.type === "ModuleDict") {
    return new nn.ModuleDict(
      (spec.children as Array<[string, Spec]>).map(([k, s]): [string, nn.Module] => [k, build(s)]),
    );
  }
  const Ctor = CTORS[spec.type];
  if (!Ctor) throw new Error(`unknown layer ${spec.type}`);
  const args = spec.args ?? [];
  return spec.options ? new Ctor(...args, spec.options) : new Ctor(...args);
}

function values(t: Tensor): number[] {
  return Array.from(t.toTypedArray() as ArrayLike<number>);
}

describe("seeded layer initialisation equals PyTorch bit for bit", () => {
  for (const c of fixture.modules) {
    it(c.name, () => {
      setDefaultDtype(c.dtype);
      try {
        manualSeed(c.seed);
        const m = build(c.spec);
        const after = rand([3]);
        const sd = m.stateDict();
        expect(Object.keys(sd)).toEqual(c.state.map(([k]) => k));
        for (const [k, e] of c.state) {
          const t = sd[k] as Tensor;
          expect(t.dtype, k).toBe(e.dtype);
          expect(t.shape, k).toEqual(e.shape);
          expectExact(values(t), decodeValues(e), k);
        }
        expectExact(values(after), decodeValues(c.after), "generator state after construction");
        expect(String(m), "repr").toBe(c.repr);
      } finally {
        setDefaultDtype("float32");
      }
    });
  }
});

describe("nn.init", () => {
  for (const c of fixture.init) {
    it(c.name, () => {
      manualSeed(c.seed);
      const t = Tensor._empty(c.shape, c.dtype);
      const a = c.args;
      const num = (k: string): number | undefined => (a[k] === undefined ? undefined : Number(a[k]));
      switch (c.fn) {
        case "uniform_":
          nn.init.uniform_(t, num("a"), num("b"));
          break;
        case "normal_":
          nn.init.normal_(t, num("mean"), num("std"));
          break;
        case "constant_":
          nn.init.constant_(t, num("val")!);
          break;
        case "ones_":
          nn.init.ones_(t);
          break;
        case "zeros_":
          nn.init.zeros_(t);
          break;
        case "xavierUniform_":
          nn.init.xavierUniform_(t, num("gain"));
          break;
        case "xavierNormal_":
          nn.init.xavierNormal_(t, num("gain"));
          break;
        case "kaimingUniform_":
        case "kaimingNormal_": {
          const opts = {
            a: num("a"),
            mode: a.mode as nn.init.FanMode | undefined,
            nonlinearity: a.nonlinearity as nn.init.Nonlinearity | undefined,
          };
          if (c.fn === "kaimingUniform_") nn.init.kaimingUniform_(t, opts);
          else nn.init.kaimingNormal_(t, opts);
          break;
        }
        case "truncNormal_":
          nn.init.truncNormal_(t, { mean: num("mean"), std: num("std"), a: num("a"), b: num("b") });
          break;
        case "orthogonal_":
          nn.init.orthogonal_(t, num("gain"));
          break;
        default:
          throw new Error(c.fn);
      }
      const got = values(t);
      const want = decodeValues(c.out);
      if (c.fn === "truncNormal_" || c.fn === "orthogonal_") {
        // truncNormal_: the uniform draws are bit-exact; erfinv is PyTorch's algorithm but its
        // float32 steps call libm's erff/logf/expf, so allow 8 ulp of the value (float64: 1e-12).
        // orthogonal_: LAPACK's float32 Householder QR versus ours in double; Q's entries agree to
        // a few float32 ulp of the matrix scale (float64 would be 1e-12).
        const ulp = c.dtype === "float32" ? 2 ** -23 : 2 ** -52;
        const scale = Math.max(...Array.from(want, Math.abs));
        for (let i = 0; i < want.length; i++) {
          const tol =
            c.fn === "truncNormal_"
              ? 8 * ulp * Math.max(Math.abs(want[i] as number), 1e-30)
              : 16 * ulp * scale;
          expect(Math.abs((got[i] as number) - (want[i] as number)), `${c.name}[${i}]`).toBeLessThanOrEqual(
            tol,
          );
        }
      } else {
        expectExact(got, want, c.name);
      }
    });
  }

  it("calculateGain equals PyTorch's", () => {
    for (const g of fixture.gains) expect(nn.init.calculateGain(g.nonlinearity, g.param)).toBe(g.gain);
  });

  it("raises PyTorch's errors", () => {
    expect(() => nn.init.calculateGain("softsign" as nn.init.Nonlinearity)).toThrow(
      "Unsupported nonlinearity softsign",
    );
    expect(() => nn.init.xavierUniform_(Tensor._empty([3], "float32"))).toThrow(
      "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions",
    );
    expect(() =>
      nn.init.kaimingUniform_(Tensor._empty([3, 3], "float32"), { mode: "fan_avg" as nn.init.FanMode }),
    ).toThrow("Mode fan_avg not supported, please use one of ['fan_in', 'fan_out']");
    expect(() => nn.init.orthogonal_(Tensor._empty([3], "float32"))).toThrow(
      "Only tensors with 2 or more dimensions are supported",
    );
    expect(() =>
      nn.init.kaimingUniform_(Tensor._empty([3, 3], "float32"), {
        mode: "fanIn",
        a: 1,
        nonlinearity: "relu",
      }),
    ).not.toThrow();
  });
});

describe("dropout draws PyTorch's mask", () => {
  for (const c of fixture.dropout) {
    it(`p=${c.p} ${c.dtype} seed ${c.seed}`, () => {
      manualSeed(c.seed);
      const x = Tensor._empty(c.input.shape, c.dtype);
      x.data.set(decodeValues(c.input));
      const y = nn.functional.dropout(x, c.p);
      const after = rand([2]);
      expectExact(values(y), decodeValues(c.out), "output");
      expectExact(values(after), decodeValues(c.after), "generator state after dropout");
      // The module is the identity in evaluation mode and draws the same mask in training.
      const layer = new nn.Dropout(c.p);
      manualSeed(c.seed);
      expectExact(values(layer.forward(x)), decodeValues(c.out), "nn.Dropout in training mode");
      layer.eval();
      expect(layer.forward(x)).toBe(x);
    });
  }
});

/**
 * Bad input raises PyTorch's exception class with PyTorch's message (test/fixtures/errors.json,
 * written by scripts/fixtures/errors.py from PyTorch 1.13). Where current PyTorch's wording or
 * class differs from 1.13's, the fixture records the current one and we follow it.
 */
import { describe, expect, it } from "vitest";
import * as tg from "../src/index.js";
import type { DType, Tensor } from "../src/index.js";
import { loadFixture } from "./helpers/fixtures.js";

interface ErrorEntry {
  type: string | null;
  message: string | null;
  current?: string;
  currentType?: string;
}

const fixture = loadFixture<{ errors: Record<string, ErrorEntry> }>("errors");

const z = (shape: number[], dtype: DType = "float32", requiresGrad = false): Tensor =>
  tg.zeros(shape, { dtype, requiresGrad });
const leaf = (shape: number[], dtype: DType = "float32"): Tensor =>
  tg.ones(shape, { dtype, requiresGrad: true });
const ints = (shape: number[]): Tensor => tg.zeros(shape, { dtype: "int32" });
const bools = (shape: number[]): Tensor => tg.zeros(shape, { dtype: "bool" });
const f64 = "float64";

/** The same mistakes as the generator's SCENARIOS, made through tsgrad's API. */
const SCENARIOS: Record<string, () => unknown> = {
  "broadcast/add": () => z([2, 3]).add(z([4])),
  "broadcast/mul-3d": () => z([3, 1, 5]).mul(z([4, 6])),
  "broadcast/lead": () => z([2, 3, 4]).sub(z([5, 4])),
  "broadcast/where": () => tg.where(bools([2]), z([3]), z([3])),
  "broadcast/compare": () => z([4]).lt(z([3])),
  "broadcast/inplace-output": () => z([3]).add_(z([2, 3])),
  "broadcast/addcmul": () => z([3]).addcmul_(z([2, 3]), z([3])),
  "broadcast/expand": () => z([2, 3]).expand([2, 4]),
  "broadcast/expand-too-few": () => z([2, 3]).expand([3]),
  "broadcast/expand-double": () => z([2, 3], f64).expand([4]),
  "matmul/0d": () => tg.matmul(z([]), z([3])),
  "matmul/1d-1d": () => tg.matmul(z([3]), z([4])),
  "matmul/2d-1d": () => tg.matmul(z([3, 4]), z([5])),
  "matmul/1d-2d": () => tg.matmul(z([4]), z([5, 6])),
  "matmul/2d-2d": () => tg.matmul(z([3, 4]), z([5, 6])),
  "matmul/3d-3d": () => tg.matmul(z([2, 3, 4]), z([2, 5, 6])),
  "matmul/3d-2d": () => tg.matmul(z([2, 3, 4]), z([5, 6])),
  "matmul/3d-1d": () => tg.matmul(z([2, 3, 4]), z([5])),
  "matmul/2d-3d": () => tg.matmul(z([3, 4]), z([2, 5, 6])),
  "matmul/1d-3d": () => tg.matmul(z([4]), z([2, 5, 6])),
  "matmul/4d-3d-bcast": () => tg.matmul(z([2, 1, 3, 4]), z([3, 5, 6])),
  "matmul/batch-mismatch": () => tg.matmul(z([2, 3, 4]), z([3, 4, 5])),
  "matmul/dtype": () => tg.matmul(z([3, 4]), z([4, 5], f64)),
  "matmul/dtype-1d-2d": () => tg.matmul(z([4]), z([4, 5], f64)),
  "matmul/dtype-3d": () => tg.matmul(z([2, 3, 4]), z([2, 4, 5], f64)),
  "mm/not-matrix-self": () => z([3]).mm(z([3, 4])),
  "mm/not-matrix-mat2": () => z([3, 4]).mm(z([4])),
  "mm/shape": () => z([3, 4]).mm(z([5, 6])),
  "mm/dtype": () => z([3, 4]).mm(z([4, 5], f64)),
  "bmm/not-3d": () => z([3, 4]).bmm(z([2, 4, 5])),
  "bmm/not-3d-batch2": () => z([2, 3, 4]).bmm(z([4, 5])),
  "bmm/batch": () => z([2, 3, 4]).bmm(z([3, 4, 5])),
  "bmm/inner": () => z([2, 3, 4]).bmm(z([2, 5, 5])),
  "bmm/dtype": () => z([2, 3, 4]).bmm(z([2, 4, 5], f64)),
  "dot/not-1d": () => z([2, 3]).dot(z([2, 3])),
  "dot/size": () => z([3]).dot(z([4])),
  "dot/dtype": () => z([3]).dot(z([3], f64)),
  "view/strides": () => z([3, 4]).t().view([-1]),
  "view/strides-split": () => z([4, 6]).t().view([2, 12]),
  "reshape/size": () => z([2, 3]).reshape([4]),
  "reshape/infer": () => z([2, 3]).reshape([-1, 4]),
  "reshape/two-infer": () => z([2, 3]).reshape([-1, -1]),
  "view/size": () => z([2, 3]).view([5]),
  "permute/length": () => z([2, 3]).permute([0]),
  "permute/repeat": () => z([2, 3]).permute([1, 1]),
  "flatten/order": () => z([2, 3, 4]).flatten(2, 1),
  "t/3d": () => z([2, 3, 4]).t(),
  "repeat/too-few": () => z([2, 3]).repeat([2]),
  "dtype/mean-int": () => ints([3]).mean(),
  "dtype/mean-bool": () => bools([3]).mean(),
  "dtype/var-int": () => ints([3]).var(),
  "dtype/int-requires-grad": () => tg.tensor([1, 2], { requiresGrad: true }),
  "dtype/int-requires-grad_": () => ints([2]).requiresGrad_(),
  "dtype/float-into-int-inplace": () => ints([3]).add_(0.5),
  "dtype/float-tensor-into-int-inplace": () => ints([3]).mul_(z([3])),
  "dtype/div-into-int-inplace": () => ints([3]).div_(2),
  "dtype/sqrt-int-inplace": () => ints([3]).sqrt_(),
  "dtype/sub-bools": () => bools([2]).sub(bools([2])),
  "dtype/sub-bool-int": () => bools([2]).sub(1),
  "dtype/neg-bool": () => bools([2]).neg(),
  "dtype/where-cond": () => tg.where(z([3]), z([3]), z([3])),
  "dtype/masked-fill-mask": () => z([3]).maskedFill(ints([3]), 0),
  "dtype/index-select-float-index": () => z([3]).indexSelect(0, z([2])),
  "dtype/gather-float-index": () => z([3]).gather(0, z([2])),
  "dtype/pow-int-negative": () => ints([3]).pow(-1),
  "dtype/alpha-float-int": () => ints([3]).add(ints([3]), { alpha: 0.5 }),
  "dtype/lerp-end": () => z([3]).lerp_(z([3], f64), 0.5),
  "dtype/addcdiv-int": () => z([3]).addcdiv_(ints([3]), ints([3])),
  "dtype/grad-assign": () => {
    leaf([3]).grad = z([3], f64);
  },
  "dtype/softmax-int": () => ints([3]).softmax(0),
  "dtype/softmax-int-inner": () => ints([2, 3]).softmax(0),
  "dtype/log-softmax-int": () => ints([2, 3]).logSoftmax(1),
  "dtype/softmax-bool": () => bools([3]).softmax(0),
  "dtype/lerp-weight": () => z([3]).lerp_(z([3]), z([3], f64)),
  "dtype/lerp-int": () => ints([3]).lerp_(ints([3]), 0.5),
  "autograd/non-scalar": () => leaf([3]).mul(2).backward(),
  "autograd/no-grad": () => z([3]).sum().backward(),
  "autograd/gradient-shape": () =>
    leaf([3])
      .mul(2)
      .backward(z([4])),
  "autograd/leaf-inplace": () => leaf([3]).add_(1),
  "autograd/view-of-leaf-inplace": () => leaf([4]).slice(0, 1, 3).mul_(2),
  "autograd/version-leaf": () => {
    const x = leaf([3]);
    const w = tg.ones([3]);
    const y = x.mul(w);
    w.add_(1);
    y.sum().backward();
  },
  "autograd/version-output": () => {
    const y = leaf([3]).exp();
    y.add_(1);
    y.sum().backward();
  },
  "autograd/version-input-of": () => {
    const a = leaf([3]).mul(2);
    const b = a.sin();
    a.mul_(3);
    b.sum().backward();
  },
  "autograd/freed-graph": () => {
    const s = leaf([3]).exp().sum();
    s.backward();
    s.backward();
  },
  "autograd/requires-grad-non-leaf": () => leaf([3]).mul(2).requiresGrad_(false),
  "autograd/retain-grad-no-grad": () => z([3]).retainGrad(),
  "autograd/grad-assign-size": () => {
    leaf([3]).grad = z([4]);
  },
  "autograd/overlapping-inplace": () => z([1]).expand([3]).add_(1),
  "range/sum-dim": () => z([2, 3]).sum(2),
  "range/sum-neg-dim": () => z([2, 3]).sum(-3),
  "range/softmax-dim": () => z([2, 3]).softmax(5),
  "range/transpose": () => z([2, 3]).transpose(0, 2),
  "range/unsqueeze": () => z([2, 3]).unsqueeze(3),
  "range/squeeze": () => z([2, 3]).squeeze(-3),
  "range/select-dim": () => z([2, 3]).select(2, 0),
  "range/select-index": () => z([2, 3]).select(1, 3),
  "range/select-neg-index": () => z([2, 3]).select(0, -3),
  "range/select-0d": () => z([]).select(0, 0),
  "range/narrow-start": () => z([2, 3]).narrow(1, 4, 1),
  "range/narrow-length": () => z([2, 3]).narrow(1, 1, 3),
  "range/narrow-negative-length": () => z([3]).narrow(0, 0, -1),
  "range/index-select-2d-index": () => z([3]).indexSelect(0, tg.tensor([[0]])),
  "range/index-select": () => z([3, 2]).indexSelect(0, tg.tensor([0, 3])),
  "range/index-select-neg": () => z([3, 2]).indexSelect(0, tg.tensor([-1])),
  "range/gather": () => z([3, 2]).gather(1, tg.tensor([[0, 2]])),
  "range/gather-dims": () => z([3, 2]).gather(1, tg.tensor([0])),
  "range/gather-size": () => z([3, 2]).gather(1, ints([4, 1])),
  "range/max-dim": () => z([2, 3]).max(2),
  "range/argmax-dim": () => z([2, 3]).argmax(-3),
  "range/cat-dim": () => tg.cat([z([2, 3]), z([2, 3])], 2),
  "range/stack-dim": () => tg.stack([z([2, 3]), z([2, 3])], 3),
  "range/flatten": () => z([2, 3]).flatten(0, 2),
  "range/item": () => z([3]).item(),
  "range/max-empty": () => z([0]).max(),
  "range/amax-empty": () => z([0]).amax(),
  "range/max-dim-empty": () => z([2, 0]).max(1),
  "range/min-dim-empty": () => z([2, 0]).min(1),
  "range/amax-dim-empty": () => z([2, 0]).amax(1),
  "range/argmax-dim-empty": () => z([2, 0]).argmax(1),
  "range/argmax-empty": () => z([2, 0]).argmax(),
  "range/norm-inf-dim-empty": () => z([2, 0]).norm(Infinity, 1),
  "range/norm-inf-empty": () => z([2, 0]).norm(Infinity),
  "cat/size": () => tg.cat([z([2, 3]), z([2, 4])], 0),
  "cat/ndim": () => tg.cat([z([2, 3]), z([3])], 0),
  "cat/0d": () => tg.cat([z([]), z([])]),
  "cat/empty-list": () => tg.cat([]),
  "stack/size": () => tg.stack([z([2, 3]), z([3, 2])]),
  "stack/empty-list": () => tg.stack([]),
  "arange/step-zero": () => tg.arange(0, 1, 0),
  "arange/sign": () => tg.arange(0, 1, -1),
  "linspace/negative": () => tg.linspace(0, 1, -1),
  "clamp/none": () => z([3]).clamp(),
  "chunk/zero": () => z([3]).chunk(0),
  "split/zero": () => z([3]).split(0),
  "split/negative": () => z([3]).split(-1),
  "chunk/negative": () => z([3]).chunk(-1),
};

const CLASSES: Record<string, new (...args: never[]) => Error> = {
  RuntimeError: tg.errors.RuntimeError,
  IndexError: tg.errors.IndexError,
  ValueError: tg.errors.ValueError,
  KeyError: tg.errors.KeyError,
  TypeError: TypeError,
};

describe("errors match PyTorch's", () => {
  it("every recorded scenario has a tsgrad counterpart and vice versa", () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(Object.keys(fixture.errors).sort());
  });

  for (const [name, entry] of Object.entries(fixture.errors)) {
    const message = entry.current ?? entry.message;
    const type = entry.currentType ?? entry.type;
    it(`${name}${entry.current !== undefined ? " (current PyTorch)" : ""}`, () => {
      const scenario = SCENARIOS[name];
      expect(scenario, `scenario ${name}`).toBeDefined();
      let thrown: unknown = null;
      try {
        scenario!();
      } catch (e) {
        thrown = e;
      }
      expect(thrown, "an exception").toBeInstanceOf(Error);
      expect((thrown as Error).message).toBe(message);
      expect(thrown).toBeInstanceOf(CLASSES[type as string]);
    });
  }
});

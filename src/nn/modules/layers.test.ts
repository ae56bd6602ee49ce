import { afterEach, describe, expect, it, vi } from "vitest";
import { tensor } from "../../tensor/creation.js";
import { manualSeed, randn } from "../../tensor/random.js";
import type { Tensor } from "../../tensor/tensor.js";
import * as F from "../functional/index.js";
import { GELU, LeakyReLU, ReLU, SiLU, Softmax } from "./activation.js";
import { BatchNorm1d, BatchNorm2d } from "./batchnorm.js";
import { Conv1d, Conv2d } from "./conv.js";
import { Dropout } from "./dropout.js";
import { Linear } from "./linear.js";
import { BCEWithLogitsLoss, CrossEntropyLoss } from "./loss.js";
import { GroupNorm } from "./normalization.js";
import { MaxPool2d } from "./pooling.js";
import { Embedding } from "./sparse.js";

const values = (t: Tensor): number[] => Array.from(t.toTypedArray() as ArrayLike<number>);

afterEach(() => vi.restoreAllMocks());

describe("constructor checks use PyTorch's words", () => {
  it("convolution", () => {
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow("in_channels must be divisible by groups");
    expect(() => new Conv2d(4, 3, 3, { groups: 2 })).toThrow("out_channels must be divisible by groups");
    expect(() => new Conv2d(4, 4, 3, { groups: 0 })).toThrow("groups must be a positive integer");
    expect(() => new Conv2d(1, 1, 3, { padding: "full" as "same" })).toThrow(
      "Invalid padding string 'full', should be one of {'valid', 'same'}",
    );
    expect(() => new Conv2d(1, 1, 3, { padding: "same", stride: 2 })).toThrow(
      "padding='same' is not supported for strided convolutions",
    );
    expect(() => new Conv2d(1, 1, 3, { paddingMode: "mirror" as "reflect" })).toThrow(
      "padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='mirror'",
    );
    expect(() => new Conv2d(1, 1, 3, { padding_mode: "zeros" } as never)).toThrow(
      "unknown option padding_mode for Conv2d; did you mean paddingMode?",
    );
  });

  it("normalisation, embedding and dropout", () => {
    expect(() => new GroupNorm(4, 6)).toThrow("num_channels must be divisible by num_groups");
    expect(() => new Embedding(5, 2, { paddingIdx: 5 })).toThrow("Padding_idx must be within num_embeddings");
    expect(() => new Embedding(5, 2, { paddingIdx: -6 })).toThrow(
      "Padding_idx must be within num_embeddings",
    );
    expect(() => new Dropout(1.5)).toThrow("dropout probability has to be between 0 and 1, but got 1.5");
    expect(() => new BatchNorm2d(3).forward(randn([2, 3]))).toThrow("expected 4D input (got 2D input)");
    expect(() => new BatchNorm1d(3).forward(randn([2, 3, 4, 5]))).toThrow(
      "expected 2D or 3D input (got 4D input)",
    );
    expect(() => new Linear(3, 2, { bais: false } as never)).toThrow(
      "unknown option bais for Linear; did you mean bias?",
    );
  });
});

describe("layer behaviour", () => {
  it("a non-zero padding mode pads with F.pad and convolves without padding", () => {
    manualSeed(0);
    const conv = new Conv2d(2, 3, 3, { padding: [1, 2], paddingMode: "reflect" });
    const x = randn([1, 2, 5, 6]);
    const want = F.conv2d(F.pad(x, [2, 2, 1, 1], { mode: "reflect" }), conv.weight, conv.bias);
    expect(values(conv.forward(x))).toEqual(values(want));
    const c1 = new Conv1d(2, 2, 4, { padding: "same", paddingMode: "circular" });
    const y = randn([1, 2, 7]);
    expect(values(c1.forward(y))).toEqual(
      values(F.conv1d(F.pad(y, [1, 2], { mode: "circular" }), c1.weight, c1.bias)),
    );
  });

  it("in-place activations write into their input and give the same gradients", () => {
    for (const make of [
      () => new ReLU({ inplace: true }),
      () => new LeakyReLU(0.1, { inplace: true }),
      () => new SiLU({ inplace: true }),
    ]) {
      const base = randn([3, 4]).requiresGrad_();
      const h = base.mul(2);
      const out = make().forward(h);
      expect(out).toBe(h);
      out.sum().backward();
      const g1 = values(base.grad!);
      const base2 = tensor(Float32Array.from(values(base)), { shape: [3, 4], requiresGrad: true });
      const layer = make();
      (layer as unknown as { inplace: boolean }).inplace = false;
      layer.forward(base2.mul(2)).sum().backward();
      expect(g1).toEqual(values(base2.grad!));
    }
  });

  it("GELU accepts PyTorch's keyword or a plain string", () => {
    expect(new GELU("tanh").approximate).toBe("tanh");
    expect(new GELU({ approximate: "tanh" }).approximate).toBe("tanh");
    expect(() => new GELU({ approximate: "erf" as "none" })).toThrow(
      "approximate argument must be either none or tanh.",
    );
  });

  it("Softmax without a dim warns as PyTorch does and picks its implicit dim", () => {
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const x = randn([2, 3]);
    expect(values(new Softmax().forward(x))).toEqual(values(x.softmax(1)));
    expect(spy).toHaveBeenCalledWith(
      "Implicit dimension choice for softmax has been deprecated. Change the call to include dim=X as an argument.",
      "UserWarning",
    );
  });

  it("MaxPool2d with returnIndices returns values and indices", () => {
    const [v, i] = new MaxPool2d(2, { returnIndices: true }).forward(
      tensor(
        [
          [
            [
              [1, 5],
              [3, 2],
            ],
          ],
        ],
        { dtype: "float32" },
      ),
    ) as [Tensor, Tensor];
    expect(values(v)).toEqual([5]);
    expect(values(i)).toEqual([1]);
  });

  it("batch norm: evaluation uses running statistics; without them it uses the batch", () => {
    const bn = new BatchNorm1d(2);
    const x = tensor(
      [
        [1, 2],
        [3, 6],
      ],
      { dtype: "float32" },
    );
    bn.eval();
    const y = bn.forward(x);
    expect(values(y).map((v) => Math.round(v * 1e4) / 1e4)).toEqual(
      [1, 2, 3, 6].map((v) => Math.round((v / Math.sqrt(1 + 1e-5)) * 1e4) / 1e4),
    );
    const free = new BatchNorm1d(2, { trackRunningStats: false });
    free.eval();
    expect(free.runningMean).toBeNull();
    expect(values(free.forward(x))[0]).toBeLessThan(0);
    expect(Object.keys(free.stateDict())).toEqual(["weight", "bias"]);
  });

  it("batch norm momentum null averages cumulatively and counts batches", () => {
    const bn = new BatchNorm1d(1, { momentum: null });
    bn.forward(tensor([[0], [2]], { dtype: "float32" }));
    bn.forward(tensor([[4], [6]], { dtype: "float32" }));
    expect(values(bn.runningMean!)).toEqual([3]);
    expect(bn.numBatchesTracked!.item()).toBe(2);
  });

  it("Embedding.fromPretrained is frozen by default", () => {
    const table = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: "float32" },
    );
    const emb = Embedding.fromPretrained(table);
    expect(emb.weight.requiresGrad).toBe(false);
    expect(values(emb.forward(tensor([1, 0])))).toEqual([3, 4, 1, 2]);
    expect(Embedding.fromPretrained(table, { freeze: false }).weight.requiresGrad).toBe(true);
  });

  it("losses register their weights as buffers under PyTorch's names", () => {
    expect(
      Object.keys(new CrossEntropyLoss({ weight: tensor([1, 2], { dtype: "float32" }) }).stateDict()),
    ).toEqual(["weight"]);
    expect(Object.keys(new CrossEntropyLoss().stateDict())).toEqual([]);
    expect(
      Object.keys(new BCEWithLogitsLoss({ posWeight: tensor([2], { dtype: "float32" }) }).stateDict()),
    ).toEqual(["pos_weight"]);
  });

  it("Dropout is the identity in evaluation mode and with p = 0", () => {
    const x = randn([4]);
    const d = new Dropout(0.5);
    d.eval();
    expect(d.forward(x)).toBe(x);
    expect(new Dropout(0).forward(x)).toBe(x);
    // p = 1 multiplies by zero, as PyTorch does (so negative inputs give -0).
    expect(values(new Dropout(1).forward(x)).map(Math.abs)).toEqual([0, 0, 0, 0]);
  });
});

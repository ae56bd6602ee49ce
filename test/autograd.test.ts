/**
 * Autograd semantics against PyTorch 1.13 (test/fixtures/autograd.json, written by
 * scripts/fixtures/autograd.py): gradient accumulation, settable and retained gradients,
 * retain_graph, grad modes, detach, leaf flags, a 100,000-op chain, diamonds, dtype casting of
 * gradients, in-place ops on non-leaves and on their views, and grad_fn names. Each scenario below
 * builds the generator's graph through tsgrad's API and must make the same observations.
 * Gradients agree to 1e-12 relative (to the tensor's largest element where an element cancels).
 */
import { describe, expect, it } from "vitest";
import * as tg from "../src/index.js";
import type { DType, Tensor } from "../src/index.js";
import { decodeValues, loadFixture, type EncodedTensor } from "./helpers/fixtures.js";

type Observation = null | boolean | string | { tensor: EncodedTensor } | { name: string };
type Observations = Record<string, Observation>;

const fixture = loadFixture<{ scenarios: Record<string, Observations> }>("autograd");

const f64 = "float64";
const leaf = (values: number[] | number[][], dtype: DType = f64): Tensor =>
  tg.tensor(values, { dtype, requiresGrad: true });
const t64 = (values: number[] | number[][]): Tensor => tg.tensor(values, { dtype: f64 });

/** An observation of a tensor, a flag, a name or nothing, as the generator's `obs`. */
function obs(x: Tensor | { name: string } | boolean | string | null | undefined): Observation {
  if (x === null || x === undefined) return null;
  if (x instanceof tg.Tensor) return { tensor: { dtype: x.dtype, shape: [...x.shape], data: [] } };
  if (typeof x === "object") return { name: x.name };
  return x;
}
const tensors = new Map<Observation, Tensor>();
function obsT(t: Tensor | null): Observation {
  const o = obs(t);
  if (t && o) tensors.set(o, t);
  return o;
}

const torchDtype = (t: Tensor) => (t.dtype === "int32" ? "torch.int64" : `torch.${t.dtype}`);

function errorOf(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

const SCENARIOS: Record<string, () => Observations> = {
  "accumulate across backward calls": () => {
    const x = leaf([0.5, -1.25, 2.0]);
    x.mul(x).sum().backward();
    const first = x.grad!.clone();
    x.mul(x).mul(x).sum().backward();
    return { first: obsT(first), second: obsT(x.grad) };
  },
  "settable .grad": () => {
    const x = leaf([0.5, -1.25, 2.0]);
    x.grad = t64([10, 20, 30]);
    x.exp().sum().backward();
    const added = x.grad.clone();
    x.grad = null;
    x.sin().sum().backward();
    return { added: obsT(added), fresh: obsT(x.grad) };
  },
  "the first gradient is copied, not aliased": () => {
    const x = leaf([1.0, 2.0]);
    const g = t64([3, 4]);
    x.mul(1).backward(g);
    g.mul_(100);
    return { grad: obsT(x.grad) };
  },
  retain_graph: () => {
    const x = leaf([0.5, -1.25, 2.0]);
    const y = x.exp().mul(x).sum();
    y.backward(null, { retainGraph: true });
    const once = x.grad!.clone();
    y.backward();
    return { once: obsT(once), twice: obsT(x.grad) };
  },
  "backward twice without saved tensors": () => {
    const x = leaf([0.5, -1.25]);
    const y = x.add(1).sum();
    y.backward();
    y.backward();
    return { grad: obsT(x.grad) };
  },
  retain_grad: () => {
    const x = leaf([0.5, -1.25, 2.0]);
    const a = x.mul(2);
    a.retainGrad();
    const c = a.sin();
    c.mul(a).sum().backward();
    return {
      "a.grad": obsT(a.grad),
      "x.grad": obsT(x.grad),
      "a.is_leaf": a.isLeaf,
      "a.retains_grad": a.retainsGrad,
      "c.retains_grad": c.retainsGrad,
      "x.retains_grad": x.retainsGrad,
    };
  },
  "retain_grad then in-place": () => {
    const x = leaf([0.5, -1.25, 2.0]);
    const a = x.mul(2);
    a.retainGrad();
    a.mul_(3);
    a.mul(a).sum().backward();
    return { "a.grad": obsT(a.grad), "x.grad": obsT(x.grad) };
  },
  "no_grad and enable_grad": () => {
    const x = leaf([0.5, -1.25]);
    let y!: Tensor;
    let z!: Tensor;
    let w!: Tensor;
    tg.noGrad(() => {
      y = x.mul(2);
      z = tg.enableGrad(() => x.mul(3));
      w = z.mul(2);
    });
    const v = x.mul(4);
    return {
      "no_grad.requires_grad": y.requiresGrad,
      "no_grad.grad_fn": obs(y.gradFn),
      "no_grad.is_leaf": y.isLeaf,
      "enable_grad.requires_grad": z.requiresGrad,
      "enable_grad.grad_fn": obs(z.gradFn),
      "no_grad_of_graph.requires_grad": w.requiresGrad,
      "after.requires_grad": v.requiresGrad,
    };
  },
  detach: () => {
    const x = leaf([0.5, -1.25, 2.0]);
    const y = x.sin();
    const d = x.detach();
    const flags: Observations = {
      "d.requires_grad": d.requiresGrad,
      "d.is_leaf": d.isLeaf,
      "d.grad_fn": obs(d.gradFn),
    };
    d.add_(1);
    flags["x.after_detached_inplace"] = obsT(x.detach().clone());
    flags.error = errorOf(() => y.sum().backward());
    return flags;
  },
  "leaf flags": () => {
    const x = leaf([1, 2]);
    const z = tg.ones([2], { dtype: f64 });
    const y = x.mul(2);
    const w = z.mul(2);
    const s = y.sum();
    return {
      "x.is_leaf": x.isLeaf,
      "x.requires_grad": x.requiresGrad,
      "x.grad_fn": obs(x.gradFn),
      "y.is_leaf": y.isLeaf,
      "y.requires_grad": y.requiresGrad,
      "y.grad_fn": obs(y.gradFn),
      "z.is_leaf": z.isLeaf,
      "w.is_leaf": w.isLeaf,
      "w.requires_grad": w.requiresGrad,
      "s.grad_fn": obs(s.gradFn),
      "x.requires_grad_(False).requires_grad": x.detach().requiresGrad_(false).requiresGrad,
    };
  },
  "100,000-op chain": () => {
    const x = leaf([0.75, -0.5]);
    let y = x;
    for (let i = 0; i < 100000; i++) y = i % 2 === 0 ? y.mul(1.0000001) : y.add(0.001);
    y.sum().backward();
    return { y: obsT(y.detach()), "x.grad": obsT(x.grad) };
  },
  "diamond graph": () => {
    const x = leaf([0.5, -1.25, 2.0]);
    const a = x.mul(2);
    a.sin().mul(a.cos()).add(a.mul(a)).sum().backward();
    return { "x.grad": obsT(x.grad) };
  },
  "tensor used twice": () => {
    const x = leaf([0.5, -1.25, 2.0]);
    x.mul(x).add(x.exp().mul(x)).sum().backward();
    return { "x.grad": obsT(x.grad) };
  },
  "only inputs requiring grad get gradients": () => {
    const x = leaf([0.5, -1.25, 2.0]);
    const w = t64([2, 3, 4]);
    x.mul(w).sum().backward();
    return { "x.grad": obsT(x.grad), "w.grad": obsT(w.grad), "w.requires_grad": w.requiresGrad };
  },
  "dtype casting of gradients": () => {
    const x = leaf([0.5, -1.25, 2.0], "float32");
    const w = t64([0.1, 0.2, 0.3]);
    x.double().mul(w).sum().backward();
    const a = x.grad!.clone();
    x.grad = null;
    const y = x.mul(w);
    y.sum().backward();
    const b = x.grad!.clone();
    x.grad = null;
    const z = x.mul(tg.tensor(0.1, { dtype: f64 }));
    z.sum().backward();
    return {
      "via double": obsT(a),
      promoted: obsT(b),
      "promoted.dtype_of_y": torchDtype(y),
      "0-dim": obsT(x.grad),
      "0-dim.dtype_of_z": torchDtype(z),
    };
  },
  "in-place on a non-leaf": () => {
    const x = leaf([0.5, -1.25, 2.0]);
    const y = x.mul(2);
    y.add_(1);
    y.mul_(x);
    y.mul(y).sum().backward();
    return { y: obsT(y.detach()), "y.grad_fn": obs(y.gradFn), "y.is_leaf": y.isLeaf, "x.grad": obsT(x.grad) };
  },
  "in-place on a view of a non-leaf": () => {
    const x = leaf([0.5, -1.25, 2.0, 3.0]);
    const w = leaf([1.5, -0.5]);
    const y = x.mul(1);
    const v = y.slice(0, 1, 3);
    v.mul_(w);
    v.add_(1);
    y.mul(y).sum().backward();
    return {
      y: obsT(y.detach()),
      "y.grad_fn": obs(y.gradFn),
      "v.grad_fn": obs(v.gradFn),
      "x.grad": obsT(x.grad),
      "w.grad": obsT(w.grad),
    };
  },
  "in-place makes a leaf a non-leaf": () => {
    const w = leaf([1.5, -0.5]);
    const b = tg.zeros([2], { dtype: f64 });
    b.add_(w);
    b.mul(b).sum().backward();
    return {
      "b.is_leaf": b.isLeaf,
      "b.requires_grad": b.requiresGrad,
      "b.grad_fn": obs(b.gradFn),
      "w.grad": obsT(w.grad),
    };
  },
  "a view of a base changed in place": () => {
    const x = leaf([0.5, -1.25, 2.0, 3.0]);
    const w = leaf([2.0]);
    const y = x.mul(1);
    const other = y.slice(0, 0, 2);
    y.mul_(w);
    other.sum().backward();
    return { "other.grad_fn": obs(other.gradFn), "x.grad": obsT(x.grad), "w.grad": obsT(w.grad) };
  },
  "backward with a gradient": () => {
    const x = leaf([
      [0.5, -1.25],
      [2.0, 3.0],
    ]);
    x.exp()
      .mul(2)
      .backward(
        t64([
          [1.0, 0.5],
          [-1.0, 2.0],
        ]),
      );
    return { "x.grad": obsT(x.grad) };
  },
  "backward of a leaf": () => {
    const x = leaf([0.5, -1.25]);
    x.backward(t64([3, 4]));
    return { "x.grad": obsT(x.grad) };
  },
  "grad_fn names": () => {
    const x = leaf([
      [0.5, -1.25],
      [2.0, 3.0],
    ]);
    const cases: Array<[string, Tensor]> = [
      ["add", x.add(1)],
      ["sub", x.sub(x)],
      ["mul", x.mul(2)],
      ["div", x.div(3)],
      ["pow", x.pow(2)],
      ["pow tensor", x.pow(x)],
      ["exp", x.exp()],
      ["sum", x.sum()],
      ["sum dim", x.sum(0)],
      ["mean", x.mean()],
      ["mean dim", x.mean(1)],
      ["max", x.max()],
      ["max dim", x.max(1).values],
      ["amax", x.amax(1)],
      ["softmax", x.softmax(1)],
      ["log_softmax", x.logSoftmax(1)],
      ["matmul", x.matmul(x)],
      ["mv", x.matmul(x.select(0, 0))],
      ["dot", x.select(0, 0).matmul(x.select(0, 1))],
      ["view", x.view([4])],
      ["reshape copy", x.t().reshape([4])],
      ["t", x.t()],
      ["transpose", x.transpose(0, 1)],
      ["permute", x.permute([1, 0])],
      ["select", x.select(0, 0)],
      ["slice", x.slice(1, 1)],
      ["narrow", x.narrow(0, 0, 1)],
      ["unsqueeze", x.unsqueeze(0)],
      ["squeeze", x.unsqueeze(0).squeeze()],
      ["expand", x.slice(0, 0, 1).expand([3, 2])],
      ["clone", x.clone()],
      ["cat", tg.cat([x, x])],
      ["stack", tg.stack([x, x])],
      ["index_select", x.indexSelect(0, tg.tensor([1]))],
      ["gather", x.gather(1, tg.tensor([[0], [1]]))],
      ["where", tg.where(x.gt(0), x, x.mul(2))],
      ["clamp", x.clamp(0, 1)],
      ["relu", x.relu()],
      ["var", x.var()],
      ["std", x.std()],
      ["norm", x.norm()],
      ["float", x.float()],
      ["repeat", x.repeat([2, 1])],
      ["masked_fill", x.maskedFill(x.gt(1), 0)],
      ["logsumexp", x.logsumexp(1)],
      ["prod", x.prod()],
    ];
    return Object.fromEntries(cases.map(([k, t]) => [k, obs(t.gradFn)]));
  },
};

function compareTensor(what: string, got: Tensor, want: EncodedTensor): void {
  expect(got.dtype, `${what} dtype`).toBe(want.dtype);
  expect([...got.shape], `${what} shape`).toEqual(want.shape);
  const a = Array.from(got.toTypedArray() as ArrayLike<number>);
  const e = decodeValues(want);
  let scale = 0;
  for (const v of e) scale = Math.max(scale, Math.abs(v));
  e.forEach((y, i) => {
    const x = a[i] as number;
    const tol = 1e-12 * Math.max(Math.abs(y), scale);
    if (!(Math.abs(x - y) <= tol)) expect(x, `${what}[${i}]`).toBe(y);
  });
}

describe("autograd semantics match PyTorch's", () => {
  it("every recorded scenario has a tsgrad counterpart", () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(Object.keys(fixture.scenarios).sort());
  });
  for (const [name, expected] of Object.entries(fixture.scenarios)) {
    it(name, () => {
      tensors.clear();
      const got = SCENARIOS[name]!();
      expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
      for (const [key, want] of Object.entries(expected)) {
        const have = got[key] ?? null;
        if (want !== null && typeof want === "object" && "tensor" in want) {
          expect(have, key).not.toBeNull();
          compareTensor(key, tensors.get(have) as Tensor, want.tensor);
        } else {
          expect(have, key).toEqual(want);
        }
      }
    });
  }

  it("a 100,000-op chain backpropagates without recursion (and a 300,000-op one too)", () => {
    const x = leaf([1.5]);
    let y = x;
    for (let i = 0; i < 300000; i++) y = y.add(1);
    y.backward();
    expect(x.grad!.item()).toBe(1);
  });
});

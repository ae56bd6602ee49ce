import * as tg from "../../src/index.js";
import type { Tensor, TensorLike } from "../../src/index.js";
import { decodeNumber, type EncodedTensor } from "./fixtures.js";

/** One input of a fixture case: a tensor (possibly viewed before the op) or a plain scalar. */
export type CaseInput =
  { tensor: EncodedTensor; views: unknown[][]; grad: boolean } | { scalar: number | boolean };

/** A case of test/fixtures/ops.json (written by scripts/fixtures/ops.py). */
export interface OpCase {
  name: string;
  op: string;
  family: string;
  /** The dtype PyTorch computed the op in (its first floating output's dtype), if any. */
  resultDtype?: string;
  args: Record<string, unknown>;
  inputs: CaseInput[];
  out: EncodedTensor | EncodedTensor[];
  gout?: EncodedTensor | null | Array<EncodedTensor | null>;
  grads?: Array<EncodedTensor | null>;
}

/** A tensor with exactly the encoded values, dtype and shape (float32 values are exact doubles). */
export function decodeTensor(e: EncodedTensor, requiresGrad = false): Tensor {
  const values = e.data.map((v) => decodeNumber(v));
  const data =
    e.dtype === "float32"
      ? Float32Array.from(values)
      : e.dtype === "float64"
        ? Float64Array.from(values)
        : e.dtype === "int32"
          ? Int32Array.from(values)
          : Uint8Array.from(values);
  return tg.tensor(data, { shape: e.shape, dtype: e.dtype, requiresGrad });
}

/** Apply the generator's view steps (the same names as scripts/fixtures/ops.py's apply_views). */
export function applyViews(x: Tensor, views: unknown[][]): Tensor {
  let t = x;
  for (const [name, ...args] of views) {
    const n = (i: number): never => args[i] as never;
    switch (name) {
      case "t":
        t = t.t();
        break;
      case "transpose":
        t = t.transpose(n(0), n(1));
        break;
      case "permute":
        t = t.permute(n(0));
        break;
      case "slice":
        t = t.slice(n(0), n(1), n(2), n(3));
        break;
      case "expand":
        t = t.expand(n(0));
        break;
      case "select":
        t = t.select(n(0), n(1));
        break;
      case "unsqueeze":
        t = t.unsqueeze(n(0));
        break;
      default:
        throw new Error(`unknown view ${String(name)}`);
    }
  }
  return t;
}

type Args = Record<string, unknown>;
type OpFn = (xs: TensorLike[], a: Args) => Tensor | Tensor[];

const T = (x: TensorLike | undefined): Tensor => x as Tensor;
const num = (v: unknown): number => decodeNumber(v as number | string);
const optNum = (v: unknown): number | null => (v === undefined || v === null ? null : num(v));
const dimArg = (a: Args): number | number[] | null =>
  a.dim === undefined ? null : (a.dim as number | number[]);
const keep = (a: Args): boolean => (a.keepdim as boolean | undefined) ?? false;

function red(name: "sum" | "mean" | "amax" | "amin"): OpFn {
  return (xs, a) => T(xs[0])[name](dimArg(a), keep(a));
}

function varLike(name: "var" | "std"): OpFn {
  return (xs, a) => {
    const opts: tg.VarOptions = { keepdim: keep(a) };
    if (a.correction !== undefined) opts.correction = a.correction as number;
    if (a.unbiased !== undefined) opts.unbiased = a.unbiased as boolean;
    return T(xs[0])[name](dimArg(a), opts);
  };
}

/** On a clone when the input requires grad, so that the in-place op is recorded in a graph. */
function inplace(fn: (y: Tensor, rest: TensorLike[], a: Args) => Tensor): OpFn {
  return (xs, a) => {
    const x = T(xs[0]);
    return fn(x.requiresGrad ? x.clone() : x, xs.slice(1), a);
  };
}

const dtypeOpt = (a: Args): tg.CreationOptions => (a.dtype ? { dtype: a.dtype as tg.DType } : {});

/** Every op of the fixture, by the generator's name. */
export const OPS: Record<string, OpFn> = {
  add: (xs, a) => T(xs[0]).add(xs[1]!, { alpha: (a.alpha as number) ?? 1 }),
  sub: (xs, a) => T(xs[0]).sub(xs[1]!, { alpha: (a.alpha as number) ?? 1 }),
  mul: (xs) => T(xs[0]).mul(xs[1]!),
  div: (xs) => T(xs[0]).div(xs[1]!),
  pow: (xs) => T(xs[0]).pow(xs[1]!),
  maximum: (xs) => tg.maximum(T(xs[0]), T(xs[1])),
  minimum: (xs) => tg.minimum(T(xs[0]), T(xs[1])),
  neg: (xs) => T(xs[0]).neg(),
  abs: (xs) => T(xs[0]).abs(),
  sign: (xs) => T(xs[0]).sign(),
  sqrt: (xs) => T(xs[0]).sqrt(),
  rsqrt: (xs) => T(xs[0]).rsqrt(),
  exp: (xs) => T(xs[0]).exp(),
  log: (xs) => T(xs[0]).log(),
  log1p: (xs) => T(xs[0]).log1p(),
  expm1: (xs) => T(xs[0]).expm1(),
  sin: (xs) => T(xs[0]).sin(),
  cos: (xs) => T(xs[0]).cos(),
  tanh: (xs) => T(xs[0]).tanh(),
  sigmoid: (xs) => T(xs[0]).sigmoid(),
  relu: (xs) => T(xs[0]).relu(),
  erf: (xs) => T(xs[0]).erf(),
  reciprocal: (xs) => T(xs[0]).reciprocal(),
  square: (xs) => T(xs[0]).square(),
  clamp: (xs, a) => T(xs[0]).clamp(optNum(a.min), optNum(a.max)),
  eq: (xs) => T(xs[0]).eq(xs[1]!),
  ne: (xs) => T(xs[0]).ne(xs[1]!),
  lt: (xs) => T(xs[0]).lt(xs[1]!),
  le: (xs) => T(xs[0]).le(xs[1]!),
  gt: (xs) => T(xs[0]).gt(xs[1]!),
  ge: (xs) => T(xs[0]).ge(xs[1]!),
  where: (xs) => tg.where(T(xs[0]), xs[1]!, xs[2]!),
  logicalNot: (xs) => T(xs[0]).logicalNot(),
  isnan: (xs) => T(xs[0]).isnan(),
  isfinite: (xs) => T(xs[0]).isfinite(),
  maskedFill: (xs, a) => T(xs[0]).maskedFill(T(xs[1]), num(a.value)),
  sum: red("sum"),
  mean: red("mean"),
  amax: red("amax"),
  amin: red("amin"),
  prod: (xs, a) => T(xs[0]).prod(a.dim as number | undefined, keep(a)),
  maxAll: (xs) => T(xs[0]).max(),
  minAll: (xs) => T(xs[0]).min(),
  maxDim: (xs, a) => {
    const r = T(xs[0]).max(a.dim as number, keep(a));
    return [r.values, r.indices];
  },
  minDim: (xs, a) => {
    const r = T(xs[0]).min(a.dim as number, keep(a));
    return [r.values, r.indices];
  },
  argmax: (xs, a) => T(xs[0]).argmax(a.dim as number | undefined, keep(a)),
  argmin: (xs, a) => T(xs[0]).argmin(a.dim as number | undefined, keep(a)),
  var: varLike("var"),
  std: varLike("std"),
  logsumexp: (xs, a) => T(xs[0]).logsumexp(a.dim as number | number[], keep(a)),
  softmax: (xs, a) => T(xs[0]).softmax(a.dim as number),
  logSoftmax: (xs, a) => T(xs[0]).logSoftmax(a.dim as number),
  norm: (xs, a) => T(xs[0]).norm(a.p === undefined ? 2 : num(a.p), dimArg(a), keep(a)),
  reshape: (xs, a) => T(xs[0]).reshape(a.shape as number[]),
  view: (xs, a) => T(xs[0]).view(a.shape as number[]),
  flatten: (xs, a) => T(xs[0]).flatten((a.start as number) ?? 0, (a.end as number) ?? -1),
  transpose: (xs, a) => T(xs[0]).transpose(a.dim0 as number, a.dim1 as number),
  t: (xs) => T(xs[0]).t(),
  permute: (xs, a) => T(xs[0]).permute(a.dims as number[]),
  unsqueeze: (xs, a) => T(xs[0]).unsqueeze(a.dim as number),
  squeeze: (xs, a) => T(xs[0]).squeeze(a.dim as number | undefined),
  expand: (xs, a) => T(xs[0]).expand(a.shape as number[]),
  contiguous: (xs) => T(xs[0]).contiguous(),
  clone: (xs) => T(xs[0]).clone(),
  select: (xs, a) => T(xs[0]).select(a.dim as number, a.index as number),
  narrow: (xs, a) => T(xs[0]).narrow(a.dim as number, a.start as number, a.length as number),
  slice: (xs, a) =>
    T(xs[0]).slice(
      a.dim as number,
      a.start as number | null,
      a.end as number | null,
      (a.step as number) ?? 1,
    ),
  split: (xs, a) => T(xs[0]).split(a.size as number, (a.dim as number) ?? 0),
  chunk: (xs, a) => T(xs[0]).chunk(a.chunks as number, (a.dim as number) ?? 0),
  repeat: (xs, a) => T(xs[0]).repeat(a.repeats as number[]),
  indexSelect: (xs, a) => T(xs[0]).indexSelect(a.dim as number, T(xs[1])),
  gather: (xs, a) => T(xs[0]).gather(a.dim as number, T(xs[1])),
  cat: (xs, a) => tg.cat(xs as Tensor[], (a.dim as number) ?? 0),
  stack: (xs, a) => tg.stack(xs as Tensor[], (a.dim as number) ?? 0),
  matmul: (xs) => tg.matmul(T(xs[0]), T(xs[1])),
  mm: (xs) => T(xs[0]).mm(T(xs[1])),
  bmm: (xs) => T(xs[0]).bmm(T(xs[1])),
  dot: (xs) => T(xs[0]).dot(T(xs[1])),
  float: (xs) => T(xs[0]).float(),
  double: (xs) => T(xs[0]).double(),
  long: (xs) => T(xs[0]).long(),
  int: (xs) => T(xs[0]).int(),
  bool: (xs) => T(xs[0]).bool(),
  arange: (_xs, a) => {
    const [s, e, st] = a.args as number[];
    return tg.arange(s!, e, st ?? 1, dtypeOpt(a));
  },
  linspace: (_xs, a) => tg.linspace(a.start as number, a.end as number, a.steps as number, dtypeOpt(a)),
  eye: (_xs, a) => {
    const [n, m] = a.args as number[];
    return tg.eye(n!, m ?? n!, dtypeOpt(a));
  },
  full: (_xs, a) => tg.full(a.shape as number[], a.value as number | boolean, dtypeOpt(a)),
  add_: inplace((y, r, a) => y.add_(r[0]!, { alpha: (a.alpha as number) ?? 1 })),
  sub_: inplace((y, r, a) => y.sub_(r[0]!, { alpha: (a.alpha as number) ?? 1 })),
  mul_: inplace((y, r) => y.mul_(r[0]!)),
  div_: inplace((y, r) => y.div_(r[0]!)),
  addcmul_: inplace((y, r, a) => y.addcmul_(T(r[0]), T(r[1]), { value: (a.value as number) ?? 1 })),
  addcdiv_: inplace((y, r, a) => y.addcdiv_(T(r[0]), T(r[1]), { value: (a.value as number) ?? 1 })),
  lerp_: inplace((y, r, a) => y.lerp_(T(r[0]), r.length > 1 ? T(r[1]) : (a.weight as number))),
  clamp_: inplace((y, _r, a) => y.clamp_(optNum(a.min), optNum(a.max))),
  copy_: inplace((y, r) => y.copy_(r[0]!)),
  sqrt_: inplace((y) => y.sqrt_()),
  neg_: inplace((y) => y.neg_()),
  exp_: inplace((y) => y.exp_()),
  fill_: inplace((y, _r, a) => y.fill_(a.value as number)),
  zero_: inplace((y) => y.zero_()),
  maskedFill_: inplace((y, r, a) => y.maskedFill_(T(r[0]), a.value as number)),
  viewMul_: (xs, a) => {
    const y = T(xs[0]).clone();
    y.narrow(a.dim as number, a.start as number, a.length as number).mul_(xs[1]!);
    return y;
  },
  viewAddcmul_: (xs, a) => {
    const y = T(xs[0]).clone();
    const other = y.select(0, a.index as number);
    y.select(0, a.index as number).addcmul_(T(xs[1]), T(xs[1]), { value: a.value as number });
    return other.mul(3);
  },
};

/**
 * Build a case's inputs: the leaves (null for scalars and inputs without grad) and the op operands.
 * With `upcast`, float32 inputs become float64 tensors with the same values (a float64 reference
 * computation of a float32 case).
 */
export function buildInputs(
  c: OpCase,
  upcast = false,
): { leaves: Array<Tensor | null>; operands: TensorLike[] } {
  const leaves: Array<Tensor | null> = [];
  const operands: TensorLike[] = [];
  for (const input of c.inputs) {
    if ("scalar" in input) {
      leaves.push(null);
      operands.push(input.scalar);
      continue;
    }
    const enc =
      upcast && input.tensor.dtype === "float32"
        ? { ...input.tensor, dtype: "float64" as const }
        : input.tensor;
    const base = decodeTensor(enc, input.grad);
    leaves.push(input.grad ? base : null);
    operands.push(applyViews(base, input.views));
  }
  return { leaves, operands };
}

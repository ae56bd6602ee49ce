/**
 * Property-based tests (fast-check) of broadcasting, views and reductions against naive reference
 * implementations written here, on random shapes (0–4 dims, sizes 0–5) and random memory layouts
 * (contiguous, permuted, strided, offset, expanded). The reference works on plain row-major arrays
 * and multi-indices only, so it shares no code with the library.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as tg from "../src/index.js";
import type { Tensor } from "../src/index.js";

// ---- the naive reference -----------------------------------------------------------------------

/** A logical tensor: shape and row-major values. */
interface Ref {
  shape: number[];
  data: number[];
}

const numelOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function unravel(shape: readonly number[], flat: number): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d] as number;
    idx[d] = flat % s;
    flat = Math.floor(flat / s);
  }
  return idx;
}

function ravel(shape: readonly number[], idx: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * (shape[d] as number) + (idx[d] as number);
  return flat;
}

function at(r: Ref, idx: readonly number[]): number {
  return r.data[ravel(r.shape, idx)] as number;
}

function fromFn(shape: number[], fn: (idx: number[]) => number): Ref {
  const n = numelOf(shape);
  const data = new Array<number>(n);
  for (let i = 0; i < n; i++) data[i] = fn(unravel(shape, i));
  return { shape, data };
}

/** NumPy/PyTorch broadcasting of two shapes, or null when they do not broadcast. */
function broadcastRef(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Read `r` at an index of a (larger) broadcast shape. */
function atBroadcast(r: Ref, idx: readonly number[]): number {
  const lead = idx.length - r.shape.length;
  return at(
    r,
    r.shape.map((s, d) => (s === 1 ? 0 : (idx[lead + d] as number))),
  );
}

// ---- random tensors in random layouts ------------------------------------------------------------

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Small integers (as float64), so sums and means are exact and comparisons are bit-for-bit. */
function randomRef(shape: number[], seed: number, spread = 5): Ref {
  const next = prng(seed);
  return fromFn(shape, () => Math.floor(next() * (2 * spread + 1)) - spread);
}

type LayoutKind = "contiguous" | "permuted" | "strided" | "offset";

/**
 * A library tensor holding `r`'s values in the given memory layout, built from raw storage with
 * the reference's own index arithmetic, then viewed back to `r.shape`.
 */
function build(r: Ref, kind: LayoutKind, seed: number): Tensor {
  const next = prng(seed);
  const shape = r.shape;
  const nd = shape.length;
  if (kind === "permuted" && nd >= 2) {
    const perm = shape.map((_, i) => i);
    for (let i = nd - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [perm[i], perm[j]] = [perm[j] as number, perm[i] as number];
    }
    const baseShape = perm.map((p) => shape[p] as number);
    const base = fromFn(baseShape, (b) => {
      const l = new Array<number>(nd);
      perm.forEach((p, i) => (l[p] = b[i] as number));
      return at(r, l);
    });
    const inverse = new Array<number>(nd);
    perm.forEach((p, i) => (inverse[p] = i));
    return tg.tensor(Float64Array.from(base.data), { shape: baseShape, dtype: "float64" }).permute(inverse);
  }
  if (kind === "strided" && nd >= 1) {
    const d = Math.floor(next() * nd);
    const step = 2 + Math.floor(next() * 2);
    const start = Math.floor(next() * 2);
    const baseShape = [...shape];
    baseShape[d] = start + (shape[d] as number) * step;
    const base = fromFn(baseShape, (b) => {
      const k = (b[d] as number) - start;
      if (k < 0 || k % step !== 0) return NaN;
      const l = [...b];
      l[d] = k / step;
      return at(r, l);
    });
    return tg
      .tensor(Float64Array.from(base.data), { shape: baseShape, dtype: "float64" })
      .slice(d, start, null, step);
  }
  if (kind === "offset") {
    const pad = 1 + Math.floor(next() * 3);
    const flat = [...new Array<number>(pad).fill(NaN), ...r.data, NaN];
    return tg.tensor(Float64Array.from(flat), { dtype: "float64" }).narrow(0, pad, r.data.length).view(shape);
  }
  return tg.tensor(Float64Array.from(r.data), { shape, dtype: "float64" });
}

/**
 * A random tensor of `shape` in a random layout, with its reference. "expanded" makes a tensor
 * whose size-1-in-storage dims are broadcast (stride 0), so its values repeat along them.
 */
function input(
  shape: number[],
  kind: LayoutKind | "expanded",
  seed: number,
  spread = 5,
): { r: Ref; t: Tensor } {
  if (kind === "expanded") {
    const next = prng(seed ^ 0x5bd1e995);
    const baseShape = shape.map((s) => (next() < 0.5 ? 1 : s));
    const base = randomRef(baseShape, seed, spread);
    return {
      r: fromFn(shape, (i) => atBroadcast(base, i)),
      t: build(base, "contiguous", seed).expand(shape),
    };
  }
  const r = randomRef(shape, seed, spread);
  return { r, t: build(r, kind, seed) };
}

const shapeArb = fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 });
const inputLayoutArb = fc.constantFrom<LayoutKind | "expanded">(
  "contiguous",
  "permuted",
  "strided",
  "offset",
  "expanded",
);
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

function values(t: Tensor): number[] {
  return Array.from(t.toTypedArray() as ArrayLike<number>);
}

/** Shape equal and values equal (NaN equals NaN; -0 equals 0, as the reference may sum into 0). */
function expectRef(t: Tensor, r: Ref): void {
  expect([...t.shape]).toEqual(r.shape);
  const v = values(t);
  expect(v.length).toBe(r.data.length);
  v.forEach((x, i) => {
    const y = r.data[i] as number;
    if (!(x === y || (Number.isNaN(x) && Number.isNaN(y)))) expect(x, `element ${i}`).toBe(y);
  });
}

const RUNS = { numRuns: 300 };

// ---- layouts ------------------------------------------------------------------------------------

describe("layouts", () => {
  it("every layout reads back the logical values", () => {
    fc.assert(
      fc.property(shapeArb, inputLayoutArb, seedArb, (shape, kind, seed) => {
        const { r, t } = input(shape, kind, seed);
        expectRef(t, r);
        expect(t.contiguous().isContiguous()).toBe(true);
        expectRef(t.contiguous(), r);
      }),
      RUNS,
    );
  });
});

// ---- broadcasting -------------------------------------------------------------------------------

/** A shape that broadcasts to `out`: a suffix of it with some dims replaced by 1. */
const broadcastPair = shapeArb.chain((out) =>
  fc.tuple(
    fc.constant(out),
    fc.integer({ min: 0, max: out.length }),
    fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    fc.integer({ min: 0, max: out.length }),
    fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
  ),
);

function squash(out: number[], drop: number, ones: boolean[]): number[] {
  return out.slice(drop).map((s, i) => (ones[drop + i] ? 1 : s));
}

const BINARY: Record<string, [(a: Tensor, b: Tensor) => Tensor, (x: number, y: number) => number]> = {
  add: [(a, b) => a.add(b), (x, y) => x + y],
  sub: [(a, b) => a.sub(b), (x, y) => x - y],
  mul: [(a, b) => a.mul(b), (x, y) => x * y],
  div: [(a, b) => a.div(b), (x, y) => x / y],
  maximum: [(a, b) => tg.maximum(a, b), (x, y) => Math.max(x, y)],
  lt: [(a, b) => a.lt(b), (x, y) => (x < y ? 1 : 0)],
  alphaAdd: [(a, b) => a.add(b, { alpha: 3 }), (x, y) => x + 3 * y],
};

describe("broadcasting", () => {
  it("elementwise ops on broadcast shapes match the reference, in any layout", () => {
    fc.assert(
      fc.property(
        broadcastPair,
        fc.constantFrom(...Object.keys(BINARY)),
        inputLayoutArb,
        inputLayoutArb,
        seedArb,
        ([out, da, oa, db, ob], op, ka, kb, seed) => {
          const { r: ra, t: ta } = input(squash(out, da, oa), ka, seed);
          const { r: rb, t: tb } = input(squash(out, db, ob), kb, seed + 1);
          const [fn, ref] = BINARY[op]!;
          const shape = broadcastRef(ra.shape, rb.shape)!;
          const got = fn(ta, tb);
          expectRef(
            got.dtype === "bool" ? got.double() : got,
            fromFn(shape, (i) => ref(atBroadcast(ra, i), atBroadcast(rb, i))),
          );
        },
      ),
      RUNS,
    );
  });

  it("incompatible shapes raise PyTorch's error exactly when the reference says so", () => {
    fc.assert(
      fc.property(shapeArb, shapeArb, (sa, sb) => {
        const a = tg.zeros(sa, { dtype: "float64" });
        const b = tg.zeros(sb, { dtype: "float64" });
        if (broadcastRef(sa, sb) === null) {
          expect(() => a.add(b)).toThrow(/must match the size of tensor b/);
        } else {
          expect([...a.add(b).shape]).toEqual(broadcastRef(sa, sb));
        }
      }),
      RUNS,
    );
  });

  it("gradients of broadcast operands are summed back to their shapes", () => {
    fc.assert(
      fc.property(broadcastPair, seedArb, ([out, da, oa, db, ob], seed) => {
        const ra = randomRef(squash(out, da, oa), seed);
        const rb = randomRef(squash(out, db, ob), seed + 1);
        const shape = broadcastRef(ra.shape, rb.shape)!;
        const a = build(ra, "contiguous", seed).requiresGrad_();
        const b = build(rb, "contiguous", seed).requiresGrad_();
        const g = randomRef(shape, seed + 3);
        a.mul(b).backward(build(g, "contiguous", seed));
        // d(a*b)/da summed over the broadcast positions of each element of a, and likewise for b.
        const sumInto = (target: Ref, other: Ref): Ref => {
          const acc = new Array<number>(target.data.length).fill(0);
          for (let i = 0; i < g.data.length; i++) {
            const idx = unravel(shape, i);
            const lead = idx.length - target.shape.length;
            const ti = target.shape.map((s, d) => (s === 1 ? 0 : (idx[lead + d] as number)));
            const k = ravel(target.shape, ti);
            acc[k] = (acc[k] as number) + (g.data[i] as number) * atBroadcast(other, idx);
          }
          return { shape: target.shape, data: acc };
        };
        expectRef(a.grad!, sumInto(ra, rb));
        expectRef(b.grad!, sumInto(rb, ra));
      }),
      RUNS,
    );
  });
});

// ---- views ----------------------------------------------------------------------------------------

/** One random view step, applied to both the reference and the tensor; null when not applicable. */
type Step = { name: string; ref: (r: Ref) => Ref; apply: (t: Tensor) => Tensor; isView: boolean };

function transposeRef(r: Ref, a: number, b: number): Ref {
  const shape = [...r.shape];
  [shape[a], shape[b]] = [shape[b] as number, shape[a] as number];
  return fromFn(shape, (i) => {
    const j = [...i];
    [j[a], j[b]] = [j[b] as number, j[a] as number];
    return at(r, j);
  });
}

function stepFor(r: Ref, choice: number, p: number[]): Step | null {
  const nd = r.shape.length;
  const pick = (k: number, n: number) => (n <= 0 ? 0 : (p[k] as number) % n);
  switch (choice) {
    case 0: {
      // reshape into a random factorisation (a view when the layout allows, else a copy)
      const n = numelOf(r.shape);
      const target = factorise(n, p);
      return {
        name: `reshape(${target})`,
        ref: (x) => ({ shape: target, data: x.data }),
        apply: (t) => t.reshape(target),
        isView: false,
      };
    }
    case 1: {
      if (nd < 1) return null;
      const a = pick(0, nd);
      const b = pick(1, nd);
      return {
        name: `transpose(${a},${b})`,
        ref: (x) => transposeRef(x, a, b),
        apply: (t) => t.transpose(a - nd, b),
        isView: true,
      };
    }
    case 2: {
      if (nd < 1) return null;
      const perm = r.shape.map((_, i) => i);
      for (let i = nd - 1; i > 0; i--) {
        const j = pick(2 + i, i + 1);
        [perm[i], perm[j]] = [perm[j] as number, perm[i] as number];
      }
      return {
        name: `permute(${perm})`,
        ref: (x) =>
          fromFn(
            perm.map((q) => x.shape[q] as number),
            (i) => {
              const l = new Array<number>(nd);
              perm.forEach((q, k) => (l[q] = i[k] as number));
              return at(x, l);
            },
          ),
        apply: (t) => t.permute(perm),
        isView: true,
      };
    }
    case 3: {
      if (nd < 1) return null;
      const d = pick(0, nd);
      const size = r.shape[d] as number;
      if (size === 0) return null;
      const i = pick(1, size);
      return {
        name: `select(${d},${i})`,
        ref: (x) =>
          fromFn(
            x.shape.filter((_, k) => k !== d),
            (idx) => at(x, [...idx.slice(0, d), i, ...idx.slice(d)]),
          ),
        apply: (t) => t.select(d, i - size),
        isView: true,
      };
    }
    case 4: {
      if (nd < 1) return null;
      const d = pick(0, nd);
      const size = r.shape[d] as number;
      const start = pick(1, size + 1);
      const len = pick(2, size - start + 1);
      return {
        name: `narrow(${d},${start},${len})`,
        ref: (x) => {
          const shape = [...x.shape];
          shape[d] = len;
          return fromFn(shape, (idx) =>
            at(
              x,
              idx.map((v, k) => (k === d ? v + start : v)),
            ),
          );
        },
        apply: (t) => t.narrow(d, start, len),
        isView: true,
      };
    }
    case 5: {
      if (nd < 1) return null;
      const d = pick(0, nd);
      const size = r.shape[d] as number;
      const start = pick(1, 2 * size + 3) - size - 1;
      const end = pick(2, 2 * size + 3) - size - 1;
      const step = 1 + pick(3, 3);
      // Python slicing of indices 0..size-1.
      const norm = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
      const s = norm(start);
      const e = Math.max(norm(end), s);
      const picked: number[] = [];
      for (let k = s; k < e; k += step) picked.push(k);
      return {
        name: `slice(${d},${start},${end},${step})`,
        ref: (x) => {
          const shape = [...x.shape];
          shape[d] = picked.length;
          return fromFn(shape, (idx) =>
            at(
              x,
              idx.map((v, k) => (k === d ? (picked[v] as number) : v)),
            ),
          );
        },
        apply: (t) => t.slice(d, start, end, step),
        isView: true,
      };
    }
    case 6: {
      // expand size-1 dims (and add up to one leading dim)
      const lead = pick(0, 2);
      const target = [
        ...new Array<number>(lead).fill(1 + pick(1, 3)),
        ...r.shape.map((s, k) => (s === 1 ? pick(2 + k, 4) : s)),
      ];
      return {
        name: `expand(${target})`,
        ref: (x) => fromFn(target, (idx) => atBroadcast(x, idx)),
        apply: (t) => t.expand(target),
        isView: true,
      };
    }
    case 7: {
      const d = pick(0, nd + 1);
      return {
        name: `unsqueeze(${d})`,
        ref: (x) => ({ shape: [...x.shape.slice(0, d), 1, ...x.shape.slice(d)], data: x.data }),
        apply: (t) => t.unsqueeze(d),
        isView: true,
      };
    }
    case 8: {
      const all = p[0]! % 2 === 0 || nd === 0;
      const d = pick(1, nd);
      return {
        name: all ? "squeeze()" : `squeeze(${d})`,
        ref: (x) => ({
          shape: all ? x.shape.filter((s) => s !== 1) : x.shape.filter((s, k) => k !== d || s !== 1),
          data: x.data,
        }),
        apply: (t) => (all ? t.squeeze() : t.squeeze(d)),
        isView: true,
      };
    }
    case 9: {
      if (nd < 1) return null;
      const s = pick(0, nd);
      const e = s + pick(1, nd - s);
      return {
        name: `flatten(${s},${e})`,
        ref: (x) => ({
          shape: [...x.shape.slice(0, s), numelOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)],
          data: x.data,
        }),
        apply: (t) => t.flatten(s, e),
        isView: false,
      };
    }
    default: {
      if (nd > 2) return null;
      return {
        name: "t()",
        ref: (x) => (nd < 2 ? x : transposeRef(x, 0, 1)),
        apply: (t) => t.t(),
        isView: true,
      };
    }
  }
}

/** A random shape with `n` elements (at most 4 dims). */
function factorise(n: number, p: number[]): number[] {
  if (n === 0) return [0, 1 + ((p[5] as number) % 3)].slice(0, 1 + ((p[6] as number) % 2));
  const dims: number[] = [];
  let rest = n;
  for (let k = 0; k < 3 && rest > 1; k++) {
    const divisors: number[] = [];
    for (let d = 1; d <= rest; d++) if (rest % d === 0) divisors.push(d);
    const d = divisors[(p[k] as number) % divisors.length] as number;
    dims.push(d);
    rest /= d;
  }
  dims.push(rest);
  return dims.filter((d, i) => d !== 1 || i === dims.length - 1 || (p[7] as number) % 2 === 0);
}

describe("views", () => {
  it("chains of views and reshapes match the reference and share storage where they are views", () => {
    fc.assert(
      fc.property(
        shapeArb,
        inputLayoutArb,
        seedArb,
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 10 }), fc.array(fc.nat(1000), { minLength: 8, maxLength: 8 })),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        (shape, kind, seed, steps) => {
          let { r, t } = input(shape, kind, seed);
          for (const [choice, p] of steps) {
            const step = stepFor(r, choice, p);
            if (!step) continue;
            const before = t;
            t = step.apply(t);
            r = step.ref(r);
            expectRef(t, r);
            if (step.isView) expect(t.data).toBe(before.data);
          }
        },
      ),
      RUNS,
    );
  });

  it("view() succeeds exactly when the strides allow it, and then shares storage", () => {
    fc.assert(
      fc.property(
        shapeArb,
        inputLayoutArb,
        seedArb,
        fc.array(fc.nat(1000), { minLength: 8, maxLength: 8 }),
        (shape, kind, seed, p) => {
          const { r, t } = input(shape, kind, seed);
          const target = factorise(numelOf(shape), p);
          let viewed: Tensor | null = null;
          try {
            viewed = t.view(target);
          } catch (e) {
            expect((e as Error).message).toMatch(
              /^view size is not compatible with input tensor's size and stride/,
            );
            // A contiguous tensor can always be viewed as any shape with the same number of elements.
            expect(t.isContiguous()).toBe(false);
          }
          if (viewed) {
            expect(viewed.data).toBe(t.data);
            expectRef(viewed, { shape: target, data: r.data });
          }
          expectRef(t.reshape(target), { shape: target, data: r.data });
        },
      ),
      RUNS,
    );
  });

  it("writing through a view changes the base at the viewed positions", () => {
    fc.assert(
      fc.property(
        shapeArb,
        seedArb,
        fc.array(fc.nat(1000), { minLength: 8, maxLength: 8 }),
        (shape, seed, p) => {
          if (shape.length === 0) return;
          const r = randomRef(shape, seed);
          const base = build(r, "contiguous", seed);
          const step = stepFor(r, 4, p)!; // narrow
          const v = step.apply(base);
          v.fill_(100);
          const marked = step.ref({ shape: r.shape, data: r.data.map((_, i) => i) });
          const expected = [...r.data];
          for (const i of marked.data) expected[i] = 100;
          expect(values(base)).toEqual(expected);
        },
      ),
      RUNS,
    );
  });
});

// ---- reductions ---------------------------------------------------------------------------------

/** Random dims to reduce (a number, a list possibly with negative dims, or all) and keepdim. */
const reduceArb = shapeArb.chain((shape) =>
  fc.tuple(
    fc.constant(shape),
    fc.oneof(
      fc.constant<number[] | number | null>(null),
      fc
        .subarray(shape.length ? shape.map((_, i) => i) : [0], { minLength: 1 })
        .map((ds) => ds.map((d, k) => (k % 2 ? d - Math.max(shape.length, 1) : d))),
      fc.integer({ min: 0, max: Math.max(shape.length - 1, 0) }).map((d): number | number[] => d),
    ),
    fc.boolean(),
    inputLayoutArb,
    seedArb,
  ),
);

function normDims(dims: number[] | number | null, nd: number): number[] {
  if (dims === null) return Array.from({ length: nd }, (_, i) => i);
  const list = typeof dims === "number" ? [dims] : dims;
  return [...new Set(list.map((d) => (d < 0 ? d + Math.max(nd, 1) : d)))].filter((d) => d < nd).sort();
}

/** Groups of reduced values per output position (row-major), and the output shape. */
function groups(r: Ref, dims: number[], keepdim: boolean): { shape: number[]; groups: number[][] } {
  const kept = r.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const outShape = keepdim
    ? r.shape.map((s, i) => (dims.includes(i) ? 1 : s))
    : kept.map((i) => r.shape[i] as number);
  const keptShape = kept.map((i) => r.shape[i] as number);
  const out: number[][] = Array.from({ length: numelOf(keptShape) }, () => []);
  for (let i = 0; i < r.data.length; i++) {
    const idx = unravel(r.shape, i);
    out[
      ravel(
        keptShape,
        kept.map((d) => idx[d] as number),
      )
    ]!.push(r.data[i] as number);
  }
  return { shape: outShape, groups: out };
}

const meanOf = (g: number[]) => g.reduce((a, b) => a + b, 0) / g.length;

describe("reductions", () => {
  it("sum, mean, amax, amin, var, std and logsumexp over random dims match the reference", () => {
    fc.assert(
      fc.property(
        reduceArb,
        fc.integer({ min: 0, max: 2 }),
        ([shape, dims, keepdim, kind, seed], correction) => {
          const { r, t } = input(shape, kind, seed);
          const nd = normDims(dims, shape.length);
          const { shape: outShape, groups: gs } = groups(r, nd, keepdim);
          const check = (got: Tensor, fn: (g: number[]) => number, close = false) => {
            expect([...got.shape]).toEqual(outShape);
            const want = gs.map(fn);
            const have = values(got);
            if (!close) expect(have).toEqual(want);
            else
              have.forEach((v, i) => {
                const w = want[i] as number;
                if (Number.isNaN(w) || !Number.isFinite(w)) expect(v).toBe(w);
                else expect(Math.abs(v - w)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w)));
              });
          };
          check(t.sum(dims, keepdim), (g) => g.reduce((a, b) => a + b, 0));
          check(t.mean(dims, keepdim), meanOf);
          // No identity for max/min: PyTorch refuses an empty reduced dim, or an empty full reduction.
          const noIdentity = numelOf(shape) === 0 && (dims === null || nd.some((d) => shape[d] === 0));
          if (noIdentity) {
            expect(() => t.amax(dims, keepdim)).toThrow(/Expected reduction dim/);
          } else {
            check(t.amax(dims, keepdim), (g) => Math.max(...g));
            check(t.amin(dims, keepdim), (g) => Math.min(...g));
          }
          const variance = (g: number[]) => {
            const m = meanOf(g);
            return g.reduce((a, b) => a + (b - m) * (b - m), 0) / Math.max(g.length - correction, 0);
          };
          check(t.var(dims, { correction, keepdim }), variance, true);
          check(t.std(dims, { correction, keepdim }), (g) => Math.sqrt(variance(g)), true);
          check(
            t.logsumexp(dims ?? shape.map((_, i) => i), keepdim),
            (g) => (g.length === 0 ? -Infinity : Math.log(g.reduce((a, b) => a + Math.exp(b), 0))),
            true,
          );
        },
      ),
      RUNS,
    );
  });

  it("max, min, argmax and argmin along one dim return the first extreme and its index", () => {
    fc.assert(
      fc.property(
        shapeArb,
        fc.nat(100),
        fc.boolean(),
        inputLayoutArb,
        seedArb,
        (shape, dRaw, keepdim, kind, seed) => {
          // Few distinct values, so ties are common and the first-occurrence rule is exercised.
          const { r, t } = input(shape, kind, seed, 1);
          const nd = Math.max(shape.length, 1);
          const dim = (dRaw % nd) - (dRaw % 2 ? nd : 0);
          const d = dim < 0 ? dim + nd : dim;
          const dims = shape.length === 0 ? [] : [d];
          const { shape: outShape, groups: gs } = groups(r, dims, keepdim);
          if ((shape[d] ?? 1) === 0) {
            expect(() => t.max(dim, keepdim)).toThrow(tg.errors.IndexError);
            return;
          }
          for (const wantMax of [true, false]) {
            const { values: v, indices } = wantMax ? t.max(dim, keepdim) : t.min(dim, keepdim);
            const arg = wantMax ? t.argmax(dim, keepdim) : t.argmin(dim, keepdim);
            const best = gs.map((g) => (wantMax ? Math.max(...g) : Math.min(...g)));
            const first = gs.map((g, i) => g.indexOf(best[i] as number));
            expect([...v.shape]).toEqual(outShape);
            expect(values(v)).toEqual(best);
            expect(values(indices)).toEqual(first);
            expect(values(arg)).toEqual(first);
            expect(indices.dtype).toBe("int32");
          }
        },
      ),
      RUNS,
    );
  });

  it("the gradient of a sum or mean is spread evenly over the reduced positions", () => {
    fc.assert(
      fc.property(reduceArb, ([shape, dims, keepdim, , seed]) => {
        const r = randomRef(shape, seed);
        const nd = normDims(dims, shape.length);
        const count = numelOf(nd.map((d) => shape[d] as number));
        const x = build(r, "contiguous", seed).requiresGrad_();
        x.sum(dims, keepdim).sum().backward();
        expect(values(x.grad!)).toEqual(r.data.map(() => 1));
        x.grad = null;
        x.mean(dims, keepdim).sum().backward();
        expect(values(x.grad!)).toEqual(r.data.map(() => 1 / count));
      }),
      RUNS,
    );
  });
});

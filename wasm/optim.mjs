// Fused optimizer steps as WebAssembly text: one pass over a range [lo, hi) of a flat arena whose
// regions (parameters, gradients, state buffers) are each contiguous, so a whole parameter group
// is one call (or one call per thread). Each kernel is written once as a sequence of dtype-generic
// operations and emitted twice: a SIMD body (f32x4 / f64x2) and a scalar tail.
//
// Every operation rounds to the storage dtype, as PyTorch's CPU kernels do. WebAssembly has no
// fused multiply-add outside relaxed SIMD, so where PyTorch's AVX2 kernels fuse one (`add` with
// alpha, `addcmul`, `lerp`), these kernels round the product first: see the comments per site.
import { get, i32, lanes32, set } from "./wat.mjs";

/** Task kinds of the fused steps (after the GEMM kinds). */
export const OPTIM_KINDS = {
  sgdF32: 3,
  sgdF64: 4,
  adamF32: 5,
  adamF64: 6,
  copyF32: 7,
  copyF64: 8,
  /** float32 with PyTorch's fused multiply-adds emulated exactly (bit-identical results). */
  sgdF32Exact: 9,
  adamF32Exact: 10,
  adagradF32: 11,
  adagradF64: 12,
  adagradF32Exact: 13,
  rmspropF32: 14,
  rmspropF64: 15,
  rmspropF32Exact: 16,
};

/** Fields of an optimizer task: i32 slots, then f64 hyperparameters from byte `hyper`. */
export const OPTIM_TASK = {
  lo: 1,
  hi: 2,
  p: 3,
  g: 4,
  s1: 5,
  s2: 6,
  s3: 7,
  flags: 8,
  /** Byte offset of the f64 hyperparameter array within the task. */
  hyper: 40,
};

/** Flag bits and hyperparameter indices per kernel (the JS side writes them). */
export const OPTIM_FLAGS = {
  sgd: { maximize: 1, weightDecay: 2, momentum: 4, nesterov: 8, initBuffer: 16 },
  adam: { maximize: 1, coupled: 2, decoupled: 4, amsgrad: 8, lerpFromStart: 16 },
  adagrad: { maximize: 1, weightDecay: 2 },
  rmsprop: { maximize: 1, weightDecay: 2, centered: 4, momentum: 8, lerpFromStart: 16 },
};
export const OPTIM_HYPER = {
  sgd: { weightDecay: 0, momentum: 1, oneMinusDampening: 2, negLr: 3 },
  adam: {
    weightDecay: 0,
    decay: 1,
    weight: 2,
    weightMinusOne: 3,
    beta2: 4,
    oneMinusBeta2: 5,
    bc2Sqrt: 6,
    eps: 7,
    negStepSize: 8,
  },
  adagrad: { weightDecay: 0, eps: 1, negClr: 2 },
  rmsprop: {
    weightDecay: 0,
    alpha: 1,
    oneMinusAlpha: 2,
    eps: 3,
    momentum: 4,
    negLr: 5,
    weight: 6,
    weightMinusOne: 7,
  },
};

/**
 * `dst = fma(a, b, c)` as statements. Plain: the product is rounded, then added (two roundings).
 * Exact (float32 only): fl32(a·b + c) correctly rounded, computed in float64 where the product
 * of two float32 values is exact; the float64 sum is made round-to-odd (TwoSum gives its error;
 * an inexact sum with an even last bit is moved one ulp towards the error), after which rounding
 * to float32 cannot double-round (Boldo & Melquiond, "Emulation of FMA and correctly rounded sums:
 * proved algorithms using rounding to odd", IEEE TC 2008).
 */
function fmaStatements(t, vector, exact, dst, a, b, c) {
  const ty = vector ? `${t}x${t === "f32" ? 4 : 2}` : t;
  if (!exact) return set(dst, `(${ty}.add ${c} (${ty}.mul ${a} ${b}))`);
  if (!vector) {
    const bits = (x) => `(i64.reinterpret_f64 ${x})`;
    return `${set("sa", a)} ${set("sb", b)} ${set("sc", c)}
    ${set("sp", "(f64.mul (f64.promote_f32 (local.get $sa)) (f64.promote_f32 (local.get $sb)))")}
    ${set("sq", "(f64.promote_f32 (local.get $sc))")}
    ${set("ss", "(f64.add (local.get $sp) (local.get $sq))")}
    ${set("sbb", "(f64.sub (local.get $ss) (local.get $sp))")}
    ${set("se", "(f64.add (f64.sub (local.get $sp) (f64.sub (local.get $ss) (local.get $sbb))) (f64.sub (local.get $sq) (local.get $sbb)))")}
    (if (i32.and (f64.ne (local.get $se) (f64.const 0)) (i64.eqz (i64.and ${bits(get("ss"))} (i64.const 1))))
      (then ${set("ss", `(f64.reinterpret_i64 (i64.add ${bits(get("ss"))} (select (i64.const -1) (i64.const 1) (i64.lt_s (i64.xor ${bits(get("ss"))} ${bits(get("se"))}) (i64.const 0)))))`)}))
    ${set(dst, "(f32.demote_f64 (local.get $ss))")}`;
  }
  const half = (lo) => {
    const pick = (x) => (lo ? get(x) : `(i8x16.shuffle ${highToLow} ${get(x)} ${get(x)})`);
    return `${set("fp", `(f64x2.mul (f64x2.promote_low_f32x4 ${pick("fa")}) (f64x2.promote_low_f32x4 ${pick("fb")}))`)}
    ${set("fq", `(f64x2.promote_low_f32x4 ${pick("fc")})`)}
    ${set("fs", "(f64x2.add (local.get $fp) (local.get $fq))")}
    ${set("fbb", "(f64x2.sub (local.get $fs) (local.get $fp))")}
    ${set("fe", "(f64x2.add (f64x2.sub (local.get $fp) (f64x2.sub (local.get $fs) (local.get $fbb))) (f64x2.sub (local.get $fq) (local.get $fbb)))")}
    ${set(
      "fs",
      `(i64x2.add (local.get $fs) (v128.and
        (v128.and (f64x2.ne (local.get $fe) (v128.const i64x2 0 0)) (i64x2.eq (v128.and (local.get $fs) (v128.const i64x2 1 1)) (v128.const i64x2 0 0)))
        (v128.or (i64x2.lt_s (v128.xor (local.get $fs) (local.get $fe)) (v128.const i64x2 0 0)) (v128.const i64x2 1 1))))`,
    )}
    ${set(lo ? "flo" : "fhi", "(f32x4.demote_f64x2_zero (local.get $fs))")}`;
  };
  return `${set("fa", a)} ${set("fb", b)} ${set("fc", c)}
  ${half(true)}
  ${half(false)}
  ${set(dst, `(i8x16.shuffle ${lanes32(0, 1, 4, 5)} (local.get $flo) (local.get $fhi))`)}`;
}

const highToLow = lanes32(2, 3, 2, 3);

/** Emitters for one dtype in one shape (vector or scalar). */
function emitter(t, vector, exact = false) {
  const lanes = t === "f32" ? 4 : 2;
  const es = t === "f32" ? 4 : 8;
  const ty = vector ? `${t}x${lanes}` : t;
  const bin = (name) => (a, b) => `(${ty}.${name} ${a} ${b})`;
  return {
    type: vector ? "v128" : t,
    step: vector ? lanes : 1,
    es,
    load: (region) => `(${vector ? "v128" : t}.load ${addr(region, es)})`,
    store: (region, v) => `(${vector ? "v128" : t}.store ${addr(region, es)} ${v})`,
    add: bin("add"),
    sub: bin("sub"),
    mul: bin("mul"),
    div: bin("div"),
    max: bin("max"),
    sqrt: (a) => `(${ty}.sqrt ${a})`,
    neg: (a) => `(${ty}.neg ${a})`,
    /** A hyperparameter, splatted for vectors. */
    h: (name) => get(`h_${name}${vector ? "_v" : ""}`),
    /** `dst = fma(a, b, c)`: see {@link fmaStatements}. */
    fma: (dst, a, b, c) => fmaStatements(t, vector, exact, dst, a, b, c),
  };
}

const addr = (region, es) => `(i32.add ${get(region)} (i32.mul ${get("i")} (i32.const ${es})))`;

/** `if (flags & bit) then else` as a statement. */
const when = (bit, then, els = "") =>
  `(if (i32.and ${get("flags")} ${i32(bit)}) (then ${then})${els ? ` (else ${els})` : ""})`;

/** SGD, PyTorch's single-tensor order (see src/optim/kernels/sgd.ts for the reference loop). */
function sgdBody(E) {
  const F = OPTIM_FLAGS.sgd;
  return `
  ${set("p", E.load("pp"))}
  ${set("d", E.load("gp"))}
  ${when(F.maximize, set("d", E.neg(get("d"))))}
  ${when(F.weightDecay, E.fma("d", get("p"), E.h("weightDecay"), get("d")))}
  ${when(
    F.momentum,
    `${when(
      F.initBuffer,
      set("b", get("d")),
      `${set("b", E.mul(E.load("s1p"), E.h("momentum")))} ${E.fma("b", get("d"), E.h("oneMinusDampening"), get("b"))}`,
    )}
     ${E.store("s1p", get("b"))}
     ${when(F.nesterov, E.fma("d", get("b"), E.h("momentum"), get("d")), set("d", get("b")))}`,
  )}
  ${E.fma("x", get("d"), E.h("negLr"), get("p"))}
  ${E.store("pp", get("x"))}`;
}

/** Adam / AdamW, current PyTorch's single-tensor order (see src/optim/kernels/adam.ts). */
function adamBody(E) {
  const F = OPTIM_FLAGS.adam;
  return `
  ${set("p", E.load("pp"))}
  ${set("d", E.load("gp"))}
  ${when(F.maximize, set("d", E.neg(get("d"))))}
  ${when(F.decoupled, set("p", E.mul(get("p"), E.h("decay"))))}
  ${when(F.coupled, E.fma("d", get("p"), E.h("weightDecay"), get("d")))}
  ;; m = lerp(m, g, 1 - β1) from the nearer end, each branch one fma.
  ${set("m", E.load("s1p"))}
  ${set("x", E.sub(get("d"), get("m")))}
  ${when(F.lerpFromStart, E.fma("m", E.h("weight"), get("x"), get("m")), E.fma("m", E.h("weightMinusOne"), get("x"), get("d")))}
  ${E.store("s1p", get("m"))}
  ;; v = addcmul(v·β2, (1 - β2)·g, g): one fma of the rounded (1 - β2)·g.
  ${set("v", E.mul(E.load("s2p"), E.h("beta2")))}
  ${set("x", E.mul(E.h("oneMinusBeta2"), get("d")))}
  ${E.fma("v", get("x"), get("d"), get("v"))}
  ${E.store("s2p", get("v"))}
  ${when(F.amsgrad, `${set("v", E.max(E.load("s3p"), get("v")))} ${E.store("s3p", get("v"))}`)}
  ${set("x", E.add(E.div(E.sqrt(get("v")), E.h("bc2Sqrt")), E.h("eps")))}
  ${E.store("pp", E.add(get("p"), E.div(E.mul(E.h("negStepSize"), get("m")), get("x"))))}`;
}

/** Adagrad (see src/optim/kernels/adagrad.ts): s1 = sum. */
function adagradBody(E) {
  const F = OPTIM_FLAGS.adagrad;
  return `
  ${set("p", E.load("pp"))}
  ${set("d", E.load("gp"))}
  ${when(F.maximize, set("d", E.neg(get("d"))))}
  ${when(F.weightDecay, E.fma("d", get("p"), E.h("weightDecay"), get("d")))}
  ${set("v", E.load("s1p"))}
  ${E.fma("v", get("d"), get("d"), get("v"))}
  ${E.store("s1p", get("v"))}
  ${set("x", E.add(E.sqrt(get("v")), E.h("eps")))}
  ${E.store("pp", E.add(get("p"), E.div(E.mul(E.h("negClr"), get("d")), get("x"))))}`;
}

/**
 * RMSprop (see src/optim/kernels/rmsprop.ts): s1 = square_avg, s2 = momentum_buffer,
 * s3 = grad_avg (centered).
 */
function rmspropBody(E) {
  const F = OPTIM_FLAGS.rmsprop;
  return `
  ${set("p", E.load("pp"))}
  ${set("d", E.load("gp"))}
  ${when(F.maximize, set("d", E.neg(get("d"))))}
  ${when(F.weightDecay, E.fma("d", get("p"), E.h("weightDecay"), get("d")))}
  ${set("v", E.mul(E.load("s1p"), E.h("alpha")))}
  ${set("x", E.mul(E.h("oneMinusAlpha"), get("d")))}
  ${E.fma("v", get("x"), get("d"), get("v"))}
  ${E.store("s1p", get("v"))}
  ${when(
    F.centered,
    `${set("m", E.load("s3p"))}
     ${set("x", E.sub(get("d"), get("m")))}
     ${when(F.lerpFromStart, E.fma("m", E.h("weight"), get("x"), get("m")), E.fma("m", E.h("weightMinusOne"), get("x"), get("d")))}
     ${E.store("s3p", get("m"))}
     ${E.fma("x", E.neg(get("m")), get("m"), get("v"))}
     ${set("x", E.sqrt(get("x")))}`,
    set("x", E.sqrt(get("v"))),
  )}
  ${set("x", E.add(get("x"), E.h("eps")))}
  ${when(
    F.momentum,
    `${set("b", E.add(E.mul(E.load("s2p"), E.h("momentum")), E.div(get("d"), get("x"))))}
     ${E.store("s2p", get("b"))}
     ${E.fma("x", get("b"), E.h("negLr"), get("p"))}
     ${E.store("pp", get("x"))}`,
    E.store("pp", E.add(get("p"), E.div(E.mul(E.h("negLr"), get("d")), get("x")))),
  )}`;
}

/** A copy g → p with the same loop: the bandwidth probe the optimizer steps are measured against. */
function copyBody(E) {
  return E.store("pp", E.load("gp"));
}

/** One kernel function: hyperparameters into locals (scalar and splatted), SIMD loop, scalar tail. */
function kernel(name, t, body, hyper, exact = false) {
  const V = emitter(t, true, exact);
  const S = emitter(t, false, exact);
  const ot = OPTIM_TASK;
  const field = (f) => `(i32.load offset=${ot[f] * 4} ${get("task")})`;
  const hyperLocals = Object.keys(hyper)
    .map((h) => `(local $h_${h} ${t}) (local $h_${h}_v v128)`)
    .join(" ");
  const loadHyper = Object.entries(hyper)
    .map(([h, idx]) => {
      const f64 = `(f64.load offset=${ot.hyper + idx * 8} ${get("task")})`;
      const scalar = t === "f32" ? `(f32.demote_f64 ${f64})` : f64;
      return `${set(`h_${h}`, scalar)} ${set(`h_${h}_v`, `(${t}x${t === "f32" ? 4 : 2}.splat ${get(`h_${h}`)})`)}`;
    })
    .join("\n");
  const loop = (E, label, limit) => `(block $${label}_done (loop $${label}_next
    (br_if $${label}_done (i32.gt_u (i32.add ${get("i")} ${i32(E.step)}) ${limit}))
    ${body(E)}
    ${set("i", `(i32.add ${get("i")} ${i32(E.step)})`)}
    (br $${label}_next)))`;
  const regionLocals = ["pp", "gp", "s1p", "s2p", "s3p"];
  const values = ["p", "d", "b", "m", "v", "x"];
  return `(func $${name} (param $task i32)
  (local $i i32) (local $hi i32) (local $flags i32) ${regionLocals.map((r) => `(local $${r} i32)`).join(" ")}
  ${hyperLocals}
  ${values.map((v) => `(local $${v} v128)`).join(" ")}
  ${values.map((v) => `(local $${v}_s ${t})`).join(" ")}
  ${["fa", "fb", "fc", "fp", "fq", "fs", "fbb", "fe", "flo", "fhi"].map((v) => `(local $${v} v128)`).join(" ")}
  (local $sa f32) (local $sb f32) (local $sc f32) ${["sp", "sq", "ss", "sbb", "se"].map((v) => `(local $${v} f64)`).join(" ")}
  ${set("i", field("lo"))}
  ${set("hi", field("hi"))}
  ${set("flags", field("flags"))}
  ${set("pp", field("p"))} ${set("gp", field("g"))} ${set("s1p", field("s1"))} ${set("s2p", field("s2"))} ${set("s3p", field("s3"))}
  ${loadHyper}
  ${loop(V, "vec", get("hi"))}
  ${loop(renameScalars(S, values), "tail", get("hi"))})
`;
}

/** Scalar tail: the same body with the scalar locals (`$p_s` for `$p`). */
function renameScalars(S, values) {
  return {
    ...S,
    __rename: values,
  };
}

/** Every fused optimizer function, both dtypes. */
export function optimFunctions() {
  const out = [];
  for (const t of ["f32", "f64"]) {
    const T = t.toUpperCase();
    for (const [kind, body, hyper] of [
      ["sgd", sgdBody, OPTIM_HYPER.sgd],
      ["adam", adamBody, OPTIM_HYPER.adam],
      ["copy", copyBody, {}],
      ["adagrad", adagradBody, OPTIM_HYPER.adagrad],
      ["rmsprop", rmspropBody, OPTIM_HYPER.rmsprop],
    ]) {
      const withScalars = (E) => {
        const text = body(E);
        if (!E.__rename) return text;
        // The scalar tail uses `$name_s` locals of the scalar type.
        return E.__rename.reduce((s, v) => s.replace(new RegExp(`\\$${v}(?![\\w])`, "g"), `$${v}_s`), text);
      };
      out.push(kernel(`${kind}${T[0]}${t.slice(1)}`, t, withScalars, hyper));
      if (t === "f32" && kind !== "copy") out.push(kernel(`${kind}F32Exact`, t, withScalars, hyper, true));
    }
  }
  return out.join("\n");
}

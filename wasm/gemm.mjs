// WebAssembly text for the packed, register-blocked GEMM (GotoBLAS/BLIS loop order), generated
// per dtype. One task multiplies a batch range × row range × column range of C = A·B with strided
// A and B (any transpose layout arrives as strides) into dense C; threads each run one task.
//
// Register budget. V8's TurboFan has 15 allocatable XMM registers on x64, hoists every load of a
// basic block to its top and keeps pure arithmetic next to its use. A k-step therefore needs
// registers for all its loads (NR/lanes B vectors + MR A splats) plus the MR·NR/lanes accumulators
// plus one product temporary: 4×8 f32 (2 + 4 + 8 + 1 = 15) and 4×4 f64 fit exactly, 6×8 spills.
// The k loop is unrolled U times with a conditional exit after each step; the exits split basic
// blocks, so each step's loads stay next to its arithmetic instead of all being hoisted (which
// spilled), and the stack check, pointer increments and back-edge run once per U steps.
import { add, forLoop, get, i32, ifElse, inc, lanes32, lanes64, locals, min, mul, set, sub } from "./wat.mjs";

/** Per-dtype kernel parameters. Block sizes: B micro-panel (KC×NR) in L1, A block (MC×KC) in L2, B block (KC×NC) in L3. */
export const GEMM_TYPES = {
  f32: { t: "f32", es: 4, lanes: 4, MR: 4, NR: 8, KC: 256, MC: 128, NC: 2048, U: 8, bits: "i32" },
  f64: { t: "f64", es: 8, lanes: 2, MR: 4, NR: 4, KC: 256, MC: 128, NC: 2048, U: 8, bits: "i64" },
};

/** Bytes of packing workspace one thread needs for dtype `T`. */
export function gemmWorkspaceBytes(T) {
  return (T.MC * T.KC + T.KC * T.NC + T.MR * T.NR) * T.es;
}

/** Task fields (i32 slots) shared by the JS driver and the kernels. */
export const TASK = {
  kind: 0,
  m: 1,
  n: 2,
  k: 3,
  aBase: 4,
  aOffs: 5,
  rsA: 6,
  csA: 7,
  bBase: 8,
  bOffs: 9,
  rsB: 10,
  csB: 11,
  cBase: 12,
  b0: 13,
  b1: 14,
  r0: 15,
  r1: 16,
  c0: 17,
  c1: 18,
  ws: 19,
  flags: 20,
  cacheA: 21,
  cacheB: 22,
  /** The batch whose A (B) is in the cache, or -1. */
  cachedA: 23,
  cachedB: 24,
  /** Dynamic tasks: number of units, unit size, extent of the split axis, axis (0 batch, 1 rows, 2 columns). */
  units: 25,
  unitSize: 26,
  extent: 27,
  axis: 28,
};

const splatOf = (T) => (T.t === "f32" ? "v128.load32_splat" : "v128.load64_splat");
const vop = (T, name) => `${T.t}x${T.lanes}.${name}`;
const scale = (T, e) => mul(e, i32(T.es));
const ldBits = (T, addr) => `(${T.bits}.load ${addr})`;
const stBits = (T, addr, v) => `(${T.bits}.store ${addr} ${v})`;

/**
 * The MR×NR micro-kernel: C[0:MR, 0:NR] (= or +=) Σ_p A_panel[p, 0:MR] ⊗ B_panel[p, 0:NR].
 * A panel: MR values per k-step; B panel: NR values per k-step; kc ≥ 1.
 */
function microKernel(T) {
  const NV = T.NR / T.lanes;
  const vadd = vop(T, "add");
  const vmul = vop(T, "mul");
  const acc = [];
  for (let i = 0; i < T.MR; i++) for (let j = 0; j < NV; j++) acc.push(`c${i}_${j}`);
  const bv = [...Array(NV).keys()].map((j) => `b${j}`);
  let body = "";
  for (let u = 0; u < T.U; u++) {
    for (let j = 0; j < NV; j++) {
      body += set(`b${j}`, `(v128.load offset=${(u * T.NR + j * T.lanes) * T.es} ${get("b")})`) + "\n";
    }
    for (let i = 0; i < T.MR; i++) {
      body += set("av", `(${splatOf(T)} offset=${(u * T.MR + i) * T.es} ${get("a")})`) + "\n";
      for (let j = 0; j < NV; j++) {
        body +=
          set(`c${i}_${j}`, `(${vadd} ${get(`c${i}_${j}`)} (${vmul} ${get("av")} ${get(`b${j}`)}))`) + "\n";
      }
    }
    body += `(br_if $done (i32.eqz (local.tee $kc ${sub(get("kc"), i32(1))})))\n`;
  }
  let store = "";
  let accumulate = "";
  for (let i = 0; i < T.MR; i++) {
    for (let j = 0; j < NV; j++) {
      const addr = `offset=${j * 16} ${get("c")}`;
      store += `(v128.store ${addr} ${get(`c${i}_${j}`)})\n`;
      accumulate += `(v128.store ${addr} (${vadd} (v128.load ${addr}) ${get(`c${i}_${j}`)}))\n`;
    }
    if (i + 1 < T.MR) {
      const step = inc("c", get("ldcb"));
      store += step + "\n";
      accumulate += step + "\n";
    }
  }
  return `(func $uk_${T.t} (param $kc i32) (param $a i32) (param $b i32) (param $c i32) (param $ldc i32) (param $first i32)
  ${locals("v128", [...acc, ...bv, "av"])} (local $ldcb i32)
  ${set("ldcb", scale(T, get("ldc")))}
  (block $done (loop $L
    ${body}
    ${inc("a", T.U * T.MR * T.es)}
    ${inc("b", T.U * T.NR * T.es)}
    (br $L)))
  ${ifElse(get("first"), store, accumulate)})
`;
}

/**
 * A partial tile (h < MR or w < NR, at the right or bottom edge of C): the micro-kernel writes a
 * full tile into the scratch tile, and the valid h×w corner is stored or added into C.
 */
function edgeTile(T) {
  const addrC = add(get("c"), scale(T, add(mul(get("ii"), get("ldc")), get("jj"))));
  const addrT = add(get("tile"), scale(T, add(mul(get("ii"), i32(T.NR)), get("jj"))));
  const value = `(${T.t}.load ${addrT})`;
  return `(func $edge_${T.t} (param $kc i32) (param $a i32) (param $b i32) (param $c i32) (param $ldc i32) (param $first i32) (param $h i32) (param $w i32) (param $tile i32)
  ${locals("i32", ["ii", "jj"])}
  (call $uk_${T.t} ${get("kc")} ${get("a")} ${get("b")} ${get("tile")} (i32.const ${T.NR}) (i32.const 1))
  ${forLoop(
    "ii",
    i32(0),
    get("h"),
    1,
    forLoop(
      "jj",
      i32(0),
      get("w"),
      1,
      ifElse(
        get("first"),
        `(${T.t}.store ${addrC} ${value})`,
        `(${T.t}.store ${addrC} (${T.t}.add (${T.t}.load ${addrC}) ${value}))`,
      ),
    ),
  )})
`;
}

/**
 * Transpose-and-store of a 4×4 f32 block held in v0..v3 (rows) into four vectors (columns) at
 * dst + q·dstStep, q = 0..3.
 */
function transpose4x4F32(dst, dstStep) {
  const sh = (x, y, lanes) => `(i8x16.shuffle ${lanes} ${get(x)} ${get(y)})`;
  return `${set("t0", sh("v0", "v1", lanes32(0, 4, 1, 5)))}
${set("t1", sh("v2", "v3", lanes32(0, 4, 1, 5)))}
${set("t2", sh("v0", "v1", lanes32(2, 6, 3, 7)))}
${set("t3", sh("v2", "v3", lanes32(2, 6, 3, 7)))}
(v128.store ${dst} ${sh("t0", "t1", lanes64(0, 2))})
(v128.store ${add(dst, dstStep)} ${sh("t0", "t1", lanes64(1, 3))})
(v128.store ${add(dst, mul(dstStep, i32(2)))} ${sh("t2", "t3", lanes64(0, 2))})
(v128.store ${add(dst, mul(dstStep, i32(3)))} ${sh("t2", "t3", lanes64(1, 3))})`;
}

/**
 * Copy an R×C block out of strided storage into panels of width W (the packed layout the
 * micro-kernel reads): panel q holds, for each of the `len` steps p, the W values
 * src[(q·W + w)·across + p·along], zero-padded past `width`. Used for A (W = MR, across = row
 * stride, along = column stride) and B (W = NR, across = column stride, along = row stride).
 * Fast paths: `across == 1` (the W values are contiguous: vector copies) and `along == 1` (each
 * of the W lines is contiguous along p: 4×4 / 2×2 transposes).
 */
function packPanels(T, W, name) {
  const es = T.es;
  const lanesPerW = W / T.lanes;
  // across == 1: each step copies W contiguous values.
  let copyStep = "";
  for (let v = 0; v < lanesPerW; v++) {
    copyStep += `(v128.store offset=${v * 16} ${get("d")} (v128.load offset=${v * 16} ${get("s")}))\n`;
  }
  const contiguous = forLoop(
    "p",
    i32(0),
    get("len"),
    1,
    `${set("s", add(get("src"), scale(T, mul(get("p"), get("along")))))}
     ${set("d", add(get("dst"), mul(get("p"), i32(W * es))))}
     ${copyStep}`,
  );
  // along == 1: each of the W lines is contiguous in p; transpose blocks.
  let transposed;
  if (T.t === "f32") {
    // 4 lines × 4 steps per block.
    let blocks = "";
    for (let g = 0; g < W / 4; g++) {
      let loads = "";
      for (let r = 0; r < 4; r++) {
        loads +=
          set(`v${r}`, `(v128.load ${add(get("s"), scale(T, mul(i32(g * 4 + r), get("across"))))})`) + "\n";
      }
      blocks += loads + transpose4x4F32(add(get("d"), i32(g * 4 * es)), i32(W * es)) + "\n";
    }
    transposed = `${set("p", i32(0))}
(block $tp_done (loop $tp_next
  (br_if $tp_done (i32.gt_u ${add(get("p"), i32(4))} ${get("len")}))
  ${set("s", add(get("src"), scale(T, get("p"))))}
  ${set("d", add(get("dst"), mul(get("p"), i32(W * es))))}
  ${blocks}
  ${inc("p", 4)}
  (br $tp_next)))`;
  } else {
    // 2 lines × 2 steps per block.
    let blocks = "";
    for (let g = 0; g < W / 2; g++) {
      blocks += `${set("v0", `(v128.load ${add(get("s"), scale(T, mul(i32(g * 2), get("across"))))})`)}
${set("v1", `(v128.load ${add(get("s"), scale(T, mul(i32(g * 2 + 1), get("across"))))})`)}
(v128.store offset=${g * 16} ${get("d")} (i8x16.shuffle ${lanes64(0, 2)} ${get("v0")} ${get("v1")}))
(v128.store offset=${W * es + g * 16} ${get("d")} (i8x16.shuffle ${lanes64(1, 3)} ${get("v0")} ${get("v1")}))
`;
    }
    transposed = `${set("p", i32(0))}
(block $tp_done (loop $tp_next
  (br_if $tp_done (i32.gt_u ${add(get("p"), i32(2))} ${get("len")}))
  ${set("s", add(get("src"), scale(T, get("p"))))}
  ${set("d", add(get("dst"), mul(get("p"), i32(W * es))))}
  ${blocks}
  ${inc("p", 2)}
  (br $tp_next)))`;
  }
  // Scalar gather for the remaining steps (from p on), zero-padded past `w`.
  const scalar = `(block $sc_done (loop $sc_next
  (br_if $sc_done (i32.ge_u ${get("p")} ${get("len")}))
  ${set("d", add(get("dst"), mul(get("p"), i32(W * es))))}
  ${forLoop(
    "x",
    i32(0),
    i32(W),
    1,
    stBits(
      T,
      add(get("d"), scale(T, get("x"))),
      `(if (result ${T.bits}) (i32.lt_u ${get("x")} ${get("w")})
         (then ${ldBits(T, add(get("src"), scale(T, add(mul(get("x"), get("across")), mul(get("p"), get("along"))))))})
         (else (${T.bits}.const 0)))`,
    ),
  )}
  ${inc("p", 1)}
  (br $sc_next)))`;
  return `(func $${name} (param $width i32) (param $len i32) (param $src i32) (param $across i32) (param $along i32) (param $dst i32)
  ${locals("i32", ["q", "w", "p", "s", "d", "x"])} ${locals("v128", ["v0", "v1", "v2", "v3", "t0", "t1", "t2", "t3"])}
  ${forLoop(
    "q",
    i32(0),
    get("width"),
    W,
    `${set("w", min(i32(W), sub(get("width"), get("q"))))}
     ${set("p", i32(0))}
     (if (i32.eq ${get("w")} (i32.const ${W})) (then
       (if (i32.eq ${get("across")} (i32.const 1)) (then ${contiguous})
       (else (if (i32.eq ${get("along")} (i32.const 1)) (then ${transposed}))))))
     ${scalar}
     ${set("src", add(get("src"), scale(T, mul(i32(W), get("across")))))}
     ${set("dst", add(get("dst"), mul(get("len"), i32(W * es))))}`,
  )})
`;
}

/** The macro-kernel: every MR×NR tile of an mc×nc block of C from packed A and B. */
function macroKernel(T) {
  const tileCall = `(if (i32.and (i32.eq ${get("h")} (i32.const ${T.MR})) (i32.eq ${get("w")} (i32.const ${T.NR})))
    (then (call $uk_${T.t} ${get("kc")} ${get("pa")} ${get("pb")} ${get("pc")} ${get("ldc")} ${get("first")}))
    (else (call $edge_${T.t} ${get("kc")} ${get("pa")} ${get("pb")} ${get("pc")} ${get("ldc")} ${get("first")} ${get("h")} ${get("w")} ${get("tile")})))`;
  return `(func $macro_${T.t} (param $mc i32) (param $nc i32) (param $kc i32) (param $ap i32) (param $bp i32) (param $c i32) (param $ldc i32) (param $first i32) (param $tile i32)
  ${locals("i32", ["jr", "ir", "w", "h", "pa", "pb", "pc"])}
  ${forLoop(
    "jr",
    i32(0),
    get("nc"),
    T.NR,
    `${set("w", min(i32(T.NR), sub(get("nc"), get("jr"))))}
     ${set("pb", add(get("bp"), scale(T, mul(get("jr"), get("kc")))))}
     ${forLoop(
       "ir",
       i32(0),
       get("mc"),
       T.MR,
       `${set("h", min(i32(T.MR), sub(get("mc"), get("ir"))))}
        ${set("pa", add(get("ap"), scale(T, mul(get("ir"), get("kc")))))}
        ${set("pc", add(get("c"), scale(T, add(mul(get("ir"), get("ldc")), get("jr")))))}
        ${tileCall}`,
     )}`,
  )})
`;
}

/** Flag bits of a GEMM task. */
export const GEMM_FLAGS = {
  /** Pack all of A once per batch into `cacheA` and reuse it for every column unit. */
  cacheA: 1,
  /** Pack all of B once per batch into `cacheB` and reuse it for every row unit. */
  cacheB: 2,
  /** Claim units of work from the shared counter until none are left (dynamic balancing). */
  dynamic: 4,
};

/** Byte address of the shared unit counter (an i32 among the control words). */
export const UNIT_COUNTER = 32;

/**
 * One GEMM range: batches [b0, b1) × rows [r0, r1) × columns [c0, c1) of C. With `cacheA` the
 * rows must be all of them and A is packed once per batch (for every K block and M block) into
 * the task's cache; with `cacheB` the columns must be all of them and B is packed once per batch.
 */
function gemmRange(T) {
  const field = (f) => `(i32.load offset=${TASK[f] * 4} ${get("task")})`;
  const names = ["m", "n", "k", "aBase", "aOffs", "rsA", "csA", "bBase", "bOffs", "rsB", "csB", "cBase"];
  const names2 = ["b0", "b1", "r0", "r1", "c0", "c1", "ws", "flags", "cacheA", "cacheB"];
  const loads = [...names, ...names2].map((f) => set(f, field(f))).join("\n");
  const packA = (dst) => `(call $pack${T.MR}_${T.t} ${get("mc")} ${get("kc")}
      ${add(get("aB"), scale(T, add(mul(get("ic"), get("rsA")), mul(get("pc"), get("csA")))))}
      ${get("rsA")} ${get("csA")} ${dst})`;
  const packB = (dst) => `(call $pack${T.NR}_${T.t} ${get("nc")} ${get("kc")}
      ${add(get("bB"), scale(T, add(mul(get("pc"), get("rsB")), mul(get("jc"), get("csB")))))}
      ${get("csB")} ${get("rsB")} ${dst})`;
  // Packed A cache: block (pc, ic) at (pc·mPad + ic·kc) elements. Packed B cache: block (jc, pc)
  // at (jc·k + pc·ncPad) elements (every earlier column block is NC wide, a multiple of NR).
  const cachedA = add(get("cacheA"), scale(T, add(mul(get("pc"), get("mPad")), mul(get("ic"), get("kc")))));
  const cachedB = add(get("cacheB"), scale(T, add(mul(get("jc"), get("k")), mul(get("pc"), get("ncPad")))));
  const setKc = set("kc", min(i32(T.KC), sub(get("k"), get("pc"))));
  const setMc = set("mc", min(i32(T.MC), sub(get("m"), get("ic"))));
  const setNc = `${set("nc", min(i32(T.NC), sub(get("n"), get("jc"))))}
    ${set("ncPad", mul(i32(T.NR), `(i32.div_u ${add(get("nc"), i32(T.NR - 1))} ${i32(T.NR)})`))}`;
  const fillCacheA = forLoop(
    "pc",
    i32(0),
    get("k"),
    T.KC,
    `${setKc} ${forLoop("ic", i32(0), get("m"), T.MC, `${setMc} ${packA(cachedA)}`)}`,
  );
  const fillCacheB = forLoop(
    "jc",
    i32(0),
    get("n"),
    T.NC,
    `${setNc} ${forLoop("pc", i32(0), get("k"), T.KC, `${setKc} ${packB(cachedB)}`)}`,
  );
  return `(func $gemm_range_${T.t} (param $task i32)
  ${locals("i32", [...names, ...names2, "bi", "aB", "bB", "cB", "jc", "nc", "ncPad", "pc", "kc", "ic", "mc", "ap", "bp", "tile", "mPad"])}
  ${loads}
  ${set("mPad", mul(i32(T.MR), `(i32.div_u ${add(get("m"), i32(T.MR - 1))} ${i32(T.MR)})`))}
  ${set("tile", add(get("ws"), i32((T.MC * T.KC + T.KC * T.NC) * T.es)))}
  ${forLoop(
    "bi",
    get("b0"),
    get("b1"),
    1,
    `${set("aB", add(get("aBase"), scale(T, `(i32.load ${add(get("aOffs"), mul(get("bi"), i32(4)))})`)))}
     ${set("bB", add(get("bBase"), scale(T, `(i32.load ${add(get("bOffs"), mul(get("bi"), i32(4)))})`)))}
     ${set("cB", add(get("cBase"), scale(T, mul(get("bi"), mul(get("m"), get("n"))))))}
     (if (i32.and (i32.ne (i32.and ${get("flags")} ${i32(GEMM_FLAGS.cacheA)}) (i32.const 0)) (i32.ne ${field("cachedA")} ${get("bi")}))
       (then ${fillCacheA} (i32.store offset=${TASK.cachedA * 4} ${get("task")} ${get("bi")})))
     (if (i32.and (i32.ne (i32.and ${get("flags")} ${i32(GEMM_FLAGS.cacheB)}) (i32.const 0)) (i32.ne ${field("cachedB")} ${get("bi")}))
       (then ${fillCacheB} (i32.store offset=${TASK.cachedB * 4} ${get("task")} ${get("bi")})))
     ${forLoop(
       "jc",
       get("c0"),
       get("c1"),
       T.NC,
       `${set("nc", min(i32(T.NC), sub(get("c1"), get("jc"))))}
        ${set("ncPad", mul(i32(T.NR), `(i32.div_u ${add(get("nc"), i32(T.NR - 1))} ${i32(T.NR)})`))}
        ${forLoop(
          "pc",
          i32(0),
          get("k"),
          T.KC,
          `${setKc}
           (if (i32.and ${get("flags")} ${i32(GEMM_FLAGS.cacheB)})
             (then ${set("bp", cachedB)})
             (else ${set("bp", add(get("ws"), i32(T.MC * T.KC * T.es)))} ${packB(get("bp"))}))
           ${forLoop(
             "ic",
             get("r0"),
             get("r1"),
             T.MC,
             `${set("mc", min(i32(T.MC), sub(get("r1"), get("ic"))))}
              (if (i32.and ${get("flags")} ${i32(GEMM_FLAGS.cacheA)})
                (then ${set("ap", cachedA)})
                (else ${set("ap", get("ws"))} ${packA(get("ap"))}))
              (call $macro_${T.t} ${get("mc")} ${get("nc")} ${get("kc")} ${get("ap")} ${get("bp")}
                ${add(get("cB"), scale(T, add(mul(get("ic"), get("n")), get("jc"))))}
                ${get("n")} (i32.eqz ${get("pc")}) ${get("tile")})`,
           )}`,
        )}`,
     )}`,
  )})
`;
}

/**
 * A GEMM task: one range, or (dynamic) units claimed from the shared counter until none are
 * left, each unit a range of batches, rows or columns written into this thread's own task slot.
 */
function gemmTask(T) {
  const field = (f) => `(i32.load offset=${TASK[f] * 4} ${get("task")})`;
  const store = (f, v) => `(i32.store offset=${TASK[f] * 4} ${get("task")} ${v})`;
  return `(func $gemm_${T.t} (param $task i32) (local $u i32) (local $lo i32) (local $hi i32) (local $axis i32)
  (if (i32.eqz (i32.and ${field("flags")} ${i32(GEMM_FLAGS.dynamic)}))
    (then (call $gemm_range_${T.t} ${get("task")}) (return)))
  ${set("axis", field("axis"))}
  (block $done (loop $next
    ${set("u", `(i32.atomic.rmw.add (i32.const ${UNIT_COUNTER}) (i32.const 1))`)}
    (br_if $done (i32.ge_u ${get("u")} ${field("units")}))
    ${set("lo", mul(get("u"), field("unitSize")))}
    ${set("hi", min(add(get("lo"), field("unitSize")), field("extent")))}
    (if (i32.eq ${get("axis")} (i32.const 0)) (then ${store("b0", get("lo"))} ${store("b1", get("hi"))}))
    (if (i32.eq ${get("axis")} (i32.const 1)) (then ${store("r0", get("lo"))} ${store("r1", get("hi"))}))
    (if (i32.eq ${get("axis")} (i32.const 2)) (then ${store("c0", get("lo"))} ${store("c1", get("hi"))}))
    (call $gemm_range_${T.t} ${get("task")})
    (br $next)))
)
`;
}

/** Every GEMM function for one dtype. */
export function gemmFunctions(T) {
  const packs = new Set([T.MR, T.NR]);
  return [
    microKernel(T),
    edgeTile(T),
    ...[...packs].map((W) => packPanels(T, W, `pack${W}_${T.t}`)),
    macroKernel(T),
    gemmRange(T),
    gemmTask(T),
  ].join("\n");
}

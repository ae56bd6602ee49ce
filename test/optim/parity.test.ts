/**
 * Every optimizer against PyTorch: params and every state tensor after the last step of each
 * fixture case (20 steps; 1,000 for the long SGD/Adam/AdamW runs), float32 and float64.
 */

import { afterAll, describe, expect, test } from "vitest";
import { expectClose, expectExact } from "../helpers/close.js";
import { decodeValues } from "../helpers/fixtures.js";
import { makeInputs } from "./stream.js";
import { fixture, leafParams, runCase, Stats, stateValues, type OptimCase } from "./helpers.js";

const fx = fixture();
const stats = new Stats();

function check(c: OptimCase, rtol: number): void {
  const { params, grads } = leafParams(c, c.steps);
  const opt = runCase(c, params, grads);
  const key = `${c.optimizer} ${c.dtype}`;
  c.params.forEach((e, i) => {
    const actual = (params[i] as NonNullable<(typeof params)[number]>).toTypedArray();
    const expected = decodeValues(e);
    stats.add(key, actual, expected);
    expectClose(actual, expected, { rtol, label: `${c.name} param ${i}` });
  });
  const sd = opt.stateDict();
  expect(Object.keys(sd.state).sort()).toEqual(Object.keys(c.state).sort());
  for (const [idx, expectedState] of Object.entries(c.state)) {
    const actualState = sd.state[idx] as Record<string, unknown>;
    expect(Object.keys(actualState)).toEqual(Object.keys(expectedState));
    for (const [k, v] of Object.entries(expectedState)) {
      const actual = stateValues(actualState[k]);
      const expected = stateValues(v);
      stats.add(key, actual, expected);
      expectClose(actual, expected, { rtol, label: `${c.name} state ${idx}.${k}` });
    }
  }
}

describe("optimizer fixture", () => {
  test("the TypeScript input stream reproduces the generator's", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const want = fx.stream_check[dtype];
      const { params, grads } = makeInputs(want.seed, dtype, want.grads.length, fx.shapes);
      want.params.forEach((e, i) => expectExact(params[i]!.toTypedArray(), decodeValues(e), `param ${i}`));
      want.grads.forEach((step, s) =>
        step.forEach((e, i) => expectExact(grads[s]![i]!.toTypedArray(), decodeValues(e), `grad ${s}.${i}`)),
      );
    }
  });

  test("covers every optimizer in both dtypes, with every emulated case validated against torch 1.13", () => {
    const names = new Set(fx.cases.map((c) => `${c.optimizer} ${c.dtype}`));
    for (const opt of [
      "SGD",
      "Adam",
      "AdamW",
      "Adagrad",
      "RMSprop",
      "Adadelta",
      "Adamax",
      "NAdam",
      "RAdam",
      "ASGD",
      "Rprop",
    ]) {
      expect(names.has(`${opt} float32`) && names.has(`${opt} float64`), opt).toBe(true);
    }
    expect(fx.validated_against_113).toBeGreaterThan(0);
    expect(fx.cases.every((c) => c.steps >= 20)).toBe(true);
  });
});

describe.each(["float32", "float64"] as const)("parity with PyTorch (%s, 20 steps)", (dtype) => {
  const cases = fx.cases.filter((c) => c.dtype === dtype);
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    check(c, dtype === "float64" ? 1e-12 : 1e-5);
  });
});

describe("1,000-step runs", () => {
  test.each(fx.long_cases.map((c) => [`${c.name} (${c.dtype})`, c] as const))("%s", (_name, c) => {
    check(c, c.dtype === "float64" ? 1e-10 : 1e-5);
  });
});

afterAll(() => {
  console.log(`\nOptimizer parity (params and state after the last step):\n${stats.table()}\n`);
});

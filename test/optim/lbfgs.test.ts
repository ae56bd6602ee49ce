/**
 * LBFGS on Rosenbrock (float64) against PyTorch: loss, iterates and evaluation counts of every
 * step() call, with and without the strong-Wolfe line search, including runs where current
 * PyTorch's line-search budget (max_eval − evaluations so far) changes the result from 1.13's.
 */

import { describe, expect, test } from "vitest";
import { LBFGS } from "../../src/optim/index.js";
import { Tensor } from "../../src/tensor/tensor.js";
import { expectClose } from "../helpers/close.js";
import { decodeValues } from "../helpers/fixtures.js";
import { camelOptions, fixture } from "./helpers.js";

/** Σ (1 − x_i)² + 100 (x_{i+1} − x_i²)² and its gradient, in the generator's order of operations. */
function rosenbrock(x: ArrayLike<number>): { f: number; g: number[] } {
  const n = x.length;
  let f = 0;
  const g = new Array<number>(n).fill(0);
  for (let i = 0; i < n - 1; i++) {
    const xi = x[i] as number;
    const a = 1 - xi;
    const b = (x[i + 1] as number) - xi * xi;
    f += a * a + 100 * b * b;
    g[i] = (g[i] as number) + (-2 * a - 400 * xi * b);
    g[i + 1] = (g[i + 1] as number) + 200 * b;
  }
  return { f, g };
}

const cases = fixture().lbfgs;

describe("LBFGS on Rosenbrock (float64) vs PyTorch", () => {
  test("the fixture includes runs where the line-search budget matters", () => {
    expect(cases.some((c) => c.budget_changed_result)).toBe(true);
    expect(cases.some((c) => c.options.line_search_fn === undefined)).toBe(true);
  });

  test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const x = new Tensor(Float64Array.from(c.start), [c.start.length]).requiresGrad_();
    let closureCalls = 0;
    const closure = (): Tensor => {
      closureCalls++;
      const { f, g } = rosenbrock(x.toTypedArray());
      x.grad = new Tensor(Float64Array.from(g), x.shape);
      return new Tensor(Float64Array.of(f), []);
    };
    const opt = new LBFGS([x], camelOptions(c.options));
    c.calls.forEach((want, k) => {
      const loss = opt.step(closure);
      const state = opt.state.get(x) as Record<string, unknown>;
      expect(state.func_evals, `call ${k} func_evals`).toBe(want.func_evals);
      expect(state.n_iter, `call ${k} n_iter`).toBe(want.n_iter);
      expect(closureCalls, `call ${k} closure calls`).toBe(want.closure_calls);
      // Dot products are BLAS reductions in PyTorch, summed in order here: agreement to rounding.
      expectClose([loss.item()], [want.loss], { rtol: 1e-10, atol: 1e-14, label: `call ${k} loss` });
      expectClose(x.toTypedArray(), decodeValues(want.params), {
        rtol: 1e-10,
        atol: 1e-14,
        label: `call ${k} x`,
      });
    });
  });

  test("where 1.13's unbounded line search differs, tsgrad follows current PyTorch", () => {
    const changed = cases.filter((c) => c.budget_changed_result);
    for (const c of changed) {
      const evals113 = c.calls_113.map((k) => k.func_evals);
      const evalsNow = c.calls.map((k) => k.func_evals);
      expect(evalsNow).not.toEqual(evals113);
    }
  });
});

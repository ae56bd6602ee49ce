import { describe, expect, it } from "vitest";
import { fakeSgd } from "../../../test/helpers/fake-optimizer.js";
import { ValueError } from "../../util/errors.js";
import { LambdaLR } from "./lambda-lr.js";
import { MultiplicativeLR } from "./multiplicative-lr.js";

describe("LambdaLR", () => {
  it("checks its options", () => {
    expect(() => new LambdaLR(fakeSgd(), { lr_lambda: () => 1 } as never)).toThrow(
      "unknown option lr_lambda for LambdaLR; did you mean lrLambda?",
    );
    expect(() => new LambdaLR(fakeSgd(), {} as never)).toThrow("LambdaLR missing required option lrLambda");
    expect(() => new LambdaLR(fakeSgd(), { lrLambda: [() => 1] })).toThrow(
      new ValueError("Expected 2 lr_lambdas, but got 1"),
    );
    expect(() => new LambdaLR(fakeSgd(), { lrLambda: 0.5 as never })).toThrow(
      new TypeError("lr_lambda should be a function, but got number"),
    );
  });

  it("sets lr = base · λ(epoch), calling each group's function with the epoch index", () => {
    const seen: number[] = [];
    const opt = fakeSgd();
    const sched = new LambdaLR(opt, {
      lrLambda: [
        (e) => {
          seen.push(e);
          return 1 / (e + 1);
        },
        () => 2,
      ],
    });
    for (let i = 0; i < 5; i++) {
      opt.step();
      sched.step();
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sched.getLastLr()).toEqual([0.05 * (1 / 6), 0.5 * 2]);
  });

  it("saves null for plain functions and a function's own properties otherwise", () => {
    const stateful = Object.assign((e: number) => e * 0 + 1, { scale: 3 });
    const sched = new LambdaLR(fakeSgd(), { lrLambda: [() => 1, stateful] });
    expect(sched.stateDict().lr_lambdas).toEqual([null, { scale: 3 }]);
    const target = Object.assign((e: number) => e * 0 + 1, { scale: 1 });
    const other = new LambdaLR(fakeSgd(), { lrLambda: [() => 1, target] });
    other.loadStateDict(sched.stateDict());
    expect(target.scale).toBe(3);
    expect(() => other.loadStateDict({ lr_lambdas: 3 })).toThrow(TypeError);
  });
});

describe("MultiplicativeLR", () => {
  it("rejects a non-function with current PyTorch's TypeError", () => {
    expect(() => new MultiplicativeLR(fakeSgd(), { lrLambda: [() => 1, "x" as never] })).toThrow(
      new TypeError("lr_lambda should be a function, but got string"),
    );
  });

  it("leaves the lr alone in the constructor, then multiplies by λ(epoch)", () => {
    const opt = fakeSgd();
    const sched = new MultiplicativeLR(opt, { lrLambda: (e) => 1 - e / 100 });
    expect(sched.getLastLr()).toEqual([0.05, 0.5]);
    opt.step();
    sched.step();
    expect(sched.getLastLr()).toEqual([0.05 * 0.99, 0.5 * 0.99]);
    expect(Object.keys(sched.stateDict()).at(-1)).toBe("lr_lambdas");
  });
});

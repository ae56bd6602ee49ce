import { describe, expect, it } from "vitest";
import * as tg from "../index.js";
import { explain } from "./explain.js";

const w = () => tg.zeros([4, 5], { dtype: "float64", requiresGrad: true });

describe("explain", () => {
  it("writes out the seed thread's SGD update with its equivalent loss term", () => {
    const e = explain(new tg.optim.SGD([w()], { lr: 0.1, weightDecay: 0.9 }));
    const g = e.groups[0]!;
    expect(g.decay).toBe("coupled");
    expect(g.update).toEqual([
      "g ← ∇L",
      "g ← g + 0.9·w   (coupled weight decay: added to the gradient)",
      "w ← w − 0.1·g",
    ]);
    expect(g.lossTerm).toBe("(0.9/2)·‖w‖² = 0.45·‖w‖²");
    expect(g.shrinkPerStep).toBeCloseTo(0.91, 15);
    expect(g.elements).toBe(20);
    const text = e.toString();
    expect(text).toContain("SGD, param group 0: 1 tensor, 20 elements");
    expect(text).toContain(
      "hyperparameters: lr=0.1, momentum=0, dampening=0, weight_decay=0.9, nesterov=False, maximize=False",
    );
    expect(text).toContain("the same updates as SGD without weight decay on L + 0.45·‖w‖²");
    expect(text).toContain("w ← 0.91·w − 0.1·∇L");
  });

  it("describes AdamW's decoupled shrink and timescale", () => {
    const g = explain(new tg.optim.AdamW([w()], { lr: 1e-3, weightDecay: 0.1 })).groups[0]!;
    expect(g.decay).toBe("decoupled");
    expect(g.update[0]).toBe(
      "w ← 0.9999·w   (decoupled weight decay, before the update: 1 − lr·λ = 1 − 0.001·0.1)",
    );
    expect(g.lossTerm).toBeNull();
    expect(g.shrinkPerStep).toBeCloseTo(0.9999, 15);
    expect(g.timescaleSteps).toBeCloseTo(10000, 9);
  });

  it("warns that Adam's coupled decay is rescaled", () => {
    const e = explain(new tg.optim.Adam([w()], { weightDecay: 0.01 }));
    expect(e.groups[0]!.notes.join(" ")).toContain("divided by √v");
    expect(e.groups[0]!.lossTerm).toBe("(0.01/2)·‖w‖² = 0.005·‖w‖²");
  });

  it("explains each group, including a no-decay group", () => {
    const opt = new tg.optim.AdamW(
      [
        { params: [w()], weightDecay: 0.05 },
        { params: [tg.zeros([5], { requiresGrad: true })], weightDecay: 0 },
      ],
      { lr: 0.01 },
    );
    const e = explain(opt);
    expect(e.groups.map((g) => g.decay)).toEqual(["decoupled", "none"]);
    expect(e.toString()).toContain("weight decay: none for this group");
  });

  it("shows decayScale and cautious decay", () => {
    const opt = new tg.optim.SGD([w()], {
      lr: 0.1,
      momentum: 0.9,
      weightDecay: 0.01,
      decoupledWeightDecay: true,
      decayScale: "none",
      cautiousWeightDecay: true,
    });
    const g = explain(opt).groups[0]!;
    expect(g.update[0]).toBe(
      'w ← 0.99·w   (decoupled weight decay, before the update: 1 − λ = 1 − 0.01 (decayScale "none"); cautious: only where the update and w agree in sign)',
    );
    expect(g.timescaleSteps).toBeCloseTo(100, 9);
  });

  it("covers every optimizer", () => {
    const make: Array<() => tg.optim.SGD> = [
      () => new tg.optim.Adagrad([w()], { weightDecay: 0.1 }) as never,
      () => new tg.optim.RMSprop([w()], { centered: true, momentum: 0.5 }) as never,
      () => new tg.optim.Adadelta([w()]) as never,
      () => new tg.optim.Adamax([w()]) as never,
      () => new tg.optim.NAdam([w()]) as never,
      () => new tg.optim.RAdam([w()]) as never,
      () => new tg.optim.ASGD([w()]) as never,
      () => new tg.optim.Rprop([w()]) as never,
      () => new tg.optim.LBFGS([w()], { lineSearchFn: "strong_wolfe" }) as never,
    ];
    for (const m of make) {
      const e = explain(m());
      expect(e.groups[0]!.update.length).toBeGreaterThan(1);
      expect(e.toString()).not.toContain("the optimizer's update");
    }
    expect(explain(new tg.optim.Adagrad([w()], { weightDecay: 0.1 })).groups[0]!.decay).toBe("coupled");
    expect(explain(new tg.optim.Rprop([w()])).groups[0]!.decay).toBe("none");
  });
});

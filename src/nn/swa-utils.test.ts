import { describe, expect, it } from "vitest";
import { tensor } from "../tensor/creation.js";
import { Linear } from "./modules/linear.js";
import { AveragedModel, getSwaAvgFn, getSwaMultiAvgFn } from "./swa-utils.js";

describe("AveragedModel", () => {
  it("registers the copy as `module` and the count as buffer `n_averaged`", () => {
    const avg = new AveragedModel(new Linear(2, 1));
    expect(Object.keys(avg.stateDict())).toEqual(["n_averaged", "module.weight", "module.bias"]);
    expect(avg.nAveraged.dtype).toBe("int32");
  });

  it("the list form of the SWA mean agrees with the per-tensor form", () => {
    const a = tensor([1, 2, 3], { dtype: "float64" });
    const b = tensor([4, 0, -3], { dtype: "float64" });
    const n = tensor(2);
    const expected = getSwaAvgFn()(a, b, n);
    const copy = a.clone();
    getSwaMultiAvgFn()([copy], [b], n);
    Array.from(copy.toTypedArray()).forEach((v, i) =>
      expect(v).toBeCloseTo(expected.toTypedArray()[i] as number, 14),
    );
  });
});

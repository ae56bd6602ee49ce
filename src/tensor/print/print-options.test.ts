import { afterEach, describe, expect, it } from "vitest";
import { ValueError } from "../../util/errors.js";
import { getPrintOptions, setPrintOptions, type SetPrintOptions } from "./print-options.js";

afterEach(() => setPrintOptions({ profile: "default" }));

describe("setPrintOptions", () => {
  it("starts from PyTorch's defaults", () => {
    expect(getPrintOptions()).toEqual({
      precision: 4,
      threshold: 1000,
      edgeitems: 3,
      linewidth: 80,
      sciMode: null,
    });
  });

  it("applies a profile first, then the explicit options", () => {
    setPrintOptions({ profile: "short", precision: 6 });
    expect(getPrintOptions()).toMatchObject({ precision: 6, edgeitems: 2, threshold: 1000 });
    setPrintOptions({ profile: "full" });
    expect(getPrintOptions().threshold).toBe(Infinity);
    expect(getPrintOptions().precision).toBe(4);
  });

  it("keeps options that are not given, except sciMode which resets like PyTorch's", () => {
    setPrintOptions({ precision: 2, sciMode: true });
    setPrintOptions({ linewidth: 40 });
    expect(getPrintOptions()).toMatchObject({ precision: 2, linewidth: 40, sciMode: null });
  });

  it("returns copies that cannot change the global state", () => {
    const opts = getPrintOptions();
    opts.precision = 99;
    expect(getPrintOptions().precision).toBe(4);
  });

  it("rejects unknown names with the camelCase suggestion", () => {
    expect(() => setPrintOptions({ sci_mode: true } as unknown as SetPrintOptions)).toThrow(
      /unknown option sci_mode for setPrintOptions; did you mean sciMode\?/,
    );
    expect(() => setPrintOptions({ edge_items: 2 } as unknown as SetPrintOptions)).toThrow(
      /did you mean edgeitems\?/,
    );
    expect(() => setPrintOptions({ precison: 2 } as unknown as SetPrintOptions)).toThrow(
      /did you mean precision\?/,
    );
    expect(() => setPrintOptions({ colour: 2 } as unknown as SetPrintOptions)).toThrow(TypeError);
  });

  it("rejects bad values and leaves the options unchanged", () => {
    const bad: unknown[] = [
      { precision: -1 },
      { precision: 2.5 },
      { edgeitems: 0 },
      { linewidth: "80" },
      { threshold: NaN },
      { sciMode: "yes" },
    ];
    for (const opts of bad) expect(() => setPrintOptions(opts as SetPrintOptions)).toThrow(TypeError);
    expect(() => setPrintOptions({ profile: "long" as "full" })).toThrow(ValueError);
    expect(() => setPrintOptions({ precision: 2, threshold: -1 })).toThrow(TypeError);
    expect(getPrintOptions().precision).toBe(4);
  });
});

import { describe, expect, it } from "vitest";
import { assertKnownOptions, suggestName } from "./options.js";

describe("suggestName", () => {
  it("maps snake_case to camelCase", () => {
    expect(suggestName("weight_decay", ["lr", "weightDecay"])).toBe("weightDecay");
    expect(suggestName("T_max", ["tMax", "etaMin"])).toBe("tMax");
  });
  it("finds names that contain each other and typos", () => {
    expect(suggestName("suppress", ["precision", "suppressSmall"])).toBe("suppressSmall");
    expect(suggestName("momentm", ["momentum", "dampening"])).toBe("momentum");
  });
  it("gives nothing for unrelated names", () => {
    expect(suggestName("banana", ["lr", "momentum"])).toBeUndefined();
  });
});

describe("assertKnownOptions", () => {
  it("accepts known keys and names the owner and the fix otherwise", () => {
    expect(() => assertKnownOptions("SGD", { lr: 1 }, ["lr"])).not.toThrow();
    expect(() => assertKnownOptions("SGD", { weight_decay: 1 }, ["lr", "weightDecay"])).toThrow(
      "unknown option weight_decay for SGD; did you mean weightDecay?",
    );
    expect(() => assertKnownOptions("SGD", { zzz: 1 }, ["lr"])).toThrow(
      "unknown option zzz for SGD; expected one of lr",
    );
  });
});

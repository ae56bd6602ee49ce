import { afterEach, describe, expect, it, vi } from "vitest";
import { warn } from "./warn.js";

afterEach(() => vi.restoreAllMocks());

describe("warn", () => {
  it("emits a UserWarning through process.emitWarning once per owner and message", () => {
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const a = {};
    const b = {};
    warn(a, "first");
    warn(a, "first");
    warn(a, "second");
    warn(b, "first");
    expect(spy.mock.calls).toEqual([
      ["first", "UserWarning"],
      ["second", "UserWarning"],
      ["first", "UserWarning"],
    ]);
  });

  it("falls back to console.warn where process.emitWarning does not exist", () => {
    const con = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const original = process.emitWarning;
    (process as { emitWarning?: unknown }).emitWarning = undefined;
    try {
      warn({}, "browser");
    } finally {
      process.emitWarning = original;
    }
    expect(con).toHaveBeenCalledWith("UserWarning: browser");
  });
});

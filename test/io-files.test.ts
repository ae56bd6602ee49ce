import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { load, loadTensors, save, saveTensors, serialize } from "../src/io/index.js";
import { writeFileAtomic } from "../src/io/fs.js";
import { tensor } from "../src/tensor/creation.js";
import type { Tensor } from "../src/tensor/tensor.js";
import { RuntimeError } from "../src/util/errors.js";

const dir = mkdtempSync(join(tmpdir(), "tsgrad-io-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const state = () => ({
  model: {
    "fc.weight": tensor([[1, 2]], { dtype: "float32" }),
    "fc.bias": tensor([0.5], { dtype: "float32" }),
  },
  epoch: 4,
});

describe("io.save / io.load on disk", () => {
  it("round-trips a checkpoint", () => {
    const path = join(dir, "ckpt.safetensors");
    save(path, state());
    const back = load(path) as ReturnType<typeof state>;
    expect(back.epoch).toBe(4);
    expect(back.model["fc.weight"].tolist()).toEqual([[1, 2]]);
    expect(readFileSync(path)).toEqual(Buffer.from(serialize(state())));
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("saves and loads plain tensor maps", () => {
    const path = join(dir, "weights.safetensors");
    saveTensors(path, { w: tensor([1, 2, 3], { dtype: "int32" }) });
    const back = loadTensors(path);
    expect(back.w!.dtype).toBe("int32");
    expect(back.w!.tolist()).toEqual([1, 2, 3]);
  });
});

describe("atomic writes", () => {
  it("never touches the target before the rename, and cleans up when it fails", () => {
    const path = join(dir, "atomic.safetensors");
    save(path, { v: 1 });
    const before = readFileSync(path);
    const next = serialize({ v: 2, big: tensor(new Float64Array(10000)) });
    let sawTemp = "";
    expect(() =>
      writeFileAtomic(path, next, "io.save", {
        beforeRename: (temp) => {
          sawTemp = temp;
          // The moment between write and rename: old file intact, new one complete beside it.
          expect(readFileSync(path)).toEqual(before);
          expect(readFileSync(temp)).toEqual(Buffer.from(next));
          expect(temp.startsWith(join(dir, ".atomic.safetensors."))).toBe(true);
          throw new Error("simulated crash before rename");
        },
      }),
    ).toThrow("simulated crash before rename");
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(sawTemp).not.toBe("");
    expect(load(path)).toEqual({ v: 1 });
  });

  it("leaves the old file in place when the process is killed between write and rename", () => {
    // Run the real writeFileAtomic in a child Node process (transpiled on the fly) that SIGKILLs
    // itself at the last moment before the rename: no cleanup code can run.
    const build = join(dir, "child");
    for (const file of ["io/fs", "util/errors"]) {
      const source = readFileSync(new URL(`../src/${file}.ts`, import.meta.url), "utf8");
      const js = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      mkdirSync(join(build, file, ".."), { recursive: true });
      writeFileSync(join(build, `${file}.js`), js);
    }
    writeFileSync(join(build, "package.json"), '{"type": "module"}');
    const path = join(dir, "killed.safetensors");
    save(path, { v: 1 });
    const before = readFileSync(path);
    const script = `
      import { writeFileAtomic } from ${JSON.stringify(join(build, "io/fs.js"))};
      writeFileAtomic(${JSON.stringify(path)}, new Uint8Array(1 << 20).fill(7), "io.save", {
        beforeRename: () => process.kill(process.pid, "SIGKILL"),
      });
      console.log("not reached");
    `;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(child.signal).toBe("SIGKILL");
    expect(child.stdout).toBe("");
    expect(readFileSync(path)).toEqual(before);
    expect(load(path)).toEqual({ v: 1 });
    // The abandoned temporary file is a hidden sibling, never the target.
    const leftovers = readdirSync(dir).filter(
      (f) => f.startsWith(".killed.safetensors.") && f.endsWith(".tmp"),
    );
    expect(leftovers.length).toBe(1);
    expect(readFileSync(join(dir, leftovers[0]!)).length).toBe(1 << 20);
    rmSync(join(dir, leftovers[0]!));
  });

  it("replaces the file in one step when the write succeeds", () => {
    const path = join(dir, "replace.safetensors");
    save(path, { v: 1 });
    save(path, { v: 2 });
    expect(load(path)).toEqual({ v: 2 });
  });

  it("creates nothing when serialisation fails", () => {
    const path = join(dir, "never.safetensors");
    expect(() => save(path, { bad: new Map() })).toThrow(TypeError);
    expect(readdirSync(dir).includes("never.safetensors")).toBe(false);
  });

  it("reports a missing directory without creating anything", () => {
    const path = join(dir, "no-such-dir", "x.safetensors");
    expect(() => save(path, { v: 1 })).toThrow(/ENOENT/);
    expect(() => load(join(dir, "missing.safetensors"))).toThrow(/ENOENT.*missing\.safetensors/);
  });
});

describe("damaged files", () => {
  const path = join(dir, "damaged.safetensors");
  const good = serialize({ w: tensor(new Float32Array(64), { shape: [8, 8] }) });

  it("names the file and the problem for a truncated file", () => {
    for (const keep of [4, 12, good.length - 1]) {
      writeFileSync(path, good);
      truncateSync(path, keep);
      expect(() => load(path)).toThrow(RuntimeError);
      expect(() => load(path)).toThrow(`${path}: not a valid safetensors file:`);
    }
    writeFileSync(path, good.subarray(0, good.length - 1));
    expect(() => load(path)).toThrow(
      /data_offsets \[0, 256\] run past the end of the data section \(255 bytes; truncated\?\)/,
    );
  });

  it("names the file for an oversized header length and for a file of another format", () => {
    const oversized = Uint8Array.from(good);
    new DataView(oversized.buffer).setBigUint64(0, BigInt(good.length), true);
    writeFileSync(path, oversized);
    expect(() => loadTensors(path)).toThrow(
      `${path}: not a valid safetensors file: the header length field says ${good.length} bytes`,
    );
    writeFileSync(path, JSON.stringify({ a: 1 }));
    expect(() => load(path)).toThrow(`${path}: not a valid safetensors file:`);
  });

  it("loads a truncated-then-repaired file again", () => {
    writeFileSync(path, good);
    expect((load(path) as { w: Tensor }).w.shape).toEqual([8, 8]);
  });
});

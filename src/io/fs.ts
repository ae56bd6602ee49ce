/**
 * The file side of `tg.io`: atomic writes and whole-file reads through Node's `fs`, reached with
 * `process.getBuiltinModule` rather than a static import, so browser bundles of `tg.io` still
 * build (and the in-memory functions work there).
 *
 * @module
 */

import type * as NodeFs from "node:fs";
import type * as NodePath from "node:path";
import { RuntimeError } from "../util/errors.js";

interface NodeProcess {
  getBuiltinModule?: (id: string) => unknown;
  pid?: number;
  platform?: string;
}

function proc(): NodeProcess | undefined {
  return (globalThis as { process?: NodeProcess }).process;
}

function builtin<M>(id: string, what: string): M {
  const p = proc();
  const mod = typeof p?.getBuiltinModule === "function" ? p.getBuiltinModule(id) : undefined;
  if (mod === undefined) {
    throw new RuntimeError(
      `${what} needs Node.js (20.16 or newer) for file access; in a browser use tg.io.serialize / tg.io.deserialize on bytes`,
    );
  }
  return mod as M;
}

/** @internal Test hooks of {@link writeFileAtomic}. */
export interface AtomicWriteHooks {
  /** Called after the temporary file is written and synced, just before it replaces the target. */
  beforeRename?: (tempPath: string) => void;
}

/**
 * Write `data` to `path` atomically: into a new temporary file in the same directory (so the
 * rename cannot cross file systems), flushed with fsync, then renamed over `path`, then the
 * directory synced so the rename itself survives a power cut. Readers see the old file or the
 * new one, never a partial one; on any error the temporary file is removed and `path` is untouched.
 *
 * @example writeFileAtomic("model.safetensors", bytes, "io.save")
 */
export function writeFileAtomic(
  path: string,
  data: Uint8Array,
  what: string,
  hooks: AtomicWriteHooks = {},
): void {
  const fs = builtin<typeof NodeFs>("node:fs", what);
  const paths = builtin<typeof NodePath>("node:path", what);
  if (typeof path !== "string" || path === "")
    throw new TypeError(`${what}: path must be a non-empty string`);
  const dir = paths.dirname(paths.resolve(path));
  const base = paths.basename(path);
  let temp = "";
  let fd = -1;
  for (let attempt = 0; fd < 0; attempt++) {
    const tag = `${proc()?.pid ?? 0}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    temp = paths.join(dir, `.${base}.${tag}.tmp`);
    try {
      fd = fs.openSync(temp, "wx", 0o666);
    } catch (e) {
      if ((e as { code?: string }).code !== "EEXIST" || attempt >= 10) throw e;
    }
  }
  try {
    try {
      let written = 0;
      while (written < data.length) written += fs.writeSync(fd, data, written, data.length - written);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    hooks.beforeRename?.(temp);
    fs.renameSync(temp, path);
  } catch (e) {
    try {
      fs.unlinkSync(temp);
    } catch {
      // Already gone (or never renamed away); the original error is the one to report.
    }
    throw e;
  }
  syncDirectory(fs, dir);
}

/** fsync a directory so a rename in it is durable; not possible on Windows, where it is skipped. */
function syncDirectory(fs: typeof NodeFs, dir: string): void {
  if (proc()?.platform === "win32") return;
  let fd = -1;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse to sync directories; the data itself is already synced.
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}

/**
 * The whole content of a file as bytes.
 * @example const bytes = readFileBytes("model.safetensors", "io.load");
 */
export function readFileBytes(path: string, what: string): Uint8Array {
  const fs = builtin<typeof NodeFs>("node:fs", what);
  if (typeof path !== "string" || path === "")
    throw new TypeError(`${what}: path must be a non-empty string`);
  const buf = fs.readFileSync(path);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

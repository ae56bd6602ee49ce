/**
 * Access to Node's built-in modules without a static `import "node:…"`, so that bundling
 * `tg.data` for the browser works; the functions that read files fail there with a clear error.
 *
 * @module
 */

import { RuntimeError } from "../util/errors.js";

interface NodeProcess {
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * A Node built-in module (`process.getBuiltinModule`, Node ≥ 20.16), or a RuntimeError naming
 * `what` when not running in Node.
 * @example const fs = nodeBuiltin<typeof NodeFs>("node:fs", "data.mnist()");
 */
export function nodeBuiltin<M>(id: string, what: string): M {
  const proc = (globalThis as { process?: NodeProcess }).process;
  const mod = typeof proc?.getBuiltinModule === "function" ? proc.getBuiltinModule(id) : undefined;
  if (mod === undefined) {
    throw new RuntimeError(
      `${what} reads files and needs Node.js (20.16 or newer); ${id} is not available here`,
    );
  }
  return mod as M;
}

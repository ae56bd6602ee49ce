#!/usr/bin/env node
/**
 * The `tsgrad` command-line entry point (`bin` in package.json).
 *
 * @module
 */

import { main } from "./program.js";

// Output piped into a reader that stops early (`tsgrad sweep | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await main(process.argv.slice(2));

#!/usr/bin/env node
/**
 * The `tsgrad` command-line entry point (`bin` in package.json).
 *
 * @module
 */

import { main } from "./program.js";

process.exitCode = await main(process.argv.slice(2));

// `npm run bench`: run every benchmark in this folder (each a standalone script that measures
// tsgrad beside its peer in the same run and writes bench/results/<name>.json), one at a time so
// they do not compete for the two cores, then print where the results went.
// Run one alone with: node bench/<name>.js
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { BENCH_DIR, RESULTS_DIR } from "./lib.js";

const only = process.argv.slice(2);
const scripts = readdirSync(BENCH_DIR)
  .filter((f) => f.endsWith(".js") && f !== "lib.js" && f !== "run.js")
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.js$/, "")))
  .sort();

let failed = 0;
for (const script of scripts) {
  console.log(`\n# bench/${script}\n`);
  const r = spawnSync(process.execPath, [join(BENCH_DIR, script)], { stdio: "inherit" });
  if (r.status !== 0) {
    failed++;
    console.error(`bench/${script} exited with status ${r.status}`);
  }
}
console.log(`\nResults (JSON): ${RESULTS_DIR}`);
process.exit(failed ? 1 : 0);

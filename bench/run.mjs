// Runs the benchmarks: `npm run bench` runs every bench/*.mjs (except this file);
// `npm run bench -- NAME` runs those whose file name contains NAME. Each writes its
// results to docs/bench/. Benchmarks that need Docker or Chromium say so and skip themselves.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

const filter = process.argv[2] ?? "";
const files = readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".mjs") && f !== "run.mjs" && f.includes(filter))
  .sort();
let failed = 0;
for (const file of files) {
  console.error(`› bench/${file}`);
  const result = spawnSync(process.execPath, [`bench/${file}`], { stdio: "inherit" });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed ? 1 : 0;

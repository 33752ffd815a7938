// Bundles the CLI into dist/ with esbuild: one entry, code-split so that
// `torchstack --help` does not parse the engine or dashboard code.
// A second entry exposes the pure resolver to bench/cli-speed.mjs.
import { existsSync } from "node:fs";
import * as esbuild from "esbuild";
import { dashboardPageDefine } from "../src/monitor/dashboard/page/build-page.mjs";

const { build } = esbuild;

const entryPoints = { cli: "src/cli/main.ts" };
if (existsSync("src/resolve/resolve-stack.ts")) entryPoints["bench-resolve"] = "src/resolve/resolve-stack.ts";

await build({
  entryPoints,
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  packages: "bundle",
  // esbuild: only the from-source path of the dashboard page uses it, and dist/ embeds the built page instead
  external: ["cpu-features", "ssh2", "playwright-core", "esbuild"],
  // the dashboard's browser code (src/monitor/dashboard/page/), bundled on its own and embedded as text
  define: await dashboardPageDefine(esbuild),
  banner: {
    js: "import { createRequire as __tsCreateRequire } from 'node:module'; const require = __tsCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
});

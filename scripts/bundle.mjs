// Bundles the CLI into dist/ with esbuild: one entry, code-split so that
// `torchstack --help` does not parse the engine or dashboard code.
// A second entry exposes the pure resolver to bench/cli-speed.mjs.
import { existsSync } from "node:fs";
import { build } from "esbuild";

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
  external: ["cpu-features", "ssh2", "playwright-core"],
  banner: {
    js: "import { createRequire as __tsCreateRequire } from 'node:module'; const require = __tsCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
});

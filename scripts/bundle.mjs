// Bundles the CLI into dist/ with esbuild: one entry, code-split so that
// `torchstack --help` does not parse the engine or dashboard code.
// A second entry exposes the pure resolver to bench/cli-speed.mjs.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import * as esbuild from "esbuild";
import { dashboardPageDefine } from "../src/monitor/dashboard/page/build-page.mjs";

const { build } = esbuild;

// `import text from "./entrypoint.sh?raw"` (as Vite reads it under vitest): the file's contents as a string,
// so the image's scripts stay real .sh/.py files that shellcheck and flake8 lint.
const rawText = {
  name: "raw-text",
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: resolve(args.resolveDir, args.path.slice(0, -"?raw".length)),
      namespace: "raw-text",
    }));
    b.onLoad({ filter: /.*/, namespace: "raw-text" }, (args) => ({
      contents: readFileSync(args.path, "utf8"),
      loader: "text",
    }));
  },
};

// ssh2 (the engine client's SSH transport) loads two optional native addons inside try/catch and falls
// back to pure JavaScript without them: bundling them as a module that throws keeps dist/ self-contained,
// so it runs with no node_modules (an e2e test copies dist/, bin/ and the probe scripts alone).
const nativeAddonsOptional = {
  name: "native-addons-optional",
  setup(b) {
    // only real binaries: "./contrib/index.node" may well be index.node.js
    b.onResolve({ filter: /\.node$/ }, (args) =>
      existsSync(resolve(args.resolveDir, args.path))
        ? { path: args.path, namespace: "native-addon" }
        : undefined,
    );
    // an optional dependency that is not installed (cyclonedx's xmlbuilder2, libxmljs2): required in try/catch
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind !== "require-call" || args.path.startsWith("node:")) return undefined;
      try {
        createRequire(join(args.resolveDir, "x.js")).resolve(args.path);
        return undefined;
      } catch {
        return { path: args.path, namespace: "native-addon" };
      }
    });
    b.onLoad({ filter: /.*/, namespace: "native-addon" }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not bundled (optional)`)});`,
      loader: "js",
    }));
  },
};

// zod re-exports its ~50 message locales as `z.locales` and `z.core.locales` (370 KB of the 760 KB zod chunk
// every command loads); nothing here switches locale, so only English (zod's default) is bundled.
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir)
        ? { path: resolve(args.resolveDir, "../locales/en.js"), namespace: "zod-english-only" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-english-only" }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      loader: "js",
      resolveDir: resolve(args.path, ".."),
    }));
  },
};

const entryPoints = { cli: "src/cli/main.ts" };
if (existsSync("src/resolve/resolve-stack.ts")) entryPoints["bench-resolve"] = "src/resolve/resolve-stack.ts";

// Chunk names change with their contents: a fresh dist/ keeps no chunk of an earlier build.
rmSync("dist", { recursive: true, force: true });

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
  external: ["playwright-core", "esbuild"],
  // the dashboard's browser code (src/monitor/dashboard/page/), bundled on its own and embedded as text
  define: await dashboardPageDefine(esbuild),
  banner: {
    // CommonJS dependencies (ssh2's wasm loader) read require, __filename and __dirname
    js: [
      "import { createRequire as __tsCreateRequire } from 'node:module';",
      "import { fileURLToPath as __tsFileURLToPath } from 'node:url';",
      "import { dirname as __tsDirname } from 'node:path';",
      "const require = __tsCreateRequire(import.meta.url);",
      "const __filename = __tsFileURLToPath(import.meta.url);",
      "const __dirname = __tsDirname(__filename);",
    ].join(" "),
  },
  plugins: [rawText, nativeAddonsOptional, zodEnglishOnly],
  logLevel: "warning",
});

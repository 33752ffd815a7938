// Bundles the CLI into dist/ with esbuild (dist/cli.cjs, loaded by bin/torchstack.js), then writes the V8
// code cache for it (scripts/write-code-cache.mjs); the code only some commands run goes to dist/vendor/
// (SIDE_BUNDLES in scripts/bundle-plugins.mjs). A last entry exposes the pure resolver to bench/cli-speed.mjs.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import * as esbuild from "esbuild";
import { dashboardPageDefine } from "../src/monitor/dashboard/page/build-page.mjs";
import {
  nativeAddonsOptional,
  rawText,
  SIDE_BUNDLES,
  sideBundlesExternal,
  zodEnglishOnly,
} from "./bundle-plugins.mjs";
import { writeCodeCache } from "./write-code-cache.mjs";

const { build } = esbuild;

// A fresh dist/ keeps nothing of an earlier build.
rmSync("dist", { recursive: true, force: true });

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  packages: "bundle",
  // esbuild: only the from-source path of the dashboard page uses it, and dist/ embeds the built page instead
  external: ["playwright-core", "esbuild"],
  // the dashboard's browser code (src/monitor/dashboard/page/), bundled on its own and embedded as text
  define: await dashboardPageDefine(esbuild),
  plugins: [rawText, nativeAddonsOptional, zodEnglishOnly],
  logLevel: "warning",
};

const BUILD_ID_PLACEHOLDER = `/*torchstack-build:${"0".repeat(16)}*/`;

/**
 * Builds one CommonJS bundle for bin/load-bundle.js: minified, ASCII (it is read as latin1, exact only for
 * ASCII), and starting with its build id, the bundle's own hash written over a placeholder of the same length
 * (the source map stays exact), which its code cache must name.
 */
async function buildLoadable(options) {
  const built = await build({
    ...common,
    ...options,
    format: "cjs",
    minify: true,
    charset: "ascii",
    write: false,
    banner: { js: BUILD_ID_PLACEHOLDER },
  });
  for (const file of built.outputFiles) {
    let text = file.text;
    if (file.path.endsWith(".cjs")) {
      if (/[^\p{ASCII}]/u.test(text))
        throw new Error(`${file.path} is not ASCII: keep esbuild's charset default`);
      const id = createHash("sha256").update(text).digest("hex").slice(0, 16);
      text = text.replace(BUILD_ID_PLACEHOLDER, `/*torchstack-build:${id}*/`);
    }
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, text);
  }
}

// The CLI: one CommonJS file, so that bin/load-bundle.js can compile it with V8's code cache (Node 20 caches
// no ES module). Modules reached only through `import()` (each command, the engine, the dashboard) stay
// uncompiled and unevaluated until a command asks for them. Minified: a third of the bytes to read; stack
// traces map back through dist/cli.cjs.map (`node --enable-source-maps`).
await buildLoadable({
  entryPoints: { cli: "src/cli/main.ts" },
  outdir: "dist",
  outExtension: { ".js": ".cjs" },
  define: { ...common.define, "import.meta.url": "importMetaUrl" },
  inject: ["scripts/cjs-import-meta-url.js"],
  plugins: [...common.plugins, sideBundlesExternal],
});

// Code only some commands run, one file each (scripts/bundle-plugins.mjs), loaded the same way when required.
for (const [name, side] of Object.entries(SIDE_BUNDLES))
  await buildLoadable({
    ...(side.entry === undefined
      ? { stdin: { contents: side.contents, resolveDir: ".", sourcefile: `${name}.js` } }
      : { entryPoints: [side.entry] }),
    outfile: `dist/vendor/${name}.cjs`,
    plugins: [...common.plugins, ...(side.plugins ?? [])],
  });

// The pure resolver alone, as an ES module, for bench/cli-speed.mjs.
if (existsSync("src/resolve/resolve-stack.ts"))
  await build({
    ...common,
    entryPoints: { "bench-resolve": "src/resolve/resolve-stack.ts" },
    outdir: "dist",
    format: "esm",
    banner: {
      js: "import { createRequire as __tsCreateRequire } from 'node:module'; const require = __tsCreateRequire(import.meta.url);",
    },
  });

await writeCodeCache();

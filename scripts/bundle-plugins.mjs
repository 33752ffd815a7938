// esbuild plugins for scripts/bundle.mjs.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

// `import text from "./entrypoint.sh?raw"` (as Vite reads it under vitest): the file's contents as a string,
// so the image's scripts stay real .sh/.py files that shellcheck and flake8 lint.
export const rawText = {
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
export const nativeAddonsOptional = {
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
export const zodEnglishOnly = {
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

/**
 * dockerode's BuildKit session (`buildImage` with `version: "2"`: grpc-js, proto-loader) and BuildKit progress
 * decoder (protobufjs) are left out of its side bundle: torchstack builds with the docker CLI and calls neither,
 * and requiring grpc-js cost ≈100 ms on every command that talks to the engine. Either one throws if called.
 */
const dockerodeWithoutBuildKitSession = {
  name: "dockerode-without-buildkit-session",
  setup(b) {
    b.onResolve({ filter: /^\.\/(session|buildkit)$/ }, (args) =>
      /[\\/]dockerode[\\/]lib$/.test(args.resolveDir)
        ? { path: args.path, namespace: "dockerode-stub" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "dockerode-stub" }, (args) => {
      const fail = `throw new Error("dockerode ${args.path.slice(2)} is not bundled: torchstack builds with the docker CLI")`;
      return {
        contents:
          args.path === "./session"
            ? `module.exports = function () { ${fail}; };`
            : `module.exports = { followProgress() { ${fail}; } };`,
        loader: "js",
      };
    });
  },
};

/**
 * Third-party (and generated) code that only some commands run, bundled into files of its own under
 * dist/vendor/ instead of into dist/cli.cjs: the CLI bundle stays small to read and to load from the code
 * cache (every function in it costs a place in the cache, run or not), and a command that needs, say, the
 * engine client requires dist/vendor/dockerode.cjs when it gets there. None of these keeps state that
 * torchstack's own modules share, so nothing stateful is loaded twice.
 */
// cel-js spells the microsecond unit `µs` (a property name and in a regular expression), which esbuild's
// ASCII output leaves as it is: written as an escape instead, so the side bundle stays ASCII.
const celAscii = {
  name: "cel-ascii",
  setup(b) {
    b.onLoad({ filter: /[\\/]@marcbachmann[\\/]cel-js[\\/]lib[\\/]functions\.js$/ }, (args) => ({
      contents: readFileSync(args.path, "utf8")
        .replace("  µs: 1_000n,", '  "\\u00b5s": 1_000n,')
        .replace("|us|µs|", "|us|\\u00b5s|"),
      loader: "js",
    }));
  },
};

export const SIDE_BUNDLES = {
  // the engine client with ssh2 (up, exec, ps, …), without its BuildKit session (below)
  dockerode: { imports: /^dockerode$/, entry: "dockerode", plugins: [dockerodeWithoutBuildKitSession] },
  // strict validation of rendered manifests (job check)
  ajv: { imports: /^ajv$/, entry: "ajv" },
  // the CRDs' CEL rules (job check)
  cel: { imports: /^@marcbachmann\/cel-js$/, entry: "@marcbachmann/cel-js", plugins: [celAscii] },
  "kubernetes-models": {
    imports: /^kubernetes-models\//,
    contents: [
      'export { Job } from "kubernetes-models/batch/v1/Job";',
      'export { Service } from "kubernetes-models/v1/Service";',
    ].join("\n"),
  },
  // the compiled CycloneDX 1.6 validator (sbom), 1.7 MB of generated code
  "sbom-validator": {
    imports: /[\\/]schema[\\/]bom-1\.6\.validate\.js$/,
    entry: "src/sbom/schema/bom-1.6.validate.js",
  },
};

/**
 * For the CLI bundle: each side bundle's imports become `require("./vendor/NAME.cjs")`, resolved from
 * dist/cli.cjs at run time. (Each side bundle carries its own dependencies: kubernetes-models may well
 * validate with another ajv than ours.)
 */
export const sideBundlesExternal = {
  name: "side-bundles-external",
  setup(b) {
    for (const [name, side] of Object.entries(SIDE_BUNDLES))
      b.onResolve({ filter: side.imports }, () => ({ path: `./vendor/${name}.cjs`, external: true }));
  },
};

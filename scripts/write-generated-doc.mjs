// Bundles a pure TypeScript renderer with esbuild, calls it and writes its Markdown:
// the shared step of `npm run docs:errors` and `npm run docs:settings`.
import { writeFileSync } from "node:fs";
import { build } from "esbuild";

/** Writes `output` from the string that `exportName()` in `entry` returns. */
export async function writeGeneratedDoc(entry, exportName, output) {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
  });
  const url = `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`;
  const module = await import(url);
  writeFileSync(output, module[exportName]());
  console.log(`wrote ${output}`);
}

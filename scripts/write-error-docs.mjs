// Writes docs/errors.md from src/errors/error-codes.ts (run: npm run docs:errors).
import { writeFileSync } from "node:fs";
import { build } from "esbuild";

const out = await build({
  entryPoints: ["src/errors/render-error-docs.ts"],
  bundle: true,
  format: "esm",
  platform: "node",
  write: false,
});
const url = `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`;
const { renderErrorDocs } = await import(url);
writeFileSync("docs/errors.md", renderErrorDocs());
console.log("wrote docs/errors.md");

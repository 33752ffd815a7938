// Writes src/cli/command-summaries.ts from each command's own `summary` (one
// source), so that `torchstack --help` lists every command without importing
// them all. A test fails when the file is out of date: run `npm run gen:summaries`.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

const dir = "src/cli/commands";
const rows = [];
for (const file of readdirSync(dir).sort()) {
  if (!file.endsWith(".ts") || file.endsWith(".test.ts")) continue;
  const text = readFileSync(`${dir}/${file}`, "utf8");
  for (const match of text.matchAll(
    /defineCommand\(\{\s*name:\s*"([^"]+)",\s*summary:\s*(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`)/g,
  )) {
    rows.push([match[1], JSON.parse(`"${match[2] ?? match[3]}"`)]);
  }
}
rows.sort(([a], [b]) => a.localeCompare(b));
const body = rows
  .map(([name, summary]) => `  ${JSON.stringify(name)}: ${JSON.stringify(summary)},`)
  .join("\n");
writeFileSync(
  "src/cli/command-summaries.ts",
  `/**
 * Generated from each command's \`summary\` by \`npm run gen:summaries\`; do not edit.
 * \`torchstack --help\` reads it so that listing the commands imports none of them;
 * a test fails when a command's summary and this table differ.
 */
export const COMMAND_SUMMARIES: Readonly<Record<string, string>> = {
${body}
};
`,
);
// Formatted as the linter wants it, so the generated file passes `npm run lint`.
execFileSync("node_modules/.bin/biome", ["format", "--write", "src/cli/command-summaries.ts"], {
  stdio: "ignore",
});
console.log(`wrote src/cli/command-summaries.ts (${rows.length} commands)`);

// The typecheck is split so Node code cannot reach the browser's globals: tsconfig.json (all of src/
// but the dashboard page, the tests, benches and scripts) has no DOM library; tsconfig.page.json (the
// page) has DOM and no Node types; tsconfig.page-tests.json (the tests that drive the page) has both.
// A probe file is compiled with each program's options, as `npm run typecheck` would compile it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const PAGE = join(ROOT, "src/monitor/dashboard/page");

function programOptions(configName: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(ROOT, configName), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!parsed) throw new Error(`${configName} cannot be read`);
  return parsed;
}

/** The errors of a one-file program at `where` holding `source`, under the options of `configName`. */
function errors(configName: string, where: string, source: string): string[] {
  const { options } = programOptions(configName);
  const file = join(ROOT, where);
  const host = ts.createCompilerHost(options);
  const readSource = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language) : readSource(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, " "));
}

describe("the typecheck programs", () => {
  it("Node code cannot use the browser's document", () => {
    const found = errors("tsconfig.json", "src/cli/probe-dom.ts", "export const title = document.title;\n");
    expect(found).toEqual([expect.stringContaining("Cannot find name 'document'")]);
  });

  it("the page can use the DOM and cannot use Node's process", () => {
    const where = "src/monitor/dashboard/page/probe.ts";
    expect(errors("tsconfig.page.json", where, "export const title = document.title;\n")).toEqual([]);
    const found = errors("tsconfig.page.json", where, "export const home = process.env.HOME;\n");
    expect(found).toEqual([expect.stringContaining("Cannot find name 'process'")]);
  });

  it("every page file is in the page program and none in the Node one; the typecheck runs all three", () => {
    const pageFiles = readdirSync(PAGE)
      .filter((name) => name.endsWith(".ts"))
      .map((name) => join(PAGE, name));
    expect(programOptions("tsconfig.page.json").fileNames).toEqual(expect.arrayContaining(pageFiles));
    expect(programOptions("tsconfig.json").fileNames.filter((f) => f.startsWith(`${PAGE}/`))).toEqual([]);
    const configs = readdirSync(ROOT).filter((name) => /^tsconfig(\..+)?\.json$/.test(name));
    const script = (
      JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { typecheck: string } }
    ).scripts.typecheck;
    for (const config of configs)
      expect(script).toContain(config === "tsconfig.json" ? "tsc --noEmit" : config);
  });
});

/**
 * What both export commands share: the text they print (the files written, then
 * the apps' URLs), and the engine connection loaded only when the export needs
 * it (the spec leaves run.network unset), so an export does not parse the
 * engine client's modules for nothing.
 */
import type { Engine } from "../../engine/engine-client.js";
import type { Reporter } from "../../report/reporter.js";
import type { ExportResult } from "../../workflows/export-environment.js";

export function exportText(result: ExportResult): string {
  const urls = Object.entries(result.urls).map(([app, url]) => `${app}: ${url}`);
  return [...result.files.map((f) => `wrote ${f}`), ...urls].join("\n");
}

export async function connectEngineLazily(env: NodeJS.ProcessEnv, reporter: Reporter): Promise<Engine> {
  const { connectEngine } = await import("../../engine/connect-engine.js");
  return connectEngine(env, reporter);
}

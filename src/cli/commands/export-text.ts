/** The text both export commands print: the files written, then the apps' URLs. */
import type { ExportResult } from "../../workflows/export-environment.js";

export function exportText(result: ExportResult): string {
  const urls = Object.entries(result.urls).map(([app, url]) => `${app}: ${url}`);
  return [...result.files.map((f) => `wrote ${f}`), ...urls].join("\n");
}

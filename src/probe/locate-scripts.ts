/**
 * Finds the probe scripts on disk. They ship as plain files (package.json
 * "files" includes src/probe/scripts), so the location is found by walking up
 * from this module's URL to the first folder that holds `src/probe/scripts`:
 * that works from src/ under vitest and from dist/ after bundling.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TorchstackError } from "../errors/torchstack-error.js";
import type { ProbeKind } from "./probe-schemas.js";

export function probeScriptsDir(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const candidate = join(dir, "src", "probe", "scripts");
    if (existsSync(join(candidate, "doctor_probe.py"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new TorchstackError("E_PROBE_MISSING", "the probe scripts (src/probe/scripts/*.py) were not found", {
    remedies: [
      "reinstall torchstack: the package must include src/probe/scripts",
      "run from a full checkout",
    ],
  });
}

export function probeScriptPath(kind: ProbeKind, from?: string): string {
  return join(probeScriptsDir(from), `${kind}_probe.py`);
}

/** The script's source, for sending on stdin (`python3 - --json`) into an environment. */
export function probeScriptSource(kind: ProbeKind, from?: string): string {
  return readFileSync(probeScriptPath(kind, from), "utf8");
}

/**
 * `doctor` core: runs the doctor probe (host or environment), fills the newest
 * CUDA the driver supports from the catalog when nvidia-smi did not say, turns
 * the facts into findings (every catalog fact from one catalog value: the one
 * passed, else the built-in data with the overlay) and saves the result for the dashboard. Returns the
 * contract document `{host, python, findings}`.
 */
import { existsSync } from "node:fs";
import { type Catalog, loadCatalog } from "../catalog/catalog.js";
import { maxCudaForDriver } from "../catalog/cuda-toolkits.js";
import { latestResultPath } from "../fs/state-dir.js";
import { doctorFindings, type Finding } from "./doctor-findings.js";
import type { HostSection, PythonSection } from "./probe-schemas.js";
import { type RunProbeOptions, runProbe } from "./run-probe.js";
import { saveLatestResult } from "./save-result.js";

export interface DoctorResult {
  host: HostSection | null;
  python: PythonSection | null;
  findings: Finding[];
}

export interface DoctorOptions extends RunProbeOptions {
  python?: string | undefined;
  inEnv?: string | undefined;
  stripUuids?: boolean;
  /** Import torch and run pip check even without an NVIDIA driver (slower). */
  full?: boolean;
  /** Where to save latest.json; default latestResultPath(env, "doctor"). false = do not save. */
  save?: string | false;
  /** Told when the latest result cannot be saved (the command still succeeds). */
  warn?: (message: string) => void;
  /** The catalog the fixes come from; default: built-in plus the state folder's overlay. */
  catalog?: Catalog;
}

const UUID = /\b(GPU|MIG)-[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\b/g;

export function stripUuids<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(UUID, "$1-<uuid>")) as T;
}

/** Another interpreter with torch that the user may have meant (Debian's python3-torch). */
export function spotPythonWithTorch(executable: string): string | null {
  const candidates: Array<[string, string]> = [
    ["/usr/bin/python3", "/usr/lib/python3/dist-packages/torch"],
    ["/opt/conda/bin/python", "/opt/conda/lib/python3"],
  ];
  for (const [python, marker] of candidates) {
    if (python !== executable && existsSync(python) && existsSync(marker)) return python;
  }
  return null;
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorResult> {
  const args = [...(options.stripUuids ? ["--strip-uuids"] : []), ...(options.full ? ["--full"] : [])];
  const run = await runProbe(
    "doctor",
    { python: options.python, inEnv: options.inEnv },
    { ...options, args },
  );
  const catalog = options.catalog ?? (await loadCatalog({ env: options.env }));
  const host = run.doc.host;
  if (host?.driver.version && !host.driver.cudaMax)
    host.driver.cudaMax = maxCudaForDriver(host.driver.version, catalog.cudaToolkits);
  const python = run.doc.python;
  const findings = doctorFindings(host, python, {
    catalog,
    where: run.where,
    defaultPython: !options.python && !options.inEnv,
    altPythonWithTorch: python && !options.inEnv ? spotPythonWithTorch(python.executable) : null,
  });
  let result: DoctorResult = { host, python, findings };
  if (options.stripUuids) result = stripUuids(result);
  const target = options.save === undefined ? latestResultPath(options.env, "doctor") : options.save;
  if (target)
    saveLatestResult(target, { savedAt: new Date().toISOString(), ...result }, options.warn ?? (() => {}));
  return result;
}

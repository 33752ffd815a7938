/**
 * From a spec file to the image an environment runs: opens the project and uses
 * its lock as written (for `build`, writes one when missing; else E_NO_LOCK), refuses
 * a lock the spec or the catalog no longer matches (E_LOCK_STALE, re-resolved for the
 * targets the lock records, never for this host), reports how this host fits the locked stack
 * (warnings on build, a refusal on up), and names the tags: one that says what
 * is inside and one derived from the lock, which `up` looks for.
 */
import { TorchstackError } from "../errors/torchstack-error.js";
import { detectHostFacts } from "../host/detect-host.js";
import { lockTag, stackTag } from "../image-build/image-tags.js";
import type { Inventory } from "../inventory/inventory-schema.js";
import { type HostFitFinding, hostFit } from "../lock/host-fit.js";
import { type LockFile, lockDigest, writeLock } from "../lock/lock-file.js";
import { loadProject } from "../project/load-project.js";
import type { Reporter } from "../report/reporter.js";
import type { Spec } from "../spec/schema.js";
import { platformOfArch } from "../spec/targets-schema.js";
import { describeResolvedFor, lockProject } from "./lock-environment.js";
import type { WheelLocker } from "./lock-wheels.js";

export interface EnvironmentImage {
  specFile: string;
  spec: Spec;
  lockPath: string;
  lock: LockFile;
  /** `NAME:torch1.13.1-cpu-py3.11-runtime` and `NAME:lock-<digest>`. */
  tags: { stack: string; lock: string };
  lockCreated: boolean;
  /** How this host fits the locked stack (empty or absent when not checked or when it fits). */
  hostFit?: HostFitFinding[];
  /** The inventory the lock names, read when asked (none for a lock this run wrote). */
  inventory?: () => Inventory | undefined;
}

export interface EnvironmentImageOptions {
  createLock: boolean;
  reporter: Reporter;
  env: NodeJS.ProcessEnv;
  /** warn: report host-fit findings (build); refuse: fail with E_HOST_UNFIT (up with GPUs); off: skip. */
  hostFit?: "warn" | "refuse" | "off";
  /** Whether the engine has a GPU runtime, when the caller knows. */
  gpuRuntime?: boolean;
  /** `up --gpus`; with "none" (or the spec's run.gpus none) a refusal becomes a warning. */
  gpus?: string;
  /** `build`: lock every wheel by sha256 when the lock has no wheel set (written `--offline`, or new). */
  lockWheels?: WheelLocker;
}

function wantsGpus(spec: Spec, lock: LockFile, gpus: string | undefined): boolean {
  const wanted = gpus ?? spec.run?.gpus;
  return lock.stack.cuda !== null && wanted !== "none" && wanted !== 0;
}

/**
 * The fixes of an E_HOST_UNFIT refusal, each once: the findings' own, then `--cpu-ok` unless one of them
 * already says it; `torchstack up` in them keeps the user's `-f FILE`.
 */
export function hostUnfitFixes(findings: readonly HostFitFinding[], explicitFile?: string): string[] {
  const fixes = [...new Set(findings.flatMap((f) => f.fix))];
  if (!fixes.some((fix) => fix.includes("--cpu-ok")))
    fixes.push("or start without GPUs: torchstack up --cpu-ok");
  return explicitFile === undefined
    ? fixes
    : fixes.map((fix) => fix.replace("torchstack up --cpu-ok", `torchstack up -f ${explicitFile} --cpu-ok`));
}

async function checkHostFit(
  spec: Spec,
  lock: LockFile,
  options: EnvironmentImageOptions,
  explicitFile: string | undefined,
): Promise<HostFitFinding[]> {
  const asked = options.hostFit ?? "off";
  const mode = asked === "refuse" && !wantsGpus(spec, lock, options.gpus) ? "warn" : asked;
  if (mode === "off") return [];
  const host = await detectHostFacts(options.env);
  const findings = hostFit(lock, {
    host,
    platform: platformOfArch(process.arch),
    ...(options.gpuRuntime === undefined ? {} : { gpuRuntime: options.gpuRuntime }),
  });
  if (mode === "refuse" && findings.length > 0) {
    throw new TorchstackError(
      "E_HOST_UNFIT",
      `this host cannot run the locked stack (torch ${lock.stack.torch} ${lock.stack.wheel}):\n${findings.map((f) => `  - ${f.message}`).join("\n")}`,
      {
        remedies: hostUnfitFixes(findings, explicitFile),
        details: { findings },
      },
    );
  }
  for (const finding of findings)
    options.reporter.warn(`${finding.message} (${finding.code}); fix: ${finding.fix[0] ?? ""}`);
  return findings;
}

export async function loadEnvironmentImage(
  cwd: string,
  explicitFile: string | undefined,
  options: EnvironmentImageOptions,
): Promise<EnvironmentImage> {
  const project = await loadProject({
    cwd,
    file: explicitFile,
    lock: options.createLock ? "optional" : "required",
    fresh: { env: options.env },
  });
  const { specFile, spec, lockPath } = project;
  const lockCreated = project.lock === undefined;
  let lock: LockFile;
  if (project.lock === undefined) {
    const locked = await lockProject(project, { env: options.env });
    lock = locked.lock;
    writeLock(lockPath, lock);
    options.reporter.info(
      `wrote ${lockPath}, resolved for ${describeResolvedFor(locked.resolvedFor)} (there was no lock; commit it to make builds repeatable)`,
    );
  } else lock = project.lock;
  if (options.lockWheels && lock.torchSource === "wheels" && !lock.wheels) {
    lock = await options.lockWheels(lock, spec);
    writeLock(lockPath, lock);
    options.reporter.info(
      `recorded ${lock.wheels?.wheels.length ?? 0} wheels by sha256 in ${lockPath} (the lock had none; commit it)`,
    );
  }
  const fit = await checkHostFit(spec, lock, options, explicitFile);
  return {
    specFile,
    spec,
    lockPath,
    lock,
    tags: { stack: stackTag(lock.name, lock.stack, lock.flavor), lock: lockTag(lock.name, lockDigest(lock)) },
    lockCreated,
    hostFit: fit,
    inventory: () => project.inventory(),
  };
}

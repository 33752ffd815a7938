/**
 * The path from a spec file to a lock, shared by `lock`, `render` and `build`.
 * Writing a lock (`lockSpec`, `lockProject`) resolves for the spec's `targets`, or,
 * when it has none, for the host it runs on (read only then, and only for CUDA
 * wheels), and records which in the lock. Checking a lock (`checkSpecLock`) is the
 * project loader's freshness check, which never reads the host. Keeps the digest of
 * a previous lock for the same base (digests are only learnt online).
 */
import { type Catalog, loadCatalog } from "../catalog/catalog.js";
import type { DigestLookup } from "../engine/registry/registry-digest.js";
import { detectHostFacts } from "../host/detect-host.js";
import type { HostFacts } from "../host/host-facts.js";
import type { Inventory } from "../inventory/inventory-schema.js";
import { assertAppChecksums } from "../lock/app-checksums.js";
import { buildLock, specHash } from "../lock/build-lock.js";
import { lockDigest } from "../lock/lock-file.js";
import type { LockFile } from "../lock/lock-schema.js";
import { type FreshnessOptions, loadProject, type Project } from "../project/load-project.js";
import {
  hasTargets,
  type ResolvedFor,
  requestFromSpec,
  resolvedForSpec,
} from "../resolve/request-from-spec.js";
import type { ResolveResult } from "../resolve/resolve-request.js";
import { resolveStack } from "../resolve/resolve-stack.js";
import type { ResolvedStack } from "../resolve/stack.js";
import type { Spec } from "../spec/schema.js";
import { baseImageRef } from "../spec/spec-base.js";
import { type Platform, platformOfArch } from "../spec/targets-schema.js";
import { assertBasePython } from "./base-python.js";
import type { WheelLocker } from "./lock-wheels.js";

export interface LockedSpec {
  specFile: string;
  spec: Spec;
  stack: ResolvedStack;
  warnings: string[];
  /** What happened to the base image's digest (looked up, kept, or why not). */
  notes: string[];
  lock: LockFile;
  lockPath: string;
  /** What the stack was resolved for (also in the lock). */
  resolvedFor: ResolvedFor;
  /** The lock already on disk, when there is one and it reads cleanly (so `lock --check` reads it once). */
  previous?: LockFile;
}

export interface LockSpecOptions {
  env: NodeJS.ProcessEnv;
  /** Do not read the host's driver and GPUs (resolve for the spec's targets or none). */
  noHost?: boolean;
  /** Injected host facts (tests); default: detectHostFacts(env) when the spec needs them. */
  host?: HostFacts;
  /** The host's CPU platform; default: this process's (`process.arch`). */
  hostPlatform?: Platform;
  /** Default: the built-in catalog with the state folder's overlay (`loadCatalog`). */
  catalog?: Catalog;
  /** Ask the registry for the base image's digest when no earlier lock has one (`torchstack lock`). */
  lookupBaseDigest?: (ref: string) => Promise<DigestLookup>;
  /** Resolve and record every wheel by sha256 (`lock` without --offline); without it the wheels stay unhashed. */
  lockWheels?: WheelLocker;
}

/** CUDA wheels without targets depend on the host's driver and GPUs; CPU and distro torch do not. */
export function needsHost(spec: Spec): boolean {
  return !hasTargets(spec) && spec.torchSource !== "distro" && spec.cuda !== "cpu";
}

export interface SpecResolution {
  result: ResolveResult;
  resolvedFor: ResolvedFor;
}

/** Resolve for the spec's targets, else for the host (read here, unless noHost). */
export async function resolveSpec(spec: Spec, options: LockSpecOptions): Promise<SpecResolution> {
  const host =
    options.host ?? (!options.noHost && needsHost(spec) ? await detectHostFacts(options.env) : undefined);
  const resolvedFor = resolvedForSpec(spec, host, options.hostPlatform ?? platformOfArch(process.arch));
  const catalog = options.catalog ?? (await loadCatalog({ env: options.env }));
  return { result: resolveStack(requestFromSpec(spec, resolvedFor), catalog), resolvedFor };
}

/** A project opened with its spec, and its lock when there is one to keep facts from. */
export type ProjectToLock = Pick<Project, "specFile" | "lockPath" | "lock"> & { spec: Spec };

export async function lockSpec(specFile: string, options: LockSpecOptions): Promise<LockedSpec> {
  // an unreadable old lock is simply replaced
  return lockProject(await loadProject({ cwd: process.cwd(), file: specFile, lock: "replaceable" }), options);
}

/** Resolves an opened project into its lock (not written), keeping what the previous lock learnt. */
export async function lockProject(project: ProjectToLock, options: LockSpecOptions): Promise<LockedSpec> {
  const { spec, specFile, lockPath } = project;
  const { result, resolvedFor } = await resolveSpec(spec, options);
  const ref = baseImageRef(spec);
  const previous = project.lock;
  let digest: string | null = previous?.base.ref === ref ? previous.base.digest : null;
  const notes: string[] = [];
  if (digest === null && options.lookupBaseDigest) {
    const found = await options.lookupBaseDigest(ref);
    digest = found.digest;
    notes.push(
      found.digest
        ? `base image ${ref} pinned to ${found.digest}`
        : `base image ${ref} not pinned to a digest: ${found.reason} (run \`torchstack lock\` again when it is reachable)`,
    );
  }
  const unhashed = buildLock({
    spec,
    specFile,
    stack: result.stack,
    resolvedFor,
    baseImage: { ref, digest },
  });
  assertBasePython(unhashed);
  const built = options.lockWheels ? await options.lockWheels(unhashed, spec, previous) : unhashed;
  // Pushed references stay while they still describe the same image (same lock digest).
  assertAppChecksums(built);
  const same = previous !== undefined && lockDigest(previous) === lockDigest(built);
  // The inventory a build recorded stays too: it still describes what this lock installs.
  const lock = {
    ...built,
    ...(same && previous?.images ? { images: previous.images } : {}),
    ...(same && previous?.inventory ? { inventory: previous.inventory } : {}),
  };
  return {
    specFile,
    spec,
    stack: result.stack,
    warnings: result.warnings,
    notes,
    lock,
    lockPath,
    resolvedFor,
    ...(previous ? { previous } : {}),
  };
}

/** "the spec's targets (H100 SXM, GeForce RTX 5090; driver ≥ 570.86)" / "this host (…)" / "no GPU or driver". */
export function describeResolvedFor(resolvedFor: ResolvedFor): string {
  const gpus = resolvedFor.gpus.map((g) => g.label).join(", ") || "no GPU";
  const driver =
    resolvedFor.driver === null
      ? "driver not checked"
      : resolvedFor.driver === "none"
        ? "no NVIDIA driver"
        : `driver ${resolvedFor.driver}`;
  const what = `${gpus}; ${driver}; ${resolvedFor.platform}`;
  if (resolvedFor.source === "targets") return `the spec's targets (${what})`;
  if (resolvedFor.source === "host")
    return `this host (${what}); add \`targets\` to the spec to lock for other machines`;
  return `no particular GPU or driver (${what})`;
}

export interface LockCheck {
  lockPath: string;
  lock: LockFile;
  resolvedFor: ResolvedFor;
  warnings: string[];
  /** The inventory the lock names (`lock --check --image` compares an image with it). */
  inventory: () => Inventory | undefined;
}

/**
 * `lock --check`: the lock on disk against the spec and the catalog, re-resolved for
 * the targets the lock records; E_NO_LOCK, E_LOCK_INVALID or E_LOCK_STALE otherwise.
 */
export async function checkSpecLock(specFile: string, options: FreshnessOptions): Promise<LockCheck> {
  const project = await loadProject({ cwd: process.cwd(), file: specFile, lock: "required", fresh: options });
  const { lockPath, lock, freshness } = project;
  return { lockPath, lock, ...freshness, inventory: () => project.inventory() };
}

export interface RenderLock {
  lock: LockFile;
  /** "lock": the lock on disk as written; "spec": resolved from the spec (no lock yet). */
  from: "lock" | "spec";
  lockPath: string;
  /** What the reporter should say (which source, a changed spec). */
  notes: string[];
  warnings: string[];
}

/**
 * The lock `render` uses: the one beside the spec as written when it exists (saying so,
 * and warning when the spec changed since), else the spec resolved for its targets
 * without reading the host (`requireLock`: E_NO_LOCK instead).
 */
export async function lockForRender(
  specFile: string,
  options: Pick<LockSpecOptions, "env" | "catalog"> & { requireLock: boolean },
): Promise<RenderLock> {
  const project = await loadProject({
    cwd: process.cwd(),
    file: specFile,
    lock: options.requireLock ? "required" : "optional",
  });
  const { spec, lock, lockPath } = project;
  if (lock) {
    const notes = [`rendering ${lockPath} as written (\`torchstack lock\` re-resolves it)`];
    const warnings =
      specHash(spec) === lock.specHash
        ? []
        : [
            `${specFile} changed since ${lockPath} was written: run \`torchstack lock\` to render the spec as it is now`,
          ];
    return { lock, from: "lock", lockPath, notes, warnings };
  }
  const locked = await lockProject(project, { ...options, noHost: true });
  const notes = [
    `no ${lockPath}: rendering the spec resolved for ${describeResolvedFor(locked.resolvedFor)}; \`torchstack lock\` pins it`,
  ];
  return { lock: locked.lock, from: "spec", lockPath, notes, warnings: locked.warnings };
}

/**
 * Builds the lock from a loaded spec and its resolved stack: pure, no network.
 * The base image digest is passed in (null when no registry was reachable), so
 * locking never blocks on the network.
 */

import type { ResolvedFor } from "../resolve/request-from-spec.js";
import type { ResolvedStack } from "../resolve/stack.js";
import type { Spec } from "../spec/schema.js";
import { baseImageRef, baseOsId } from "../spec/spec-base.js";
import { DEFAULT_PORTS, distroBaseOf } from "../spec/spec-checks.js";
import { canonicalJson, sha256Hex } from "./canonical-json.js";
import { type LockFile, lockSchema, type Pin } from "./lock-schema.js";
import { appPins, aptPin, indexUrlFor, pipPin, torchPins } from "./pins.js";
import { torchWheelSource } from "./wheels/torch-wheel-source.js";

export interface BuildLockInput {
  spec: Spec;
  /** The spec's path (kept for messages; the lock itself stores no absolute paths). */
  specFile: string;
  stack: ResolvedStack;
  /** What the stack was resolved for (recorded so the lock checks the same on any machine). */
  resolvedFor?: ResolvedFor;
  /** Default: the spec's base reference with digest null. */
  baseImage?: { ref: string; digest: string | null };
}

const DEFAULT_USER = { name: "dev", uid: 1000, gid: 1000 } as const;

/**
 * sha256 of the spec as loaded (parents merged), keys sorted. `extends` itself is
 * left out, and so is `job`: how the image is launched (ranks, nodes, scheduler)
 * does not change the environment, so editing it neither stales the lock nor
 * renames the image.
 */
export function specHash(spec: Spec): string {
  const { extends: _parent, job: _job, ...content } = spec;
  return `sha256:${sha256Hex(canonicalJson(content))}`;
}

type AppLocks = LockFile["apps"];

function appsFor(spec: Spec): AppLocks {
  const apps: AppLocks = {};
  const portOf = (value: unknown, fallback: number) =>
    typeof value === "object" && value !== null && "port" in value && typeof value.port === "number"
      ? value.port
      : fallback;
  const { jupyter, ssh, tensorboard, vscode } = spec.apps ?? {};
  if (jupyter) {
    // Debian 13 packages JupyterLab; Debian 12's distro Jupyter is Jupyter Server only.
    const labInstalled = spec.torchSource !== "distro" || distroBaseOf(spec) === "debian-13";
    const lab = labInstalled && !(typeof jupyter === "object" && jupyter.lab === false);
    apps.jupyter = { port: portOf(jupyter, DEFAULT_PORTS.jupyter), ui: lab ? "lab" : "server" };
  }
  if (ssh) apps.ssh = { port: portOf(ssh, DEFAULT_PORTS.ssh) };
  if (tensorboard) {
    const logdir = typeof tensorboard === "object" ? tensorboard.logdir : undefined;
    apps.tensorboard = {
      port: portOf(tensorboard, DEFAULT_PORTS.tensorboard),
      ...(logdir ? { logdir } : {}),
    };
  }
  if (vscode) apps.vscode = { port: portOf(vscode, DEFAULT_PORTS.vscode) };
  return apps;
}

function userFor(spec: Spec): LockFile["user"] {
  const user = spec.user;
  if (!user) return { ...DEFAULT_USER };
  return {
    name: user.name,
    uid: typeof user.uid === "number" ? user.uid : DEFAULT_USER.uid,
    gid: typeof user.gid === "number" ? user.gid : DEFAULT_USER.gid,
  };
}

/** Downloads for an aarch64 image take the arm64 build (code-server's linux-amd64 tarball → linux-arm64). */
function forPlatform(pins: Pin[], platform: LockFile["platform"]): Pin[] {
  if (platform !== "aarch64") return pins;
  return pins.map((pin) =>
    pin.url?.includes("-linux-amd64.")
      ? { ...pin, url: pin.url.replace("-linux-amd64.", "-linux-arm64."), sha256: null }
      : pin,
  );
}

export function buildLock(input: BuildLockInput): LockFile {
  const { spec, stack } = input;
  const platform = input.resolvedFor?.platform ?? spec.platform ?? "x86_64";
  const source = torchWheelSource(stack, platform);
  const lock: LockFile = {
    lockVersion: 1,
    name: spec.name,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    ...(spec.source === undefined ? {} : { source: spec.source }),
    specHash: specHash(spec),
    torchSource: spec.torchSource ?? "wheels",
    flavor: spec.flavor ?? "runtime",
    platform,
    stack: { ...stack, archList: [...stack.archList] },
    ...(input.resolvedFor ? { resolvedFor: input.resolvedFor } : {}),
    base: {
      os: baseOsId(spec),
      ref: input.baseImage?.ref ?? baseImageRef(spec),
      digest: input.baseImage?.digest ?? null,
    },
    indexUrl: indexUrlFor(spec, stack, source),
    pins: {
      torch: torchPins(spec, stack, source),
      pip: (spec.packages?.pip ?? []).map(pipPin),
      apt: (spec.packages?.apt ?? []).map(aptPin),
      apps: forPlatform(appPins(spec), platform),
    },
    apps: appsFor(spec),
    user: userFor(spec),
  };
  return lockSchema.parse(lock);
}

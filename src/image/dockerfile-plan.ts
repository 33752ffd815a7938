/**
 * The decisions behind a Dockerfile, made once from the lock: where Python
 * comes from, which OS packages each layer installs, what the app layer adds.
 * Keeping them here leaves render-dockerfile.ts a plain sequence of sections.
 */

import type { BaseOs } from "../catalog/base-images.js";
import { type DistroTorch, distroTorchForRequirements } from "../catalog/distro-torch.js";
import type { LockFile, Pin } from "../lock/lock-schema.js";
import { lockBaseOs } from "../lock/wheels/wheel-platform.js";

export type PythonSource =
  /** The OS's python3 matches the stack: apt python3 + venv. */
  | { kind: "os"; version: string }
  /** uv's managed CPython (python-build-standalone): any version on any base. */
  | { kind: "uv"; version: string; osPython: string | null };

export interface DockerfilePlan {
  lock: LockFile;
  os: BaseOs | null;
  python: PythonSource;
  /** The distribution's torch row, for torchSource: distro. */
  distro: DistroTorch | undefined;
  /** What inductor needs on this distro beyond a compiler (Debian 13: setuptools, ATen headers), installed with torch. */
  torchCompilePackages: string[];
  /** Where the TCPStore libuv fallback goes (the OS Python's site folder), when this torch needs it. */
  libuvFallbackSite: string | undefined;
  /** OS packages of the first layer (sorted, unpinned unless the version is known). */
  osPackages: string[];
  /** Apt packages of the app layer (openssh-server, python3-jupyter-server …). */
  appApt: Pin[];
  /** Pip packages of the app layer (jupyterlab, tensorboard). */
  appPip: Pin[];
  /** code-server download, when vscode is on. */
  appDownload: Pin | undefined;
  /** "12.8" when the devel flavor installs nvcc. */
  nvcc: string | null;
  /** A label/tag-friendly summary: "torch2.7.1-cu128-py3.12-runtime". */
  contentTag: string;
}

function pythonSource(lock: LockFile, os: BaseOs | null): PythonSource {
  const version = lock.stack.python;
  if (lock.torchSource === "distro") return { kind: "os", version };
  if (os && os.python === version) return { kind: "os", version };
  return { kind: "uv", version, osPython: os?.python ?? null };
}

export function contentTag(lock: LockFile): string {
  const variant = lock.torchSource === "distro" ? "distro" : lock.stack.wheel;
  return `torch${lock.stack.torch}-${variant}-py${lock.stack.python}-${lock.flavor}`;
}

export function planDockerfile(lock: LockFile): DockerfilePlan {
  // A named base, or an image whose reference says Debian 12 or 13 (the local bases): its Python and apt.
  const os = lockBaseOs(lock);
  const python = pythonSource(lock, os);
  const packages = new Set(["ca-certificates", "tini"]);
  if (python.kind === "os") for (const p of ["python3", "python3-venv"]) packages.add(p);
  if (lock.torchSource === "distro") packages.add("python3-pip");
  const distro =
    lock.torchSource === "distro"
      ? distroTorchForRequirements(lock.pins.torch.map((p) => p.requirement))
      : undefined;
  if (lock.flavor !== "runtime") {
    for (const p of ["gcc", "g++", "make"]) packages.add(p);
    if (python.kind === "os") packages.add("python3-dev");
  }
  const appDownload = lock.pins.apps.find((p) => p.manager === "download");
  const nvcc = lock.flavor === "devel" && lock.stack.cuda && os ? lock.stack.cuda : null;
  if (appDownload || nvcc) packages.add("curl");
  return {
    lock,
    os,
    python,
    distro,
    torchCompilePackages: lock.flavor === "runtime" ? [] : [...(distro?.compilePackages ?? [])],
    libuvFallbackSite: distro?.tcpstoreNeedsLibuvFallback
      ? `/usr/local/lib/python${distro.python}/dist-packages`
      : undefined,
    osPackages: [...packages].sort(),
    appApt: lock.pins.apps.filter((p) => p.manager === "apt"),
    appPip: lock.pins.apps.filter((p) => p.manager === "pip"),
    appDownload,
    nvcc,
    contentTag: contentTag(lock),
  };
}

/**
 * Turns a spec and its resolved stack into pins: the exact torch packages
 * (wheels or Debian packages), the user's pip and apt packages as written, and
 * the app packages torchstack installs. Pure data in, data out.
 */

import {
  type AppPackage,
  CODE_SERVER,
  DEBIAN_13_JUPYTERLAB,
  DEBIAN_JUPYTER_SERVER,
  JUPYTERLAB,
  OPENSSH_SERVER,
  TENSORBOARD,
} from "../catalog/app-versions.js";
import { distroTorchFor } from "../catalog/distro-torch.js";
import type { ResolvedStack } from "../resolve/stack.js";
import type { Spec } from "../spec/schema.js";
import { distroBaseOf } from "../spec/spec-checks.js";
import type { Pin } from "./lock-schema.js";
import { type TorchWheelSource, torchIndexUrl } from "./wheels/torch-wheel-source.js";

const PIP_REQUIREMENT = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(?:==\s*([A-Za-z0-9.+!_-]+)\s*)?(.*)$/;

/** "numpy==2.2.6" → {name numpy, version 2.2.6}; "pandas>=2" → version null (open). */
export function pipPin(requirement: string): Pin {
  const match = PIP_REQUIREMENT.exec(requirement.trim());
  const name = (match?.[1] ?? requirement).toLowerCase().replace(/[._]+/g, "-");
  const exact = match?.[3] !== undefined && (match[4] ?? "") === "";
  return {
    name,
    version: exact ? (match?.[3] ?? null) : null,
    manager: "pip",
    requirement: requirement.trim(),
  };
}

/** "git" → open; "git=1:2.39.5-0+deb12u1" → pinned. */
export function aptPin(requirement: string): Pin {
  const [name = requirement, version] = requirement.split("=", 2);
  return { name, version: version ?? null, manager: "apt", requirement };
}

function appPin(pkg: AppPackage): Pin {
  const pinned = pkg.version !== "";
  const requirement =
    pkg.manager === "pip"
      ? `${pkg.name}==${pkg.version}`
      : pkg.manager === "apt" && pinned
        ? `${pkg.name}=${pkg.version}`
        : pkg.name;
  return {
    name: pkg.name,
    version: pinned ? pkg.version : null,
    manager: pkg.manager,
    requirement,
    ...(pkg.url ? { url: pkg.url, sha256: pkg.sha256 ?? null } : {}),
  };
}

export function indexUrlFor(spec: Spec, stack: ResolvedStack, source: TorchWheelSource): string | null {
  return spec.torchSource === "distro" ? null : torchIndexUrl(spec, source, stack.wheel);
}

export function torchPins(spec: Spec, stack: ResolvedStack, source: TorchWheelSource): Pin[] {
  const wantVision = spec.torchvision !== false;
  const wantAudio = spec.torchaudio !== false;
  if (spec.torchSource === "distro") {
    const row = distroTorchFor(distroBaseOf(spec));
    const pin = (name: string, version: string | null | undefined) =>
      version ? [aptPin(`${name}=${version}`)] : [];
    return [
      ...pin("python3-torch", row?.packages.torch),
      ...(wantVision ? pin("python3-torchvision", row?.packages.torchvision) : []),
      ...(wantAudio ? pin("python3-torchaudio", row?.packages.torchaudio) : []),
    ];
  }
  // The PyTorch index's builds carry their variant as a local label: `==2.7.1` alone is also PyPI's build.
  const label = source.localLabel ? `+${source.localLabel}` : "";
  const pins: Pin[] = [pipPin(`torch==${stack.torch}${label}`)];
  if (wantVision && stack.torchvision) pins.push(pipPin(`torchvision==${stack.torchvision}${label}`));
  if (wantAudio && stack.torchaudio) pins.push(pipPin(`torchaudio==${stack.torchaudio}${label}`));
  return pins;
}

export function appPins(spec: Spec): Pin[] {
  const apps = spec.apps ?? {};
  const distro = spec.torchSource === "distro";
  const pins: Pin[] = [];
  // Debian 12 has Jupyter Server 1.23, Debian 13 JupyterLab 4.0; other distributions get Jupyter Server, unpinned.
  const base = distroBaseOf(spec);
  const distroJupyter =
    base === "debian-12"
      ? DEBIAN_JUPYTER_SERVER
      : base === "debian-13"
        ? DEBIAN_13_JUPYTERLAB
        : { ...DEBIAN_JUPYTER_SERVER, version: "" };
  if (apps.jupyter) pins.push(appPin(distro ? distroJupyter : JUPYTERLAB));
  if (apps.ssh) pins.push(appPin(OPENSSH_SERVER));
  if (apps.tensorboard) pins.push(appPin(TENSORBOARD));
  if (apps.vscode) {
    // The spec's checksum wins over the catalog's (which has none for a release it could not download).
    const sha256 = typeof apps.vscode === "object" ? apps.vscode.sha256 : undefined;
    pins.push(appPin(sha256 ? { ...CODE_SERVER, sha256 } : CODE_SERVER));
  }
  return pins;
}

/**
 * Picking the torch release and the Python version: exact ("2.7.1") or minor
 * ("2.7" = newest patch), default = newest confirmed release; Python defaults
 * to the newest the release supports that is at most 3.12 (see docs/resolve-policy.md).
 * Failures carry no "use --torch …" fixes: those are alternatives, which the
 * resolver writes only after proving that each one resolves (with-alternatives.ts).
 */
import type { TorchRelease } from "../catalog/torch-releases.js";
import { compareVersions, minorOf, versionParts } from "../catalog/version-order.js";
import { ResolveError } from "../errors/torchstack-error.js";
import { humanList } from "./human-list.js";

/** Default Python cap: wheels for the wider ecosystem (extensions, Ubuntu 24.04's python3) are surest here. */
const DEFAULT_PYTHON_CAP = "3.12";

export function newestPatches(releases: readonly TorchRelease[]): TorchRelease[] {
  const byMinor = new Map<string, TorchRelease>();
  for (const release of releases) byMinor.set(minorOf(release.version), release);
  return [...byMinor.values()].sort((a, b) => compareVersions(b.version, a.version));
}

/** Every release, newest first. */
export function newestFirst(releases: readonly TorchRelease[]): TorchRelease[] {
  return [...releases].sort((a, b) => compareVersions(b.version, a.version));
}

export function newestConfirmed(releases: readonly TorchRelease[]): TorchRelease {
  const newest = newestFirst(releases).find((r) => r.unconfirmed === undefined);
  if (!newest) throw new ResolveError("E_CATALOG", "the torch catalog has no confirmed release");
  return newest;
}

/** The known releases nearest to a wanted version: patches of its minor, else the three nearest minors. */
export function nearestReleases(releases: readonly TorchRelease[], wanted: string): TorchRelease[] {
  const sameMinor = newestFirst(releases).filter((r) => minorOf(r.version) === minorOf(wanted));
  if (sameMinor.length > 0) return sameMinor;
  const key = (v: number[]) => (v[0] ?? 0) * 1e6 + (v[1] ?? 0) * 1e3 + (v[2] ?? 0);
  const target = key(versionParts(wanted));
  return newestPatches(releases)
    .map((r) => ({ release: r, distance: Math.abs(key(versionParts(r.version)) - target) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 3)
    .map(({ release }) => release);
}

export function findRelease(
  releases: readonly TorchRelease[],
  torch: string | undefined,
): { release: TorchRelease; why: string } {
  if (torch === undefined) {
    const release = newestConfirmed(releases);
    return { release, why: `newest confirmed release (no torch version requested)` };
  }
  const exact = releases.find((r) => r.version === torch);
  if (exact) return { release: exact, why: `requested exactly` };
  if (/^\d+\.\d+$/.test(torch)) {
    const newest = newestFirst(releases).find((r) => minorOf(r.version) === torch);
    if (newest) return { release: newest, why: `newest patch of ${torch}` };
  }
  const ordered = newestFirst(releases);
  const first = ordered.at(-1)?.version ?? "?";
  const last = ordered[0]?.version ?? "?";
  const sameMinor = ordered.filter((r) => minorOf(r.version) === minorOf(torch)).map((r) => r.version);
  const patches =
    sameMinor.length > 0 ? `; torch ${minorOf(torch)} has ${humanList(sameMinor.reverse())}` : "";
  const fixes =
    versionParts(torch)[0] === 1
      ? ["torch 1.13.1 is available CPU-only from Debian 12's python3-torch: set `torchSource: distro`"]
      : [];
  throw new ResolveError(
    "E_UNKNOWN_TORCH",
    `torch ${torch} is not in the catalog, which knows torch ${first} … ${last}${patches}`,
    { remedies: fixes },
  );
}

function pythonKey(python: string): number {
  return Number(python.replace(/t$/, "").split(".")[1] ?? 0);
}

/** Does the release have (regular or experimental) wheels for this Python? */
export function hasPython(release: TorchRelease, python: string): boolean {
  return release.python.includes(python) || (release.pythonExperimental?.includes(python) ?? false);
}

export function choosePython(
  release: TorchRelease,
  requested: string | undefined,
): { python: string; why: string; warning?: string } {
  const stable = release.python.filter((p) => !p.endsWith("t"));
  if (requested === undefined) {
    const capped = stable.filter((p) => pythonKey(p) <= pythonKey(DEFAULT_PYTHON_CAP));
    const python = capped.at(-1) ?? stable[0] ?? "3.12";
    return {
      python,
      why: `newest Python torch ${release.version} supports that is ≤ ${DEFAULT_PYTHON_CAP} (policy)`,
    };
  }
  if (release.python.includes(requested)) return { python: requested, why: "requested" };
  if (release.pythonExperimental?.includes(requested)) {
    return {
      python: requested,
      why: "requested",
      warning: `Python ${requested} is experimental/preview for torch ${release.version}; supported: ${humanList(release.python)}`,
    };
  }
  throw new ResolveError(
    "E_PYTHON_UNSUPPORTED",
    `torch ${release.version} has no wheels for Python ${requested}; it supports Python ${humanList(release.python)}`,
  );
}

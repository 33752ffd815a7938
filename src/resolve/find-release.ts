/**
 * Picking the torch release and the Python version: exact ("2.7.1") or minor
 * ("2.7" = newest patch), default = newest confirmed release; Python defaults
 * to the newest the release supports that is at most 3.12 (see docs/resolve-policy.md).
 */
import { TORCH_RELEASES, type TorchRelease } from "../catalog/torch-releases.js";
import { compareVersions, minorOf, versionParts } from "../catalog/version-order.js";
import { ResolveError } from "../errors/torchstack-error.js";
import { humanList } from "./human-list.js";

/** Default Python cap: wheels for the wider ecosystem (extensions, Ubuntu 24.04's python3) are surest here. */
const DEFAULT_PYTHON_CAP = "3.12";

export function newestPatches(): TorchRelease[] {
  const byMinor = new Map<string, TorchRelease>();
  for (const release of TORCH_RELEASES) byMinor.set(minorOf(release.version), release);
  return [...byMinor.values()].sort((a, b) => compareVersions(b.version, a.version));
}

function newestConfirmed(): TorchRelease {
  const confirmed = TORCH_RELEASES.filter((r) => r.unconfirmed === undefined);
  const newest = confirmed.at(-1);
  if (!newest) throw new ResolveError("E_CATALOG", "the torch catalog has no confirmed release");
  return newest;
}

/** Remedies naming the nearest releases, confirmed ones first (unconfirmed ones say so). */
function nearestRemedies(wanted: string): string[] {
  const [major = 0, minor = 0, patch = 0] = versionParts(wanted);
  const key = (v: number[]) => (v[0] ?? 0) * 1e6 + (v[1] ?? 0) * 1e3 + (v[2] ?? 0);
  const target = key([major, minor, patch]);
  return newestPatches()
    .map((r) => ({ release: r, distance: Math.abs(key(versionParts(r.version)) - target) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 3)
    .sort((a, b) => Number(a.release.unconfirmed !== undefined) - Number(b.release.unconfirmed !== undefined))
    .map(({ release }) =>
      release.unconfirmed === undefined
        ? `use --torch ${release.version} (nearest known release)`
        : `use --torch ${release.version} (nearest known release; unconfirmed, its catalog facts are UNVERIFIED)`,
    );
}

export function findRelease(torch: string | undefined): { release: TorchRelease; why: string } {
  if (torch === undefined) {
    const release = newestConfirmed();
    return { release, why: `newest confirmed release (no torch version requested)` };
  }
  const exact = TORCH_RELEASES.find((r) => r.version === torch);
  if (exact) return { release: exact, why: `requested exactly` };
  if (/^\d+\.\d+$/.test(torch)) {
    const patches = TORCH_RELEASES.filter((r) => minorOf(r.version) === torch);
    const newest = patches.at(-1);
    if (newest) return { release: newest, why: `newest patch of ${torch}` };
  }
  const first = TORCH_RELEASES[0]?.version ?? "?";
  const last = TORCH_RELEASES.at(-1)?.version ?? "?";
  const sameMinor = TORCH_RELEASES.filter((r) => minorOf(r.version) === minorOf(torch)).map((r) => r.version);
  const remedies =
    sameMinor.length > 0
      ? [
          `torch ${minorOf(torch)} has patch releases ${humanList(sameMinor)}: use --torch ${sameMinor.at(-1)}`,
        ]
      : nearestRemedies(torch);
  if (versionParts(torch)[0] === 1) {
    remedies.push(
      "torch 1.13.1 is available CPU-only from Debian 12's python3-torch: set `torchSource: distro`",
    );
  }
  throw new ResolveError(
    "E_UNKNOWN_TORCH",
    `torch ${torch} is not in the catalog, which knows torch ${first} … ${last}`,
    { remedies },
  );
}

function pythonKey(python: string): number {
  return Number(python.replace(/t$/, "").split(".")[1] ?? 0);
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
  const others = newestPatches()
    .filter((r) => r.unconfirmed === undefined && r.python.includes(requested))
    .map((r) => r.version);
  const remedies = [`use --python ${stable.at(-1) ?? ""} (or any of ${humanList(release.python)})`];
  if (others.length > 0) {
    remedies.push(
      `Python ${requested} is supported by torch ${humanList(others.slice(0, 4))}: use --torch ${others[0]}`,
    );
  }
  throw new ResolveError(
    "E_PYTHON_UNSUPPORTED",
    `torch ${release.version} has no wheels for Python ${requested}; it supports Python ${humanList(release.python)}`,
    { remedies },
  );
}

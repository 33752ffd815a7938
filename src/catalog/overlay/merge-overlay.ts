/**
 * Merging the wheel-index overlay onto the built-in catalog (pure). The index
 * is the primary source for which variants, Pythons and platforms a release has
 * and for the cuDNN, NCCL, CUDA runtime and triton pins in each wheel's
 * metadata; it cannot say which architectures a wheel was compiled for, so a
 * variant keeps the built-in list or, for a variant or release new to
 * torchstack, inherits the list of the same variant in the previous release,
 * marked inferred. Releases new to torchstack stay `unconfirmed` (never the
 * default torch) until the built-in catalog confirms their architecture lists.
 */

import type { Catalog } from "../catalog.js";
import type { Provenance } from "../provenance.js";
import { cudaOfWheel, type TorchRelease, type WheelVariant } from "../torch-release-types.js";
import { compareVersions } from "../version-order.js";
import type { IndexRelease, IndexVariant, Overlay } from "./overlay-schema.js";

function indexSource(overlay: Overlay, what: string): Provenance {
  const from = overlay.sources?.filter((s) => s.outcome !== "unreachable").map((s) => s.url) ?? [
    overlay.index,
  ];
  return {
    status: "primary",
    ref: `${from.join(" + ")} (${what})`,
    date: overlay.fetchedAt.slice(0, 10),
  };
}

function inferred(overlay: Overlay, note: string): Provenance {
  return { status: "unverified", ref: "inference", date: overlay.fetchedAt.slice(0, 10), note };
}

const pythonOrder = (p: string) =>
  Number(p.replace(/t$/, "").split(".")[1] ?? 0) * 2 + (p.endsWith("t") ? 1 : 0);
const byPython = (a: string, b: string) => pythonOrder(a) - pythonOrder(b);
const byCuda = (a: WheelVariant, b: WheelVariant) =>
  a.cuda === null ? -1 : b.cuda === null ? 1 : compareVersions(a.cuda, b.cuda);

/** The newest release before `version` that has a variant `wheel`. */
function previousVariant(
  releases: readonly TorchRelease[],
  version: string,
  wheel: string,
): { release: TorchRelease; variant: WheelVariant } | undefined {
  for (let i = releases.length - 1; i >= 0; i -= 1) {
    const release = releases[i];
    if (!release || compareVersions(release.version, version) >= 0) continue;
    const variant = release.variants.find((v) => v.wheel === wheel);
    if (variant) return { release, variant };
  }
  return undefined;
}

function mergeVariant(
  overlay: Overlay,
  fact: IndexVariant,
  known: WheelVariant | undefined,
  previous: { release: TorchRelease; variant: WheelVariant } | undefined,
  isNewRelease: boolean,
): WheelVariant {
  const source = indexSource(
    overlay,
    `metadata of ${fact.metadataUrl ?? fact.metadataFrom ?? `${fact.wheel} wheels`}`,
  );
  const pins = {
    platforms: fact.platforms,
    cudaRuntime: fact.cudaRuntime,
    triton: fact.triton,
    ...(fact.cusparselt ? { cusparselt: fact.cusparselt } : {}),
    ...(fact.nvshmem ? { nvshmem: fact.nvshmem } : {}),
    source,
  };
  if (known) {
    return {
      ...known,
      cudnn: fact.cudnn ?? known.cudnn,
      nccl: fact.nccl ?? known.nccl,
      ...pins,
      archSource: known.archSource ?? known.source,
    };
  }
  const archList = previous ? [...previous.variant.archList] : [];
  const archSource =
    fact.wheel === "cpu"
      ? source
      : previous
        ? inferred(
            overlay,
            `${fact.wheel} arch list inherited from torch ${previous.release.version} (the index does not list compiled architectures)`,
          )
        : inferred(overlay, `no earlier release has ${fact.wheel}: its compiled architectures are unknown`);
  const experimental = previous?.variant.experimental === true || (fact.wheel !== "cpu" && !previous);
  const indexOnly =
    fact.wheel !== "cpu" && (!isNewRelease || !previous || previous.variant.indexOnly === true);
  return {
    wheel: fact.wheel,
    cuda: cudaOfWheel(fact.wheel),
    cudnn: fact.cudnn,
    nccl: fact.nccl,
    archList,
    ...(experimental ? { experimental: true } : {}),
    ...(indexOnly ? { indexOnly: true } : {}),
    ...pins,
    archSource,
  };
}

/**
 * Python versions split into regular and preview ones. A known release keeps its built-in lists
 * and adds what the index shows (a mirror may hold fewer files). For a new release, a Python the
 * previous release had as preview, or one newer than every regular Python of the previous
 * release, is preview (inferred).
 */
function splitPythons(
  seen: readonly string[],
  known: TorchRelease | undefined,
  previous: TorchRelease | undefined,
): { python: string[]; pythonExperimental: string[] } {
  const minor = (p: string) => Number(p.replace(/t$/, "").split(".")[1] ?? 0);
  if (known) {
    const preview = new Set(known.pythonExperimental ?? []);
    const python = [...new Set([...known.python, ...seen.filter((p) => !preview.has(p))])].sort(byPython);
    return { python, pythonExperimental: [...preview].sort(byPython) };
  }
  const wasPreview = new Set(previous?.pythonExperimental ?? []);
  const newestRegular = Math.max(0, ...(previous?.python ?? []).map(minor));
  const python: string[] = [];
  const pythonExperimental: string[] = [];
  for (const p of [...new Set(seen)].sort(byPython)) {
    const preview = wasPreview.has(p) || (previous !== undefined && minor(p) > newestRegular);
    (preview ? pythonExperimental : python).push(p);
  }
  return { python, pythonExperimental };
}

function mergeRelease(overlay: Overlay, fact: IndexRelease, releases: readonly TorchRelease[]): TorchRelease {
  const known = releases.find((r) => r.version === fact.version);
  const isNew = known === undefined || known.unconfirmed !== undefined;
  const previousRelease = [...releases].reverse().find((r) => compareVersions(r.version, fact.version) < 0);
  const variants = new Map<string, WheelVariant>();
  if (known && !isNew) for (const v of known.variants) variants.set(v.wheel, v);
  for (const v of fact.variants) {
    const knownVariant = isNew ? undefined : known?.variants.find((k) => k.wheel === v.wheel);
    const previous = previousVariant(releases, fact.version, v.wheel);
    variants.set(v.wheel, mergeVariant(overlay, v, knownVariant, previous, isNew));
  }
  const merged = [...variants.values()].sort(byCuda);
  const seenPythons = fact.variants.flatMap((v) => v.pythons);
  const { python, pythonExperimental } = splitPythons(
    seenPythons,
    isNew ? undefined : known,
    previousRelease,
  );
  const listed = merged.filter((v) => v.cuda !== null && !v.indexOnly && !v.experimental);
  const pypiDefault =
    (fact.pypiDefault && variants.has(fact.pypiDefault) ? fact.pypiDefault : undefined) ??
    (known && !isNew ? known.pypiDefault : undefined) ??
    (previousRelease && variants.has(previousRelease.pypiDefault)
      ? previousRelease.pypiDefault
      : undefined) ??
    listed.at(-1)?.wheel ??
    "cpu";
  const requiresPython = fact.variants.find((v) => v.requiresPython)?.requiresPython ?? undefined;
  const base: TorchRelease = {
    version: fact.version,
    released: known?.released ?? overlay.fetchedAt.slice(0, 10),
    python,
    ...(pythonExperimental.length > 0 ? { pythonExperimental } : {}),
    pypiDefault,
    torchvision: fact.torchvision ?? known?.torchvision ?? null,
    torchaudio: fact.torchaudio ?? known?.torchaudio ?? null,
    variants: merged,
    source: known && !isNew ? known.source : indexSource(overlay, "wheel file names"),
    ...(requiresPython ? { requiresPython } : {}),
  };
  const torchOnly = fact.torchOnlyPython ?? (fact.torchvision === null ? known?.torchOnlyPython : undefined);
  if (torchOnly && torchOnly.length > 0) base.torchOnlyPython = torchOnly;
  if (fact.torchvision !== null || fact.torchaudio !== null) {
    base.pairingSource = indexSource(overlay, "torchvision/torchaudio Requires-Dist");
  } else if (known?.pairingSource) base.pairingSource = known.pairingSource;
  if (!isNew) return base;
  return {
    ...base,
    unconfirmed: `seen on the wheel index ${overlay.index} on ${overlay.fetchedAt.slice(0, 10)}; its compiled architecture lists are inherited from torch ${previousRelease?.version ?? "none"}, not confirmed`,
  };
}

export function mergeOverlay(builtin: Catalog, overlay: Overlay, file: string): Catalog {
  let releases = [...builtin.torchReleases];
  const changed: string[] = [];
  const facts = [...overlay.releases].sort((a, b) => compareVersions(a.version, b.version));
  for (const fact of facts) {
    const merged = mergeRelease(overlay, fact, releases);
    releases = releases.filter((r) => r.version !== fact.version);
    releases.push(merged);
    releases.sort((a, b) => compareVersions(a.version, b.version));
    changed.push(fact.version);
  }
  return {
    ...builtin,
    torchReleases: releases,
    provenance: {
      builtin: builtin.provenance.builtin,
      overlay: { ref: overlay.index, date: overlay.fetchedAt, file, releases: changed },
    },
  };
}

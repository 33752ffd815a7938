/**
 * From the three package pages of a wheel index (torch, torchvision,
 * torchaudio) to the overlay's release facts. Two pure steps: `metadataPlan`
 * picks the one wheel per release and variant whose `.metadata` to read (x86_64,
 * newest regular CPython), and `indexReleases` combines file names and the
 * metadata read into IndexRelease rows: variants, CPython tags, platforms,
 * pins, Requires-Python, the PyPI build's variant, and the torchvision and
 * torchaudio releases whose own Requires-Dist pins that torch.
 */
import type { IndexRelease, IndexVariant } from "../overlay/overlay-schema.js";
import { compareVersions } from "../version-order.js";
import type { WheelMetadata } from "./parse-metadata.js";
import type { IndexLink } from "./parse-simple-index.js";
import { parseWheelFilename, type WheelFile } from "./parse-wheel-filename.js";

export const INDEX_PACKAGES = ["torch", "torchvision", "torchaudio"] as const;
export type IndexPackage = (typeof INDEX_PACKAGES)[number];
export type IndexPages = Record<IndexPackage, readonly IndexLink[]>;

/** The catalog starts at torch 2.0; older releases on the index are ignored. */
const FIRST_TORCH = "2.0.0";

interface Wheel {
  link: IndexLink;
  file: WheelFile;
}

function wheels(links: readonly IndexLink[]): Wheel[] {
  return links.flatMap((link) => {
    const file = parseWheelFilename(link.filename);
    return file ? [{ link, file }] : [];
  });
}

const pythonRank = (p: string) =>
  Number(p.replace(/t$/, "").split(".")[1] ?? 0) * 2 - (p.endsWith("t") ? 1 : 0);

/** Display order: 3.13, 3.13t, 3.14, 3.14t. */
const byPython = (a: string, b: string) =>
  pythonRank(a) + (a.endsWith("t") ? 2 : 0) - (pythonRank(b) + (b.endsWith("t") ? 2 : 0));

/** The wheel whose metadata stands for a group: x86_64 first, then the newest regular CPython. */
function representative(group: readonly Wheel[]): Wheel | undefined {
  return [...group]
    .filter((w) => w.link.metadataSha256 !== null)
    .sort(
      (a, b) =>
        Number(b.file.platform === "x86_64") - Number(a.file.platform === "x86_64") ||
        pythonRank(b.file.python) - pythonRank(a.file.python) ||
        a.link.url.localeCompare(b.link.url),
    )[0];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

function torchWheels(pages: IndexPages): Wheel[] {
  return wheels(pages.torch).filter(
    (w) => w.file.name === "torch" && compareVersions(w.file.version, FIRST_TORCH) >= 0,
  );
}

/** The metadata files to read: one per torch release and variant (and its PyPI build), one per vision/audio release. */
export function metadataPlan(pages: IndexPages): IndexLink[] {
  const plan: IndexLink[] = [];
  const torch = groupBy(torchWheels(pages), (w) => `${w.file.version} ${w.file.variant ?? "-"}`);
  for (const group of torch.values()) {
    const pick = representative(group.filter((w) => w.file.variant !== null || w.file.platform === "x86_64"));
    if (pick) plan.push(pick.link);
  }
  for (const pkg of ["torchvision", "torchaudio"] as const) {
    const byVersion = groupBy(wheels(pages[pkg]), (w) => w.file.version);
    for (const group of byVersion.values()) {
      const pick =
        representative(group.filter((w) => w.file.variant === "cpu" || w.file.variant === null)) ??
        representative(group);
      if (pick) plan.push(pick.link);
    }
  }
  return plan;
}

/** "12.8.90" → "cu128"; "13.0.2" → "cu130". */
function variantOfRuntime(runtime: string | null): string | null {
  const match = runtime ? /^(\d+)\.(\d)/.exec(runtime) : null;
  return match ? `cu${match[1]}${match[2]}` : null;
}

/** torch release → the newest torchvision (or torchaudio) release whose metadata pins it. */
function pairing(
  links: readonly IndexLink[],
  metadata: ReadonlyMap<string, WheelMetadata>,
): Map<string, string> {
  const paired = new Map<string, string>();
  for (const { link, file } of wheels(links)) {
    const torch = metadata.get(link.url)?.torch;
    if (!torch) continue;
    const known = paired.get(torch);
    if (!known || compareVersions(file.version, known) > 0) paired.set(torch, file.version);
  }
  return paired;
}

function variantFacts(
  variant: string,
  group: readonly Wheel[],
  meta: WheelMetadata | undefined,
): IndexVariant {
  const pick = representative(group);
  return {
    wheel: variant,
    pythons: [...new Set(group.map((w) => w.file.python))].sort(byPython),
    platforms: [...new Set(group.map((w) => w.file.platform))].sort(),
    cudnn: meta?.cudnn ?? null,
    nccl: meta?.nccl ?? null,
    cudaRuntime: meta?.cudaRuntime ?? null,
    triton: meta?.triton ?? null,
    requiresPython: meta?.requiresPython ?? pick?.link.requiresPython ?? null,
    metadataFrom: meta && pick ? pick.link.filename : null,
  };
}

export function indexReleases(
  pages: IndexPages,
  metadata: ReadonlyMap<string, WheelMetadata>,
): IndexRelease[] {
  const vision = pairing(pages.torchvision, metadata);
  const audio = pairing(pages.torchaudio, metadata);
  const byVersion = groupBy(torchWheels(pages), (w) => w.file.version);
  const releases: IndexRelease[] = [];
  for (const [version, group] of byVersion) {
    const variants: IndexVariant[] = [];
    for (const [variant, files] of groupBy(
      group.filter((w) => w.file.variant !== null),
      (w) => w.file.variant ?? "",
    )) {
      const pick = representative(files);
      variants.push(variantFacts(variant, files, pick ? metadata.get(pick.link.url) : undefined));
    }
    if (variants.length === 0) continue;
    const pypi = representative(group.filter((w) => w.file.variant === null && w.file.platform === "x86_64"));
    const pypiMeta = pypi ? metadata.get(pypi.link.url) : undefined;
    const paired = vision.get(version);
    const visionPythons = new Set(
      wheels(pages.torchvision)
        .filter((w) => w.file.version === paired)
        .map((w) => w.file.python),
    );
    const torchPythons = [...new Set(variants.flatMap((v) => v.pythons))];
    const torchOnly = paired ? torchPythons.filter((p) => !visionPythons.has(p)) : [];
    releases.push({
      version,
      variants,
      ...(torchOnly.length > 0 ? { torchOnlyPython: torchOnly.sort(byPython) } : {}),
      pypiDefault: pypiMeta ? (variantOfRuntime(pypiMeta.cudaRuntime) ?? "cpu") : null,
      torchvision: vision.get(version) ?? null,
      torchaudio: audio.get(version) ?? null,
    });
  }
  return releases.sort((a, b) => compareVersions(a.version, b.version));
}

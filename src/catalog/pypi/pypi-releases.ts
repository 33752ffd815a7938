/**
 * From PyPI's pages of torch, torchvision and torchaudio and the metadata read
 * to the overlay's release facts (pure). PyPI carries one build per torch
 * release: its variant is read from the CUDA runtime requirement
 * (`nvidia-cuda-runtime-cu12==12.8.90` → cu128, `cuda-toolkit[…]==13.2.2` →
 * cu132); it lists aarch64 only when the aarch64 wheel's own metadata requires
 * the CUDA libraries there (up to 2.10 they were limited to x86_64: a CPU
 * build). torchvision/torchaudio pair by their own torch requirement: an exact
 * pin first, else the first release published on or after the torch release
 * whose requirement admits it, else the newest that admits it.
 */

import type { WheelMetadata } from "../index/parse-metadata.js";
import { parseWheelFilename, type WheelFile } from "../index/parse-wheel-filename.js";
import type { IndexRelease, IndexVariant } from "../overlay/overlay-schema.js";
import { compareVersions } from "../version-order.js";
import type { PypiLink } from "./parse-simple-json.js";

export const PYPI_PACKAGES = ["torch", "torchvision", "torchaudio", "triton"] as const;
export type PypiPackage = (typeof PYPI_PACKAGES)[number];
export type PypiPages = Record<PypiPackage, readonly PypiLink[]>;

const FIRST = { torch: "2.0.0", torchvision: "0.15.0", torchaudio: "2.0.0", triton: "2.0.0" } as const;

export interface PypiWheel {
  link: PypiLink;
  file: WheelFile;
}

/** Linux wheels of a package from its first release the catalog covers; "py3"/"abi3" wheels included. */
export function pypiWheels(pkg: PypiPackage, links: readonly PypiLink[]): PypiWheel[] {
  return links.flatMap((link) => {
    const file = parseWheelFilename(link.filename) ?? parsePy3Wheel(link.filename);
    return file && compareVersions(file.version, FIRST[pkg]) >= 0 ? [{ link, file }] : [];
  });
}

/** `torchvision-0.29.2-py3-none-manylinux_2_28_x86_64.whl`: one wheel for every CPython ("py3"). */
function parsePy3Wheel(filename: string): WheelFile | null {
  const match = /^([A-Za-z0-9_.]+)-(\d+\.\d+\.\d+)-py3-none-([^-]+)\.whl$/.exec(filename);
  if (!match) return null;
  const platform = /linux.*_x86_64$/.test(match[3] ?? "")
    ? "x86_64"
    : /linux.*_aarch64$/.test(match[3] ?? "")
      ? "aarch64"
      : null;
  if (!platform) return null;
  return {
    name: (match[1] ?? "").toLowerCase(),
    version: match[2] ?? "",
    variant: null,
    python: "py3",
    platform,
  };
}

const minorOf = (p: string) => Number(p.replace(/t$/, "").split(".")[1] ?? 0);
const byPython = (a: string, b: string) =>
  minorOf(a) - minorOf(b) || Number(a.endsWith("t")) - Number(b.endsWith("t"));

/** The wheel whose metadata stands for a (version, platform): the newest regular CPython. */
function representative(group: readonly PypiWheel[]): PypiWheel | undefined {
  return [...group].sort(
    (a, b) =>
      Number(!b.file.python.endsWith("t")) - Number(!a.file.python.endsWith("t")) ||
      minorOf(b.file.python) - minorOf(a.file.python) ||
      a.link.url.localeCompare(b.link.url),
  )[0];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** The metadata to read: torch per release and platform; torchvision and torchaudio per release (x86_64). */
export function pypiMetadataPlan(pages: PypiPages): PypiWheel[] {
  const plan: PypiWheel[] = [];
  for (const group of groupBy(
    pypiWheels("torch", pages.torch),
    (w) => `${w.file.version} ${w.file.platform}`,
  ).values()) {
    const pick = representative(group.filter((w) => w.file.variant === null));
    if (pick) plan.push(pick);
  }
  for (const pkg of ["torchvision", "torchaudio"] as const) {
    const x86 = pypiWheels(pkg, pages[pkg]).filter((w) => w.file.platform === "x86_64");
    for (const group of groupBy(x86, (w) => w.file.version).values()) {
      const pick = representative(group);
      if (pick) plan.push(pick);
    }
  }
  return plan;
}

/** Does `version` satisfy a PEP 440 specifier set of ==, !=, >=, <=, >, <, ~= clauses? */
export function admits(version: string, specifier: string): boolean {
  return specifier.split(",").every((clause) => {
    const match = /^(==|!=|>=|<=|~=|>|<)\s*([0-9][^\s]*)$/.exec(clause.trim());
    if (!match) return true;
    const [, op, bound = ""] = match;
    const wanted = bound.split("+")[0] ?? bound;
    const c = compareVersions(version, wanted);
    if (op === "==") return wanted.endsWith(".*") ? version.startsWith(wanted.slice(0, -1)) : c === 0;
    if (op === "!=") return c !== 0;
    if (op === ">=") return c >= 0;
    if (op === "<=") return c <= 0;
    if (op === ">") return c > 0;
    if (op === "<") return c < 0;
    const prefix = wanted.split(".").slice(0, -1).join(".");
    return c >= 0 && `${version}.`.startsWith(`${prefix}.`);
  });
}

interface Companion {
  version: string;
  uploaded: string;
  specifier: string | null;
  pythons: Set<string>;
}

function companions(
  pkg: "torchvision" | "torchaudio",
  pages: PypiPages,
  metadata: ReadonlyMap<string, WheelMetadata>,
): Companion[] {
  const out: Companion[] = [];
  for (const [version, group] of groupBy(pypiWheels(pkg, pages[pkg]), (w) => w.file.version)) {
    const read = group.map((w) => metadata.get(w.link.url)).find((m) => m !== undefined);
    if (!read) continue;
    out.push({
      version,
      uploaded: group.map((w) => w.link.uploadTime ?? "").sort()[0] ?? "",
      // no torch requirement at all (torchaudio 2.11.0): the torch of the same version only
      specifier: read.torchSpecifier ?? `==${version}`,
      pythons: new Set(group.map((w) => w.file.python)),
    });
  }
  return out.sort((a, b) => compareVersions(a.version, b.version));
}

function pair(torch: string, uploaded: string, list: readonly Companion[]): Companion | undefined {
  const admitting = list.filter((c) => c.specifier !== null && admits(torch, c.specifier));
  const exact = admitting.filter((c) => c.specifier?.startsWith("=="));
  const day = uploaded.slice(0, 10);
  return exact.at(-1) ?? admitting.find((c) => c.uploaded.slice(0, 10) >= day) ?? admitting.at(-1);
}

/** "12.8.90" → "cu128"; "13.2.2" → "cu132". */
function variantOf(runtime: string | null): string | null {
  const match = runtime ? /^(\d+)\.(\d)/.exec(runtime) : null;
  return match ? `cu${match[1]}${match[2]}` : null;
}

export function pypiReleases(pages: PypiPages, metadata: ReadonlyMap<string, WheelMetadata>): IndexRelease[] {
  const vision = companions("torchvision", pages, metadata);
  const audio = companions("torchaudio", pages, metadata);
  const torch = pypiWheels("torch", pages.torch).filter((w) => w.file.variant === null);
  const releases: IndexRelease[] = [];
  for (const [version, group] of groupBy(torch, (w) => w.file.version)) {
    const variants = new Map<string, IndexVariant>();
    // x86_64 first: its wheel's metadata is the one the facts cite
    const byPlatform = [...groupBy(group, (w) => w.file.platform)].sort(([a]) => (a === "x86_64" ? -1 : 1));
    for (const [platform, files] of byPlatform) {
      const pick = representative(files);
      const meta = pick ? metadata.get(pick.link.url) : undefined;
      if (!pick || !meta) continue;
      const wheel = variantOf(meta.cudaRuntime) ?? "cpu";
      const known = variants.get(wheel);
      const pythons = [...new Set([...(known?.pythons ?? []), ...files.map((w) => w.file.python)])].sort(
        byPython,
      );
      variants.set(wheel, {
        wheel,
        pythons,
        platforms: [...new Set([...(known?.platforms ?? []), platform as "x86_64" | "aarch64"])].sort(),
        cudnn: known?.cudnn ?? meta.cudnn,
        nccl: known?.nccl ?? meta.nccl,
        cudaRuntime: known?.cudaRuntime ?? meta.cudaRuntime,
        triton: known?.triton ?? meta.triton,
        cusparselt: known?.cusparselt ?? meta.cusparselt,
        nvshmem: known?.nvshmem ?? meta.nvshmem,
        requiresPython: known?.requiresPython ?? meta.requiresPython,
        metadataFrom: known?.metadataFrom ?? pick.link.filename,
        metadataUrl: known?.metadataUrl ?? pick.link.url,
      });
    }
    const x86 = [...variants.values()].find((v) => v.platforms.includes("x86_64"));
    if (!x86) continue;
    const uploaded = group.map((w) => w.link.uploadTime ?? "").sort()[0] ?? "";
    const tv = pair(version, uploaded, vision);
    const ta = pair(version, uploaded, audio);
    const torchOnly = tv && !tv.pythons.has("py3") ? x86.pythons.filter((p) => !tv.pythons.has(p)) : [];
    releases.push({
      version,
      variants: [...variants.values()],
      ...(torchOnly.length > 0 ? { torchOnlyPython: torchOnly } : {}),
      pypiDefault: x86.wheel,
      torchvision: tv?.version ?? null,
      torchaudio: ta?.version ?? null,
    });
  }
  return releases.sort((a, b) => compareVersions(a.version, b.version));
}

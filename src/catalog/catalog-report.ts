/**
 * What `catalog status` and `catalog show` print, as data: the age and source
 * of each layer, and the releases (or one release's full facts) that resolve
 * will use. Pure; the commands render these as JSON or text.
 */

import type { Catalog } from "./catalog.js";
import { ageInDays, CATALOG_MAX_AGE_DAYS, catalogAgeWarning } from "./catalog-age.js";
import type { TorchRelease } from "./torch-release-types.js";
import { minorOf } from "./version-order.js";

export interface CatalogStatus {
  builtin: { source: string; date: string; ageDays: number; releases: number; newest: string };
  overlay: null | {
    index: string;
    fetchedAt: string;
    ageDays: number;
    file: string;
    releases: readonly string[];
    newReleases: string[];
  };
  defaultTorch: string | null;
  stale: boolean;
  warning: string | null;
}

export function defaultTorch(catalog: Catalog): string | null {
  return catalog.torchReleases.filter((r) => r.unconfirmed === undefined).at(-1)?.version ?? null;
}

export function catalogStatus(catalog: Catalog, builtin: Catalog, now: Date): CatalogStatus {
  const { provenance } = catalog;
  const known = new Set(builtin.torchReleases.map((r) => r.version));
  const warning = catalogAgeWarning(catalog, now) ?? null;
  return {
    builtin: {
      source: provenance.builtin.ref,
      date: provenance.builtin.date,
      ageDays: ageInDays(provenance.builtin.date, now),
      releases: builtin.torchReleases.length,
      newest: builtin.torchReleases.at(-1)?.version ?? "",
    },
    overlay: provenance.overlay
      ? {
          index: provenance.overlay.ref,
          fetchedAt: provenance.overlay.date,
          ageDays: ageInDays(provenance.overlay.date, now),
          file: provenance.overlay.file,
          releases: provenance.overlay.releases,
          newReleases: provenance.overlay.releases.filter((v) => !known.has(v)),
        }
      : null,
    defaultTorch: defaultTorch(catalog),
    stale: warning !== null,
    warning,
  };
}

export function statusText(status: CatalogStatus): string {
  const lines = [
    `built-in: ${status.builtin.releases} torch releases up to ${status.builtin.newest}, facts of ${status.builtin.date} (${status.builtin.ageDays} days old; ${status.builtin.source})`,
    status.overlay
      ? `overlay: ${status.overlay.releases.length} releases read from ${status.overlay.index} on ${status.overlay.fetchedAt} (${status.overlay.ageDays} days old)${status.overlay.newReleases.length > 0 ? `; new to torchstack: ${status.overlay.newReleases.join(", ")}` : ""}\n  ${status.overlay.file}`
      : "overlay: none (run `torchstack catalog update` to read the wheel index)",
    `default torch: ${status.defaultTorch ?? "none"} (the newest confirmed release)`,
  ];
  if (status.warning) lines.push(`warning: ${status.warning}`);
  else lines.push(`facts are within ${CATALOG_MAX_AGE_DAYS} days: current`);
  return lines.join("\n");
}

export interface ReleaseSummary {
  version: string;
  released: string;
  confirmed: boolean;
  layer: "built-in" | "overlay";
  pypiDefault: string;
  variants: string[];
  python: readonly string[];
  torchvision: string | null;
  torchaudio: string | null;
}

function layerOf(catalog: Catalog, release: TorchRelease): "built-in" | "overlay" {
  return catalog.provenance.overlay?.releases.includes(release.version) ? "overlay" : "built-in";
}

export function releaseSummaries(catalog: Catalog): ReleaseSummary[] {
  return catalog.torchReleases.map((r) => ({
    version: r.version,
    released: r.released,
    confirmed: r.unconfirmed === undefined,
    layer: layerOf(catalog, r),
    pypiDefault: r.pypiDefault,
    variants: r.variants.map(
      (v) => `${v.wheel}${v.indexOnly ? " (index only)" : ""}${v.experimental ? " (experimental)" : ""}`,
    ),
    python: r.python,
    torchvision: r.torchvision,
    torchaudio: r.torchaudio,
  }));
}

/** The releases `--torch X` names: an exact version, or every patch of a minor. */
export function releasesFor(catalog: Catalog, torch: string): TorchRelease[] {
  const exact = catalog.torchReleases.filter((r) => r.version === torch);
  return exact.length > 0 ? exact : catalog.torchReleases.filter((r) => minorOf(r.version) === torch);
}

export function summariesText(summaries: readonly ReleaseSummary[], defaultVersion: string | null): string {
  return summaries
    .map((s) => {
      const marks = [
        s.version === defaultVersion ? "default" : "",
        s.confirmed ? "" : "unconfirmed",
        s.layer === "overlay" ? "from the index" : "",
      ].filter(Boolean);
      return `${s.version.padEnd(7)} ${s.released.padEnd(10)} ${s.variants.join(", ")}; Python ${s.python.join(" ")}; torchvision ${s.torchvision ?? "none"}, torchaudio ${s.torchaudio ?? "none"}${marks.length > 0 ? ` [${marks.join(", ")}]` : ""}`;
    })
    .join("\n");
}

export function releaseText(release: TorchRelease): string {
  const lines = [
    `torch ${release.version} (${release.released})${release.unconfirmed ? ` — unconfirmed: ${release.unconfirmed}` : ""}`,
    `  Python ${release.python.join(" ")}${release.pythonExperimental ? `; preview ${release.pythonExperimental.join(" ")}` : ""}${release.torchOnlyPython ? ` (torch only, no torchvision: ${release.torchOnlyPython.join(" ")})` : ""}${release.requiresPython ? `; Requires-Python ${release.requiresPython}` : ""}`,
    `  PyPI default ${release.pypiDefault}; torchvision ${release.torchvision ?? "none"}; torchaudio ${release.torchaudio ?? "none"}`,
    `  source: ${release.source.status} ${release.source.ref} (${release.source.date})`,
  ];
  for (const v of release.variants) {
    const flags = [v.indexOnly ? "index only" : "", v.experimental ? "experimental" : ""].filter(Boolean);
    lines.push(
      `  ${v.wheel}${flags.length > 0 ? ` (${flags.join(", ")})` : ""}: CUDA ${v.cuda ?? "-"}, cuDNN ${v.cudnn ?? "-"}, NCCL ${v.nccl ?? "-"}${v.cudaRuntime ? `, runtime ${v.cudaRuntime}` : ""}${v.triton ? `, triton ${v.triton}` : ""}${v.platforms ? `, ${v.platforms.join("/")}` : ""}`,
      `    arch ${v.archList.join(" ") || "-"}${v.archSource ? ` [${v.archSource.status}${v.archSource.note ? `: ${v.archSource.note}` : ""}]` : ""}`,
      `    source: ${v.source.status} ${v.source.ref} (${v.source.date})`,
    );
  }
  return lines.join("\n");
}

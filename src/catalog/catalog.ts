/**
 * The catalog as one value: the torch releases, CUDA toolkits and GPUs the
 * resolver reasons over, and where they came from. `builtinCatalog` is the data
 * compiled into torchstack; `loadCatalog({ env })` adds the overlay that
 * `torchstack catalog update` wrote from the wheel index into the state folder
 * (`$TORCHSTACK_STATE_DIR/catalog/overlay.json`). Callers take a `Catalog`
 * parameter instead of importing the tables, so tests and the overlay can
 * substitute facts.
 */
import { CUDA_FAMILIES, CUDA_TOOLKITS, type CudaFamily, type CudaToolkit } from "./cuda-toolkits.js";
import type { GpuInfo } from "./gpu-info.js";
import { GPUS } from "./gpus.js";
import { mergeOverlay } from "./overlay/merge-overlay.js";
import { readOverlay } from "./overlay/overlay-file.js";
import type { TorchRelease } from "./torch-release-types.js";
import { TORCH_RELEASES } from "./torch-releases.js";

/** Where one layer of the catalog came from. */
export interface CatalogSource {
  /** The built-in data's sources file, or the wheel index base URL. */
  ref: string;
  /** Capture date of the built-in data, or when the overlay was fetched (ISO date-time). */
  date: string;
}

export interface CatalogProvenance {
  builtin: CatalogSource;
  /** Present when an overlay from `catalog update` is merged in. */
  overlay?: CatalogSource & {
    /** The overlay file that was read. */
    file: string;
    /** Torch versions the overlay added or changed. */
    releases: readonly string[];
  };
}

export interface Catalog {
  /** Ascending by version, one row per patch release. */
  torchReleases: readonly TorchRelease[];
  cudaToolkits: readonly CudaToolkit[];
  cudaFamilies: readonly CudaFamily[];
  gpus: readonly GpuInfo[];
  provenance: CatalogProvenance;
}

/** When the built-in facts were last checked against their sources (docs/sources/compat-facts.md §F). */
export const BUILTIN_CATALOG_DATE = "2026-12-01";

export const builtinCatalog: Catalog = {
  torchReleases: TORCH_RELEASES,
  cudaToolkits: CUDA_TOOLKITS,
  cudaFamilies: CUDA_FAMILIES,
  gpus: GPUS,
  provenance: { builtin: { ref: "docs/sources/compat-facts.md", date: BUILTIN_CATALOG_DATE } },
};

/** The built-in catalog with the state folder's overlay merged in (when there is one). */
export async function loadCatalog(options: { env: NodeJS.ProcessEnv }): Promise<Catalog> {
  const overlay = await readOverlay(options.env);
  return overlay ? mergeOverlay(builtinCatalog, overlay.overlay, overlay.file) : builtinCatalog;
}

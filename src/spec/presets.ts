/**
 * The `torchstack init --preset` starting points, named after stacks often quoted
 * for PyTorch images but corrected to builds that really exist (compat-facts.md
 * table A). Each preset carries the comment lines that explain the correction in
 * the user's terms: what is often claimed, and what PyTorch really publishes.
 */
import type { Catalog } from "../catalog/catalog.js";
import { compareVersions } from "../catalog/version-order.js";
import type { Flavor, TorchSource } from "./schema.js";

export interface Preset {
  name: string;
  summary: string;
  torch?: string;
  /** What the preset was written for; the spec says `cuda: auto` unless CPU. */
  referenceCuda: string | null;
  python: string;
  flavor: Flavor;
  /** A named base, or `image:REF` (init --base). */
  base: string;
  torchSource: TorchSource;
  apps: { jupyter: boolean; ssh: boolean };
  /** Comment lines written above `torch:`. */
  notes: readonly string[];
}

export const PRESETS: Readonly<Record<string, Preset>> = {
  "pytorch-2.7": {
    name: "pytorch-2.7",
    summary: "PyTorch 2.7.1 on CUDA 12.8 wheels (cuDNN 9), Jupyter and SSH",
    torch: "2.7.1",
    referenceCuda: "12.8",
    python: "3.12",
    flavor: "toolchain",
    base: "ubuntu-24.04",
    torchSource: "wheels",
    apps: { jupyter: true, ssh: true },
    notes: [
      'Preset pytorch-2.7. "PyTorch 2.7 + CUDA 12.3 + cuDNN 8.9 + NCCL 2.18", as often quoted, does not',
      "exist: 2.7 wheels are built for CUDA 11.8, 12.6 and 12.8, all with cuDNN 9",
      "(cu128: cuDNN 9.7.1.26, sm_75..sm_120 incl. RTX 50xx/B200; cu126 keeps Maxwell/Pascal/Volta).",
      "Source: pytorch/test-infra generate_binary_build_matrix.py and RELEASE.md.",
    ],
  },
  "pytorch-2.9": {
    name: "pytorch-2.9",
    summary: "PyTorch 2.9.1 on CUDA 12.8 wheels (cuDNN 9.10), Jupyter and SSH",
    torch: "2.9.1",
    referenceCuda: "12.8",
    python: "3.12",
    flavor: "toolchain",
    base: "ubuntu-24.04",
    torchSource: "wheels",
    apps: { jupyter: true, ssh: true },
    notes: [
      'Preset pytorch-2.9. "PyTorch 2.9 with CUDA 11.8 or 12.1", as often quoted, does not exist:',
      "2.9 wheels are cu126, cu128 (the PyPI default) and cu130; cuDNN 9.10.2.21 (cu130: 9.13).",
      "cu128 runs A100 and V100 alike (sm_70..sm_120); cu130 drops Volta and needs driver >= 580.",
      "Source: pytorch/test-infra generate_binary_build_matrix.py, PR #164471.",
    ],
  },
  cpu: {
    name: "cpu",
    summary: "Debian 12's own CPU torch (python3-torch 1.13.1), Jupyter Server and SSH",
    referenceCuda: null,
    python: "3.11",
    flavor: "runtime",
    base: "debian-12",
    torchSource: "distro",
    apps: { jupyter: true, ssh: true },
    notes: [
      "Preset cpu: torch from Debian 12 itself (python3-torch 1.13.1, CPU only, Python 3.11).",
      "Builds with no access to PyPI or download.pytorch.org; Jupyter Server (Debian has no JupyterLab).",
    ],
  },
};

export const PRESET_NAMES = Object.keys(PRESETS);

/** The preset `torchstack init` starts from when none is named: the catalog's newest confirmed stack. */
export const LATEST_PRESET = "latest";

/**
 * The newest confirmed torch release of the catalog (built-in plus overlay), on its PyPI default
 * CUDA build, with Python 3.12 where it has wheels (the resolver's default cap), else its oldest.
 */
export function latestPreset(catalog: Catalog): Preset {
  const confirmed = catalog.torchReleases.filter((r) => r.unconfirmed === undefined);
  const release = [...confirmed].sort((a, b) => compareVersions(b.version, a.version))[0];
  if (!release) return PRESETS["pytorch-2.9"] as Preset;
  const build = release.variants.find((v) => v.wheel === release.pypiDefault);
  const python = release.python.includes("3.12") ? "3.12" : (release.python[0] ?? "3.12");
  return {
    name: LATEST_PRESET,
    summary: `PyTorch ${release.version} (the newest confirmed release) on its CUDA ${build?.cuda ?? "?"} wheels, Jupyter and SSH`,
    torch: release.version,
    referenceCuda: build?.cuda ?? null,
    python,
    flavor: "toolchain",
    base: "ubuntu-24.04",
    torchSource: "wheels",
    apps: { jupyter: true, ssh: true },
    notes: [
      `Preset latest: torch ${release.version}, the newest release the catalog confirms (torchstack catalog show).`,
      `pip install torch==${release.version} gets the ${release.pypiDefault} build (cuDNN ${build?.cudnn ?? "?"}, NCCL ${build?.nccl ?? "?"}).`,
      "cuda: auto lets resolve pick the build that runs on the targets below.",
    ],
  };
}

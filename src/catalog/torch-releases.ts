/**
 * Every PyTorch release from 2.0.0 to the newest in compat-facts.md (Linux x86_64):
 * wheel variants with CUDA, cuDNN, NCCL and compiled architectures, the PyPI
 * default, Python range, and torchvision/torchaudio pairing per patch release.
 * Each minor is one `line` (facts shared by its patches) plus one row per patch;
 * adding a release is one edit here, checked by test/unit/catalog/torch-releases.test.ts.
 * Sources are the tags of docs/sources/compat-facts.md (section F, the audit of
 * 2026-12-01, supersedes earlier rows); values it does not give are inferred and
 * marked `unverified` with a note. Every provenance names that file. The PyPI
 * build of every release (its variant, cuDNN/NCCL/cuSPARSELt/NVSHMEM/triton
 * pins, Requires-Python, and whether its aarch64 wheel is a CUDA build) is
 * read from the wheel's own metadata (pypi-builds.ts) and overrides the table.
 * aarch64 builds carry their own architecture lists (`aarch64`), from the
 * release build scripts, which filter the list for aarch64.
 */
import { COMPAT_FACTS_FILE, type Provenance } from "./provenance.js";
import { PYPI_BUILDS, PYPI_METADATA_FILE, PYPI_READ_DATE, pypiSource } from "./pypi-builds.js";
import {
  archList,
  cpuVariant,
  cudaVariant,
  pythons,
  type TorchRelease,
  type WheelVariant,
} from "./torch-release-types.js";

export type { TorchRelease, WheelVariant } from "./torch-release-types.js";

const testInfra = (commit: string, note?: string): Provenance => ({
  status: "primary",
  ref: `pytorch/test-infra tools/scripts/generate_binary_build_matrix.py @${commit}`,
  date: "2026-08-21",
  file: COMPAT_FACTS_FILE,
  ...(note ? { note } : {}),
});
const builder = (branch: string): Provenance => ({
  status: "primary",
  ref: `pytorch/builder ${branch} manywheel/build_cuda.sh + common/install_cuda.sh`,
  date: "2026-08",
  file: COMPAT_FACTS_FILE,
});
const buildCuda: Provenance = {
  status: "primary",
  ref: "pytorch/pytorch .ci/manywheel/build_cuda.sh @799d09f2; RELEASE.md matrix (copy); issue #182250 get_arch_list",
  date: "2026-08",
  file: COMPAT_FACTS_FILE,
};
/** The 2.8-era script: exactly the 12.6 / 12.8 (with Volta, no PTX) / 12.9 (+PTX) cases. */
const buildCuda28: Provenance = {
  status: "primary",
  ref: "pytorch/pytorch .ci/manywheel/build_cuda.sh @00c7a380 (cases 12.6, 12.8, 12.9 only) and @799d09f2",
  date: "2026-11",
  file: COMPAT_FACTS_FILE,
};
const guess = (note: string): Provenance => ({
  status: "unverified",
  ref: "inference",
  date: "2026-11",
  file: COMPAT_FACTS_FILE,
  note,
});
/** compat-facts F, the audit of 2026-12-01 (supersedes earlier rows). */
const audit = (status: Provenance["status"], ref: string, note?: string): Provenance => ({
  status,
  ref: `compat-facts F (audit 2026-12-01): ${ref}`,
  date: "2026-12-01",
  file: COMPAT_FACTS_FILE,
  ...(note ? { note } : {}),
});

/** TORCH_CUDA_ARCH_LIST values (compat-facts B). */
const ARCH = {
  cu117: "3.7;5.0;6.0;7.0;7.5;8.0;8.6",
  cu118: "3.7;5.0;6.0;7.0;7.5;8.0;8.6;9.0",
  cu12Legacy: "5.0;6.0;7.0;7.5;8.0;8.6;9.0",
  cu128NoVolta: "7.5;8.0;8.6;9.0;10.0;12.0",
  cu128Volta: "7.0;7.5;8.0;8.6;9.0;10.0;12.0",
  cu128NoVoltaPtx: "7.5;8.0;8.6;9.0;10.0;12.0+PTX",
  cu129: "7.0;7.5;8.0;8.6;9.0;10.0;12.0+PTX",
  cu129Late: "7.5;8.0;8.6;9.0;10.0;12.0",
  cu13x: "7.5;8.0;8.6;9.0;10.0;12.0+PTX",
  cu13xNoPtx: "7.5;8.0;8.6;9.0;10.0;12.0",
  /** aarch64 builds of CUDA 13.x: build_cuda.sh's 13.0 case with ARCH=aarch64 (adds 11.0 = Thor, no Turing). */
  cu13xArm: "8.0;9.0;10.0;11.0;12.0+PTX",
  /** aarch64 builds of cu124 (2.4, 2.5): Hopper only (builder release/2.4, release/2.5). */
  cu124Arm: "9.0",
} as const;

/** The variant with an aarch64 build whose compiled architectures `arch` a source names. */
function withAarch64(variant: WheelVariant, arch: string, source: Provenance): WheelVariant {
  return { ...variant, platforms: ["x86_64", "aarch64"], aarch64: { archList: archList(arch), source } };
}
const cu13ArmSource: Provenance = {
  status: "primary",
  ref: 'pytorch/pytorch .ci/manywheel/build_cuda.sh @799d09f2 (13.0: `$([[ "$ARCH" == "aarch64" ]] && echo "11.0;")`, aarch64 list 8.0;9.0;10.0;11.0;12.0+PTX); PR #182849 (13.2, same lists)',
  date: "2026-08",
  file: COMPAT_FACTS_FILE,
};

interface Line {
  unconfirmed?: string;
  python: readonly string[];
  pythonExperimental?: readonly string[];
  torchOnlyPython?: readonly string[];
  pypiDefault: string;
  variants: readonly WheelVariant[];
  source: Provenance;
}

function release(
  line: Line,
  version: string,
  released: string,
  torchvision: string | null,
  torchaudio: string | null,
  pairing?: Provenance,
): TorchRelease {
  return {
    version,
    released,
    ...line,
    torchvision,
    torchaudio,
    ...(pairing ? { pairingSource: pairing } : {}),
  };
}

const v20: Line = {
  python: pythons(8, 11),
  pypiDefault: "cu117",
  source: testInfra("d3629fa2", "pairing: pytorch.github.io previous-versions.md @e3f009bb"),
  variants: [
    cpuVariant(),
    cudaVariant("cu117", {
      cudnn: "8.5.0.96",
      nccl: "2.14.3",
      arch: ARCH.cu117,
      source: builder("release/2.0"),
    }),
    cudaVariant("cu118", {
      cudnn: "8.7.0.84",
      nccl: "2.15.5",
      arch: ARCH.cu118,
      source: builder("release/2.0"),
    }),
  ],
};

const cu12Early = (branch: string, cudnn118: string, cudnn121: string, nccl118: string, nccl121: string) => [
  cpuVariant(),
  cudaVariant("cu118", { cudnn: cudnn118, nccl: nccl118, arch: ARCH.cu118, source: builder(branch) }),
  cudaVariant("cu121", { cudnn: cudnn121, nccl: nccl121, arch: ARCH.cu12Legacy, source: builder(branch) }),
];

const v21: Line = {
  python: pythons(8, 11),
  pypiDefault: "cu121",
  source: testInfra("bc649269"),
  variants: cu12Early("release/2.1", "8.7.0.84", "8.9.2.26", "2.15.5", "2.18.1"),
};
const v22: Line = {
  python: pythons(8, 11),
  pythonExperimental: ["3.12"],
  pypiDefault: "cu121",
  source: testInfra("8e04a8e9", "RELEASE.md calls 3.12 experimental"),
  variants: cu12Early("release/2.2", "8.7.0.84", "8.9.2.26", "2.19.3", "2.19.3"),
};
const v23: Line = {
  ...v22,
  source: testInfra("585bbc37", "RELEASE.md calls 3.12 experimental"),
  variants: cu12Early("release/2.3", "8.7.0.84", "8.9.2.26", "2.20.5", "2.20.5"),
};
const v24: Line = {
  python: pythons(8, 12),
  pypiDefault: "cu121",
  source: testInfra("ac9a718c"),
  variants: [
    ...cu12Early("release/2.4", "9.1.0.70", "9.1.0.70", "2.20.5", "2.20.5"),
    withAarch64(
      cudaVariant("cu124", {
        cudnn: "9.1.0.70",
        nccl: "2.20.5",
        arch: ARCH.cu12Legacy,
        source: builder("release/2.4"),
      }),
      ARCH.cu124Arm,
      { ...builder("release/2.4"), note: "aarch64 build: 9.0 only" },
    ),
  ],
};
const nccl25 = guess("NCCL 2.21.5 for 2.5 is UNVERIFIED in compat-facts (likely)");
const v25: Line = {
  python: pythons(9, 12),
  pythonExperimental: ["3.13"],
  // PyPI's 2.5 wheels include cp313; torchvision 0.20 and torchaudio 2.5 have none.
  torchOnlyPython: ["3.13"],
  pypiDefault: "cu124",
  source: testInfra("1969a06c", "PyPI default switched 12.1 → 12.4 one day after go-live (issue #134015)"),
  variants: [
    cpuVariant(),
    cudaVariant("cu118", { cudnn: "9.1.0.70", nccl: "2.21.5", arch: ARCH.cu118, source: nccl25 }),
    cudaVariant("cu121", { cudnn: "9.1.0.70", nccl: "2.21.5", arch: ARCH.cu12Legacy, source: nccl25 }),
    withAarch64(
      cudaVariant("cu124", { cudnn: "9.1.0.70", nccl: "2.21.5", arch: ARCH.cu12Legacy, source: nccl25 }),
      ARCH.cu124Arm,
      { ...builder("release/2.5"), note: "aarch64 build: 9.0 only" },
    ),
  ],
};
const arch26 = guess("2.6 arch lists inferred from builder 2.5 and the later cu126 list (compat-facts B)");
const v26: Line = {
  python: pythons(9, 13),
  pythonExperimental: ["3.13t"],
  pypiDefault: "cu124",
  source: testInfra("b1bdc332"),
  variants: [
    cpuVariant(),
    cudaVariant("cu118", {
      cudnn: "9.1.0.70",
      nccl: "2.21.5",
      arch: ARCH.cu118,
      source: guess("arch list and NCCL 2.21.5 inferred"),
    }),
    cudaVariant("cu124", { cudnn: "9.1.0.70", nccl: "2.21.5", arch: ARCH.cu12Legacy, source: arch26 }),
    cudaVariant("cu126", {
      cudnn: "9.5.1.17",
      nccl: "2.21.5",
      arch: ARCH.cu12Legacy,
      source: guess("arch list and NCCL 2.21.5 inferred"),
    }),
  ],
};
const v27: Line = {
  python: pythons(9, 13, "3.13t"),
  pypiDefault: "cu126",
  source: testInfra("bad60f65"),
  variants: [
    cpuVariant(),
    cudaVariant("cu118", {
      cudnn: "9.1.0.70",
      nccl: "2.21.5",
      arch: ARCH.cu118,
      source: guess("cu118 arch list as 2.6 and NCCL 2.21.x 'legacy' UNVERIFIED"),
    }),
    cudaVariant("cu126", {
      cudnn: "9.5.1.17",
      nccl: "2.26.2",
      arch: ARCH.cu12Legacy,
      source: guess("arch list primary (build_cuda.sh); NCCL 2.26.2 UNVERIFIED"),
    }),
    {
      ...cudaVariant("cu128", {
        cudnn: "9.7.1.26",
        nccl: "2.26.2",
        arch: ARCH.cu128NoVoltaPtx,
        source: guess("NCCL 2.26.2 UNVERIFIED"),
      }),
      archSource: audit(
        "secondary",
        "2.7 cu128 includes compute_120 (two runtime get_arch_list outputs, RTX 5080 and RTX PRO 6000); SASS list: PRs #146265, #147607",
      ),
    },
  ],
};
const v28: Line = {
  python: pythons(9, 13, "3.13t"),
  pypiDefault: "cu128",
  source: testInfra("21480431", "NCCL 2.27.3 and cu128 default also in a pip log (dstack PR #3029)"),
  variants: [
    cpuVariant(),
    cudaVariant("cu126", { cudnn: "9.10.2.21", nccl: "2.27.3", arch: ARCH.cu12Legacy, source: buildCuda28 }),
    cudaVariant("cu128", { cudnn: "9.10.2.21", nccl: "2.27.3", arch: ARCH.cu128Volta, source: buildCuda28 }),
    cudaVariant("cu129", {
      cudnn: "9.10.2.21",
      nccl: "2.27.3",
      arch: ARCH.cu129,
      source: { ...buildCuda28, note: "PR #158700 shows compute_120" },
    }),
  ],
};
const nccl29 = guess("NCCL for 2.9 UNVERIFIED in compat-facts (2.27.5 likely)");
/**
 * compat-facts B: whether the *PyPI* cu130 wheel keeps 12.0+PTX is UNVERIFIED (malfet on
 * PR #175253: "If we are to promote 13 to pypi, +PTX have to be dropped"). That caveat
 * applies from 2.11, when cu130 became the PyPI default; see `cu130Index` for 2.9/2.10.
 * compat-facts F settles it for 2.13 and 2.14: no compute_120 (`cu130NoPtx`).
 */
const cu130Ptx = (note?: string): Provenance =>
  guess(
    `arch list primary (build_cuda.sh @799d09f2); compute_120 PTX on the PyPI cu130 wheel UNVERIFIED${note ? `; ${note}` : ""}`,
  );
const cu130NoPtx = audit(
  "secondary",
  "cu130 of 2.13.0, 2.14.0 and 2.14.1 has sm_75 … sm_120 and no compute_120 (three runtime get_arch_list outputs; maintainer on PR #175253: '+PTX have to be dropped')",
);
/** 2.9/2.10: cu130 was published only on download.pytorch.org, built by build_cuda.sh's `13.0) … 12.0+PTX`. */
const cu130Index = (cudnnNccl: string): Provenance => ({
  status: "primary-copy",
  ref: `pytorch/pytorch .ci/manywheel/build_cuda.sh @799d09f2 (13.0: 7.5…12.0+PTX), PR #164471, PR #175253 (RELEASE.md "For Release 2.9 and 2.10": 13.0.0 … 12.0+PTX); ${cudnnNccl}`,
  date: "2026-11",
  file: COMPAT_FACTS_FILE,
  note: "not the PyPI default in this release (cu128 is), so the PyPI PTX caveat of PR #175253 does not apply",
});

/**
 * cu129 for 2.9–2.13: official builds on the wheel index only (not in RELEASE.md's matrix),
 * installed with `--index-url …/whl/cu129`; compat-facts F gives their arch lists, not their pins.
 */
function cu129IndexOnly(release: string, cudnn: string, nccl: string, late: boolean): WheelVariant {
  return cudaVariant("cu129", {
    cudnn,
    nccl,
    arch: late ? ARCH.cu129Late : ARCH.cu129,
    indexOnly: true,
    source: guess(
      `cu129 for ${release} is on the official wheel index only (compat-facts F); cuDNN ${cudnn} / NCCL ${nccl} taken from the release's other CUDA 12 wheel, not read`,
    ),
    archSource: late
      ? audit("primary", "cu129 arch list for 2.12/2.13 from PR #188443 (12.9 build target on release/2.13)")
      : audit("primary", "cu129 arch list from build_cuda.sh's 12.9 case; 2.9.1+cu129 get_arch_list [S]"),
  });
}

const v29: Line = {
  python: pythons(10, 14, "3.13t", "3.14t"),
  pypiDefault: "cu128",
  source: testInfra("f563b660"),
  variants: [
    cpuVariant(),
    cudaVariant("cu126", { cudnn: "9.10.2.21", nccl: "2.27.5", arch: ARCH.cu12Legacy, source: nccl29 }),
    cudaVariant("cu128", { cudnn: "9.10.2.21", nccl: "2.27.5", arch: ARCH.cu128Volta, source: nccl29 }),
    cu129IndexOnly("2.9", "9.10.2.21", "2.27.5", false),
    withAarch64(
      cudaVariant("cu130", {
        cudnn: "9.13.0.50",
        nccl: "2.27.5",
        arch: ARCH.cu13x,
        source: guess(
          "arch list primary (build_cuda.sh @799d09f2, PR #164471; index-only wheel); NCCL for 2.9 UNVERIFIED (2.27.5 likely)",
        ),
      }),
      ARCH.cu13xArm,
      cu13ArmSource,
    ),
  ],
};
const v210: Line = {
  python: pythons(10, 14, "3.13t", "3.14t"),
  pypiDefault: "cu128",
  source: testInfra("e8208cf2"),
  variants: [
    cpuVariant(),
    cudaVariant("cu126", { cudnn: "9.10.2.21", nccl: "2.27.5", arch: ARCH.cu12Legacy, source: buildCuda }),
    cudaVariant("cu128", { cudnn: "9.10.2.21", nccl: "2.27.5", arch: ARCH.cu128Volta, source: buildCuda }),
    cu129IndexOnly("2.10", "9.10.2.21", "2.27.5", false),
    withAarch64(
      cudaVariant("cu130", {
        cudnn: "9.15.1.9",
        nccl: "2.28.9",
        arch: ARCH.cu13x,
        source: cu130Index("cuDNN 9.15.1.9: RELEASE.md matrix (copy); NCCL 2.28.9: PR #190386"),
      }),
      ARCH.cu13xArm,
      cu13ArmSource,
    ),
  ],
};
/** compat-facts F: the released 2.11 cu128/cu130 wheels pin cuDNN 9.19.0.56 (RELEASE.md's 9.17.1.4 was the pre-release pin). */
const cudnn211 = audit(
  "secondary",
  "cuDNN 9.19.0.56 from the released wheels' metadata in five independent pip/uv logs; RELEASE.md's 9.17.1.4 was the pre-release pin",
);
const v211: Line = {
  python: pythons(10, 14, "3.14t"),
  pythonExperimental: ["3.13t"],
  pypiDefault: "cu130",
  source: testInfra("0cd5e78a", "cu130 stable on PyPI (RFC #172663, PR #175253); last release with cu128"),
  variants: [
    cpuVariant(),
    cudaVariant("cu126", { cudnn: "9.10.2.21", nccl: "2.28.9", arch: ARCH.cu12Legacy, source: buildCuda }),
    cudaVariant("cu128", {
      cudnn: "9.19.0.56",
      nccl: "2.28.9",
      arch: ARCH.cu128NoVolta,
      source: cudnn211,
      archSource: { ...buildCuda, note: "Volta dropped again (PR #175253)" },
    }),
    cu129IndexOnly("2.11", "9.19.0.56", "2.28.9", false),
    withAarch64(
      cudaVariant("cu130", {
        cudnn: "9.19.0.56",
        nccl: "2.28.9",
        arch: ARCH.cu13x,
        source: cudnn211,
        archSource: cu130Ptx(),
      }),
      ARCH.cu13xArm,
      cu13ArmSource,
    ),
  ],
};
const cu13Line = (
  facts: {
    cudnn: string;
    nccl126: string;
    nccl13: string;
    source: Provenance;
    cu132Experimental: boolean;
    cu130NoPtx?: boolean;
  },
  ...extra: WheelVariant[]
): WheelVariant[] => [
  cpuVariant(),
  cudaVariant("cu126", {
    cudnn: "9.10.2.21",
    nccl: facts.nccl126,
    arch: ARCH.cu12Legacy,
    source: facts.source,
  }),
  ...extra,
  withAarch64(
    cudaVariant("cu130", {
      cudnn: facts.cudnn,
      nccl: facts.nccl13,
      arch: facts.cu130NoPtx ? ARCH.cu13xNoPtx : ARCH.cu13x,
      source: facts.source,
      archSource: facts.cu130NoPtx ? cu130NoPtx : cu130Ptx(),
    }),
    ARCH.cu13xArm,
    cu13ArmSource,
  ),
  withAarch64(
    cudaVariant("cu132", {
      cudnn: facts.cudnn,
      nccl: facts.nccl13,
      arch: ARCH.cu13x,
      experimental: facts.cu132Experimental,
      source: {
        ...facts.source,
        note: facts.cu132Experimental
          ? "cu132 published as experimental (PR #182849; RFC #178665)"
          : "cu132 promoted from experimental (RFC #190355; compat-facts F: no longer experimental)",
      },
    }),
    ARCH.cu13xArm,
    cu13ArmSource,
  ),
];
const releaseMd: Provenance = {
  status: "primary-copy",
  ref: "pytorch/pytorch RELEASE.md compatibility matrix (copy); RFC #178665; PR #190386 (NCCL per release from ci_commit_pins)",
  date: "2026-08",
  file: COMPAT_FACTS_FILE,
};
const pins212 = {
  cudnn: "9.20.0.48",
  nccl126: "2.29.3",
  nccl13: "2.29.7",
  source: releaseMd,
  cu132Experimental: true,
};
/** 2.12.0 shipped cp313t wheels; 2.12.1 dropped them (PR #186654, compat-facts F). */
const v2120: Line = {
  python: pythons(10, 14, "3.13t", "3.14t"),
  pypiDefault: "cu130",
  source: testInfra(
    "626d4e70",
    "no torchaudio release pairs with 2.12 (release_versions.sh @50358ee1 keeps 2.11.0); 3.13t wheels shipped in 2.12.0 (compat-facts F; PR #186654 removed them for 2.12.1)",
  ),
  variants: cu13Line(pins212),
};
const v2121: Line = {
  ...v2120,
  python: pythons(10, 14, "3.14t"),
  source: testInfra("626d4e70", "3.13t dropped in 2.12.1 (PR #186654); no torchaudio release"),
  variants: cu13Line(pins212, cu129IndexOnly("2.12.1", "9.10.2.21", "2.29.3", true)),
};
const v213: Line = {
  python: pythons(10, 14, "3.14t"),
  pythonExperimental: ["3.15", "3.15t"],
  // The 3.15 preview wheels are torch only: torchvision 0.28.0 has no cp315 wheel.
  torchOnlyPython: ["3.15", "3.15t"],
  pypiDefault: "cu130",
  source: testInfra("6d36e31f", "3.15/3.15t preview (torch only); no torchaudio release"),
  variants: cu13Line({ ...pins212, cu130NoPtx: true }, cu129IndexOnly("2.13", "9.10.2.21", "2.29.3", true)),
};
const pins214 = {
  cudnn: "9.24.0.43",
  nccl126: "2.29.3",
  nccl13: "2.30.7",
  source: {
    ...releaseMd,
    ref: "RELEASE.md (copy); test-infra nightly log @592772d2 (cuDNN 9.24.0.43, NCCL 2.30.7)",
  },
  cu132Experimental: false,
  cu130NoPtx: true,
};
/** compat-facts F: released 2026-09-02; 3.15/3.15t are a wheel-index-only preview with torch wheels only. */
const v214: Line = {
  python: pythons(10, 14, "3.14t"),
  pythonExperimental: ["3.15", "3.15t"],
  torchOnlyPython: ["3.15", "3.15t"],
  pypiDefault: "cu130",
  source: audit(
    "primary",
    "2.14.0 released 2026-09-02 with cu126, cu130 (PyPI default), cu132; torchvision 0.29.0, no torchaudio (googlecolab/colabtools#6093, release engineer; RELEASE.md 2.14 row via PR #194367; test-infra TORCH_ONLY_PYTHON_ARCHES 3.15, 3.15t)",
  ),
  variants: cu13Line(pins214),
};
/** 2.14.1 (2026-09-30): its PyPI wheel metadata confirms the build; cu132 is presumed from 2.14.0. */
const v2141: Line = {
  ...v214,
  source: audit(
    "primary",
    "2.14.1 released 2026-09-30: PyPI wheels (cu130 build, metadata read 2026-12-05); cpu, cu126, cu130 also observed in installs (torchvision 0.29.1)",
  ),
  variants: v214.variants.map((v) =>
    v.wheel === "cu132"
      ? {
          ...v,
          source: guess("cu132 of 2.14.1 presumed from 2.14.0 (compat-facts F: cpu, cu126, cu130 observed)"),
        }
      : v,
  ),
};
const inherited215 = guess(
  "2.15 arch lists are not published: inherited from 2.14's cu132 (RELEASE.md 2.14 row: 7.5 … 12.0+PTX; aarch64 8.0;9.0;10.0;11.0;12.0+PTX)",
);
const proposed215 = guess(
  "cu130 for 2.15 is only proposed (RFC #190385 drops cu126, keeps cu130 and cu132; not read from the wheel index); pins inferred from 2.14",
);
/**
 * 2.15.0 (2026-10-28): the PyPI build (cu132, its pins, Python 3.11–3.15, aarch64 CUDA) is read
 * from its wheel metadata; the wheel index's other variants and every arch list are not.
 */
const v215: Line = {
  unconfirmed:
    "its PyPI build (cu132, pins, Python 3.11–3.15) is read from the wheel metadata, but its compiled architecture lists are inherited from 2.14 and its cu130 variant is the RFC's proposal",
  python: pythons(11, 15, "3.14t", "3.15t"),
  pypiDefault: "cu132",
  source: {
    status: "primary",
    ref: "PyPI wheels of torch 2.15.0 (JSON simple API: CPython tags, platforms, Requires-Python >=3.11; core metadata of the x86_64 and aarch64 wheels)",
    date: PYPI_READ_DATE,
    file: PYPI_METADATA_FILE,
    note: "the Python floor 3.11 is the release's own (RFC and PR raising it); cu130 on the wheel index is proposed, not read",
  },
  variants: [
    cpuVariant(),
    cudaVariant("cu130", { cudnn: "9.24.0.43", nccl: "2.30.7", arch: ARCH.cu13xNoPtx, source: proposed215 }),
    withAarch64(
      cudaVariant("cu132", {
        cudnn: "9.26.0.51",
        nccl: "2.30.7",
        arch: ARCH.cu13x,
        source: proposed215,
        archSource: inherited215,
      }),
      ARCH.cu13xArm,
      inherited215,
    ),
  ],
};

/**
 * The release with its PyPI build's facts from the wheel's own metadata (pypi-builds.ts): that
 * variant's pins and source, Requires-Python, and whether `pip install torch` on aarch64 gets a
 * CUDA build (then that variant lists aarch64) or the CPU build.
 */
function withPypi(release: TorchRelease): TorchRelease {
  const build = PYPI_BUILDS[release.version];
  if (!build) return release;
  const source = pypiSource(release.version, build);
  const variants = release.variants.map((v): WheelVariant => {
    if (v.wheel !== build.wheel) return v;
    const pinned: WheelVariant = {
      ...v,
      cudnn: build.cudnn,
      nccl: build.nccl,
      cudaRuntime: build.runtime,
      triton: build.triton,
      ...(build.cusparselt ? { cusparselt: build.cusparselt } : {}),
      ...(build.nvshmem ? { nvshmem: build.nvshmem } : {}),
      archSource: v.archSource ?? v.source,
      source,
    };
    if (!build.aarch64Cuda || v.aarch64) return pinned;
    return { ...pinned, platforms: ["x86_64", "aarch64"] };
  });
  return {
    ...release,
    variants,
    requiresPython: build.requiresPython,
    ...(build.aarch64Cuda ? {} : { pypiAarch64: "cpu" }),
  };
}

/** torchaudio 2.11.1 (2026-10-28, a py3 wheel) requires torch>=2.11: the newest torchaudio admits 2.12 and later. */
const torchaudio211: Provenance = {
  status: "primary",
  ref: "PyPI core metadata of torchaudio-2.11.1-py3-none-manylinux_2_28_x86_64.whl (Requires-Dist torch>=2.11; no torchaudio release after it)",
  date: PYPI_READ_DATE,
  file: PYPI_METADATA_FILE,
  note: "torchvision pairs as its own metadata pins torch",
};

const pattern = (what: string) =>
  guess(`${what} follows the torchaudio == torch naming pattern; no per-version primary read`);

/** Ascending by version; one row per patch release. */
export const TORCH_RELEASES: readonly TorchRelease[] = [
  release(v20, "2.0.0", "2023-03", "0.15.1", "2.0.1"),
  release(v20, "2.0.1", "2023-05", "0.15.2", "2.0.2"),
  release(v21, "2.1.0", "2023-10", "0.16.0", "2.1.0"),
  release(v21, "2.1.1", "2023-11", "0.16.1", "2.1.1"),
  release(v21, "2.1.2", "2023-12", "0.16.2", "2.1.2"),
  release(v22, "2.2.0", "2024-01", "0.17.0", "2.2.0"),
  release(v22, "2.2.1", "2024-02", "0.17.1", "2.2.1"),
  release(v22, "2.2.2", "2024-03", "0.17.2", "2.2.2"),
  release(v23, "2.3.0", "2024-04", "0.18.0", "2.3.0"),
  release(v23, "2.3.1", "2024-06", "0.18.1", "2.3.1"),
  release(v24, "2.4.0", "2024-07", "0.19.0", "2.4.0", pattern("torchaudio 2.4.0")),
  release(v24, "2.4.1", "2024-09", "0.19.1", "2.4.1", pattern("torchvision 0.19.1 / torchaudio 2.4.1")),
  release(v25, "2.5.0", "2024-10", "0.20.0", "2.5.0", pattern("torchaudio 2.5.0")),
  release(v25, "2.5.1", "2024-10", "0.20.1", "2.5.1", pattern("torchvision 0.20.1 / torchaudio 2.5.1")),
  release(v26, "2.6.0", "2025-01", "0.21.0", "2.6.0", pattern("torchaudio 2.6.0")),
  release(v27, "2.7.0", "2025-04", "0.22.0", "2.7.0"),
  release(
    v27,
    "2.7.1",
    "2025-06",
    "0.22.1",
    "2.7.1",
    pattern("torchvision 0.22.1 / torchaudio 2.7.1 (the resolve --json contract example agrees)"),
  ),
  release(v28, "2.8.0", "2025-08", "0.23.0", "2.8.0", pattern("torchaudio 2.8.0")),
  release(v29, "2.9.0", "2025-10-15", "0.24.0", "2.9.0"),
  release(v29, "2.9.1", "2025-11-12", "0.24.1", "2.9.1", pattern("torchvision 0.24.1 / torchaudio 2.9.1")),
  release(v210, "2.10.0", "2026-01-21", "0.25.0", "2.10.0"),
  release(v211, "2.11.0", "2026-03-23", "0.26.0", "2.11.0"),
  release(v2120, "2.12.0", "2026-05-13", "0.27.0", "2.11.1", torchaudio211),
  release(v2121, "2.12.1", "2026-06-18", "0.27.1", "2.11.1", torchaudio211),
  release(v213, "2.13.0", "2026-07-08", "0.28.0", "2.11.1", torchaudio211),
  release(v214, "2.14.0", "2026-09-02", "0.29.0", "2.11.1", torchaudio211),
  release(v2141, "2.14.1", "2026-09-30", "0.29.1", "2.11.1", {
    ...torchaudio211,
    note: "torchvision 0.29.1 (2026-09-30, the companion release; its metadata requires torch>=2.14.0); torchaudio 2.11.1 as 2.12",
  }),
  release(v215, "2.15.0", "2026-10-28", "0.29.2", "2.11.1", {
    ...torchaudio211,
    ref: "PyPI core metadata of torchvision-0.29.2-py3-none-manylinux_2_28_x86_64.whl (Requires-Dist torch>=2.14.0, published with torch 2.15.0 on 2026-10-28; no torchvision 0.30) and torchaudio-2.11.1-py3-none-manylinux_2_28_x86_64.whl (torch>=2.11)",
  }),
].map(withPypi);

/**
 * What each torch release's PyPI wheel states about itself: the CUDA build
 * (`nvidia-cuda-runtime-cu1X==…`, or since 2.11 `cuda-toolkit[…]==…`) and the
 * cuDNN, NCCL, cuSPARSELt, NVSHMEM and triton requirements of its core metadata
 * (`Requires-Dist`), its `Requires-Python`, and whether the aarch64 wheel is a
 * CUDA build (up to 2.10 its CUDA requirements carry `platform_machine ==
 * "x86_64"`: a CPU build). Read on 2026-12-05 from PyPI's JSON simple API and
 * each release's newest-CPython manylinux x86_64 and aarch64 wheel metadata
 * (the wheel's own METADATA, not a copy); docs/sources/pypi-wheel-metadata.md
 * is the record. `torchstack catalog update` reads the same facts live.
 */
import type { Provenance } from "./provenance.js";

export interface PypiBuild {
  /** The wheel variant the PyPI build is ("cu128"), read from its CUDA runtime requirement. */
  wheel: string;
  /** The CUDA runtime (or cuda-toolkit) version pinned. */
  runtime: string;
  cudnn: string;
  nccl: string;
  cusparselt?: string;
  nvshmem?: string;
  /** "3.4.0" when pinned exactly, else the specifier ("~=3.8.0"). */
  triton: string;
  requiresPython: string;
  /** True when the aarch64 wheel requires the CUDA libraries too (a CUDA build). */
  aarch64Cuda: boolean;
  /** The wheel whose metadata was read. */
  file: string;
}

export const PYPI_METADATA_FILE = "docs/sources/pypi-wheel-metadata.md";
export const PYPI_READ_DATE = "2026-12-05";

export function pypiSource(version: string, build: PypiBuild): Provenance {
  return {
    status: "primary",
    ref: `PyPI core metadata of ${build.file} (Requires-Dist, Requires-Python; torch ${version})`,
    date: PYPI_READ_DATE,
    file: PYPI_METADATA_FILE,
  };
}

/** Keyed by torch version; one row per release on PyPI from 2.0.0. */
export const PYPI_BUILDS: Readonly<Record<string, PypiBuild>> = {
  "2.0.0": {
    wheel: "cu117",
    runtime: "11.7.99",
    cudnn: "8.5.0.96",
    nccl: "2.14.3",
    triton: "2.0.0",
    requiresPython: ">=3.8.0",
    aarch64Cuda: false,
    file: "torch-2.0.0-cp311-cp311-manylinux1_x86_64.whl",
  },
  "2.0.1": {
    wheel: "cu117",
    runtime: "11.7.99",
    cudnn: "8.5.0.96",
    nccl: "2.14.3",
    triton: "2.0.0",
    requiresPython: ">=3.8.0",
    aarch64Cuda: false,
    file: "torch-2.0.1-cp311-cp311-manylinux1_x86_64.whl",
  },
  "2.1.0": {
    wheel: "cu121",
    runtime: "12.1.105",
    cudnn: "8.9.2.26",
    nccl: "2.18.1",
    triton: "2.1.0",
    requiresPython: ">=3.8.0",
    aarch64Cuda: false,
    file: "torch-2.1.0-cp311-cp311-manylinux1_x86_64.whl",
  },
  "2.1.1": {
    wheel: "cu121",
    runtime: "12.1.105",
    cudnn: "8.9.2.26",
    nccl: "2.18.1",
    triton: "2.1.0",
    requiresPython: ">=3.8.0",
    aarch64Cuda: false,
    file: "torch-2.1.1-cp311-cp311-manylinux1_x86_64.whl",
  },
  "2.1.2": {
    wheel: "cu121",
    runtime: "12.1.105",
    cudnn: "8.9.2.26",
    nccl: "2.18.1",
    triton: "2.1.0",
    requiresPython: ">=3.8.0",
    aarch64Cuda: false,
    file: "torch-2.1.2-cp311-cp311-manylinux1_x86_64.whl",
  },
  "2.2.0": {
    wheel: "cu121",
    runtime: "12.1.105",
    cudnn: "8.9.2.26",
    nccl: "2.19.3",
    triton: "2.2.0",
    requiresPython: ">=3.8.0",
    aarch64Cuda: false,
    file: "torch-2.2.0-cp312-cp312-manylinux1_x86_64.whl",
  },
  "2.2.1": {
    wheel: "cu121",
    runtime: "12.1.105",
    cudnn: "8.9.2.26",
    nccl: "2.19.3",
    triton: "2.2.0",
    requiresPython: ">=3.8.0",
    aarch64Cuda: false,
    file: "torch-2.2.1-cp312-cp312-manylinux1_x86_64.whl",
  },
  "2.2.2": {
    wheel: "cu121",
    runtime: "12.1.105",
    cudnn: "8.9.2.26",
    nccl: "2.19.3",
    triton: "2.2.0",
    requiresPython: ">=3.8.0",
    aarch64Cuda: false,
    file: "torch-2.2.2-cp312-cp312-manylinux1_x86_64.whl",
  },
  "2.3.0": {
    wheel: "cu121",
    runtime: "12.1.105",
    cudnn: "8.9.2.26",
    nccl: "2.20.5",
    triton: "2.3.0",
    requiresPython: ">=3.8.0",
    aarch64Cuda: false,
    file: "torch-2.3.0-cp312-cp312-manylinux1_x86_64.whl",
  },
  "2.3.1": {
    wheel: "cu121",
    runtime: "12.1.105",
    cudnn: "8.9.2.26",
    nccl: "2.20.5",
    triton: "2.3.1",
    requiresPython: ">=3.8.0",
    aarch64Cuda: false,
    file: "torch-2.3.1-cp312-cp312-manylinux1_x86_64.whl",
  },
  "2.4.0": {
    wheel: "cu121",
    runtime: "12.1.105",
    cudnn: "9.1.0.70",
    nccl: "2.20.5",
    triton: "3.0.0",
    requiresPython: ">=3.8.0",
    aarch64Cuda: false,
    file: "torch-2.4.0-cp312-cp312-manylinux1_x86_64.whl",
  },
  "2.4.1": {
    wheel: "cu121",
    runtime: "12.1.105",
    cudnn: "9.1.0.70",
    nccl: "2.20.5",
    triton: "3.0.0",
    requiresPython: ">=3.8.0",
    aarch64Cuda: false,
    file: "torch-2.4.1-cp312-cp312-manylinux1_x86_64.whl",
  },
  "2.5.0": {
    wheel: "cu124",
    runtime: "12.4.127",
    cudnn: "9.1.0.70",
    nccl: "2.21.5",
    triton: "3.1.0",
    requiresPython: ">=3.8.0",
    aarch64Cuda: false,
    file: "torch-2.5.0-cp313-cp313-manylinux1_x86_64.whl",
  },
  "2.5.1": {
    wheel: "cu124",
    runtime: "12.4.127",
    cudnn: "9.1.0.70",
    nccl: "2.21.5",
    triton: "3.1.0",
    requiresPython: ">=3.8.0",
    aarch64Cuda: false,
    file: "torch-2.5.1-cp313-cp313-manylinux1_x86_64.whl",
  },
  "2.6.0": {
    wheel: "cu124",
    runtime: "12.4.127",
    cudnn: "9.1.0.70",
    nccl: "2.21.5",
    cusparselt: "0.6.2",
    triton: "3.2.0",
    requiresPython: ">=3.9.0",
    aarch64Cuda: false,
    file: "torch-2.6.0-cp313-cp313-manylinux1_x86_64.whl",
  },
  "2.7.0": {
    wheel: "cu126",
    runtime: "12.6.77",
    cudnn: "9.5.1.17",
    nccl: "2.26.2",
    cusparselt: "0.6.3",
    triton: "3.3.0",
    requiresPython: ">=3.9.0",
    aarch64Cuda: false,
    file: "torch-2.7.0-cp313-cp313-manylinux_2_28_x86_64.whl",
  },
  "2.7.1": {
    wheel: "cu126",
    runtime: "12.6.77",
    cudnn: "9.5.1.17",
    nccl: "2.26.2",
    cusparselt: "0.6.3",
    triton: "3.3.1",
    requiresPython: ">=3.9.0",
    aarch64Cuda: false,
    file: "torch-2.7.1-cp313-cp313-manylinux_2_28_x86_64.whl",
  },
  "2.8.0": {
    wheel: "cu128",
    runtime: "12.8.90",
    cudnn: "9.10.2.21",
    nccl: "2.27.3",
    cusparselt: "0.7.1",
    triton: "3.4.0",
    requiresPython: ">=3.9.0",
    aarch64Cuda: false,
    file: "torch-2.8.0-cp313-cp313-manylinux_2_28_x86_64.whl",
  },
  "2.9.0": {
    wheel: "cu128",
    runtime: "12.8.90",
    cudnn: "9.10.2.21",
    nccl: "2.27.5",
    cusparselt: "0.7.1",
    nvshmem: "3.3.20",
    triton: "3.5.0",
    requiresPython: ">=3.10",
    aarch64Cuda: false,
    file: "torch-2.9.0-cp314-cp314-manylinux_2_28_x86_64.whl",
  },
  "2.9.1": {
    wheel: "cu128",
    runtime: "12.8.90",
    cudnn: "9.10.2.21",
    nccl: "2.27.5",
    cusparselt: "0.7.1",
    nvshmem: "3.3.20",
    triton: "3.5.1",
    requiresPython: ">=3.10",
    aarch64Cuda: false,
    file: "torch-2.9.1-cp314-cp314-manylinux_2_28_x86_64.whl",
  },
  "2.10.0": {
    wheel: "cu128",
    runtime: "12.8.90",
    cudnn: "9.10.2.21",
    nccl: "2.27.5",
    cusparselt: "0.7.1",
    nvshmem: "3.4.5",
    triton: "3.6.0",
    requiresPython: ">=3.10",
    aarch64Cuda: false,
    file: "torch-2.10.0-cp314-cp314-manylinux_2_28_x86_64.whl",
  },
  "2.11.0": {
    wheel: "cu130",
    runtime: "13.0.2",
    cudnn: "9.19.0.56",
    nccl: "2.28.9",
    cusparselt: "0.8.0",
    nvshmem: "3.4.5",
    triton: "3.6.0",
    requiresPython: ">=3.10",
    aarch64Cuda: true,
    file: "torch-2.11.0-cp314-cp314-manylinux_2_28_x86_64.whl",
  },
  "2.12.0": {
    wheel: "cu130",
    runtime: "13.0.2",
    cudnn: "9.20.0.48",
    nccl: "2.29.7",
    cusparselt: "0.8.1",
    nvshmem: "3.4.5",
    triton: "3.7.0",
    requiresPython: ">=3.10",
    aarch64Cuda: true,
    file: "torch-2.12.0-cp314-cp314-manylinux_2_28_x86_64.whl",
  },
  "2.12.1": {
    wheel: "cu130",
    runtime: "13.0.2",
    cudnn: "9.20.0.48",
    nccl: "2.29.7",
    cusparselt: "0.8.1",
    nvshmem: "3.4.5",
    triton: "3.7.1",
    requiresPython: ">=3.10",
    aarch64Cuda: true,
    file: "torch-2.12.1-cp314-cp314-manylinux_2_28_x86_64.whl",
  },
  "2.13.0": {
    wheel: "cu130",
    runtime: "13.0.3",
    cudnn: "9.20.0.48",
    nccl: "2.29.7",
    cusparselt: "0.8.1",
    nvshmem: "3.4.5",
    triton: "3.7.1",
    requiresPython: ">=3.10",
    aarch64Cuda: true,
    file: "torch-2.13.0-cp314-cp314-manylinux_2_28_x86_64.whl",
  },
  "2.14.0": {
    wheel: "cu130",
    runtime: "13.0.3",
    cudnn: "9.24.0.43",
    nccl: "2.30.7",
    cusparselt: "0.8.1",
    nvshmem: "3.4.5",
    triton: "~=3.8.0",
    requiresPython: ">=3.10",
    aarch64Cuda: true,
    file: "torch-2.14.0-cp314-cp314-manylinux_2_28_x86_64.whl",
  },
  "2.14.1": {
    wheel: "cu130",
    runtime: "13.0.3",
    cudnn: "9.24.0.43",
    nccl: "2.30.7",
    cusparselt: "0.8.1",
    nvshmem: "3.4.5",
    triton: "~=3.8.0",
    requiresPython: ">=3.10",
    aarch64Cuda: true,
    file: "torch-2.14.1-cp314-cp314-manylinux_2_28_x86_64.whl",
  },
  "2.15.0": {
    wheel: "cu132",
    runtime: "13.2.2",
    cudnn: "9.26.0.51",
    nccl: "2.30.7",
    cusparselt: "0.8.1",
    nvshmem: "3.7.2",
    triton: "~=3.9.0",
    requiresPython: ">=3.11",
    aarch64Cuda: true,
    file: "torch-2.15.0-cp315-cp315-manylinux_2_28_x86_64.whl",
  },
};

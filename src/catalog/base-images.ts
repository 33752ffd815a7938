/**
 * The base operating systems torchstack builds on: pinned image tags (never
 * `latest`) and the CPython each ships, so the renderer can use the OS's own
 * python when it matches the stack instead of downloading one.
 */
export interface BaseOs {
  id: "ubuntu-22.04" | "ubuntu-24.04" | "debian-12" | "debian-13";
  ref: string;
  python: string;
  /** NVIDIA's apt repository path for this OS (nvcc for the devel flavor). */
  cudaRepo: string;
}

export const BASE_OS: Readonly<Record<BaseOs["id"], BaseOs>> = {
  "ubuntu-22.04": { id: "ubuntu-22.04", ref: "ubuntu:22.04", python: "3.10", cudaRepo: "ubuntu2204" },
  "ubuntu-24.04": { id: "ubuntu-24.04", ref: "ubuntu:24.04", python: "3.12", cudaRepo: "ubuntu2404" },
  "debian-12": { id: "debian-12", ref: "debian:12-slim", python: "3.11", cudaRepo: "debian12" },
  "debian-13": { id: "debian-13", ref: "debian:13-slim", python: "3.13", cudaRepo: "debian13" },
};

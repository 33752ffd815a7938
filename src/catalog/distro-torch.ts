/**
 * PyTorch as the operating system packages it (`python3-torch`): CPU only, one
 * version per distribution release, tied to the distribution's Python. This is
 * the torch source the tests on CPU-only, offline machines build with.
 */
import type { Provenance } from "./provenance.js";

export interface DistroTorch {
  /** The spec `base` this row applies to. */
  base: string;
  /** Upstream torch version as the stack reports it. */
  torch: string;
  /** Exact Debian/Ubuntu package versions, for apt pins. */
  packages: { torch: string; torchvision: string | null; torchaudio: string | null };
  python: string;
  torchvision: string | null;
  torchaudio: string | null;
  source: Provenance;
}

export const DISTRO_TORCH: readonly DistroTorch[] = [
  {
    base: "debian-12",
    torch: "1.13.1",
    packages: { torch: "1.13.1+dfsg-4", torchvision: "0.14.1-2", torchaudio: "0.13.1-1" },
    python: "3.11",
    torchvision: "0.14.1",
    torchaudio: "0.13.1",
    source: {
      status: "primary",
      ref: "deb.debian.org bookworm/main amd64 Packages (apt-cache policy python3-torch python3-torchvision python3-torchaudio)",
      date: "2026-11-23",
    },
  },
  {
    base: "ubuntu-24.04",
    torch: "2.1.2",
    packages: { torch: "2.1.2+dfsg-1", torchvision: null, torchaudio: null },
    python: "3.12",
    torchvision: null,
    torchaudio: null,
    source: {
      status: "unverified",
      ref: "memory",
      date: "2026-11",
      note: "Ubuntu 24.04 (noble, universe) python3-torch 2.1.2 is not in compat-facts; package revision and torchvision/torchaudio pairing not checked",
    },
  },
];

/** The distro row for a base; undefined when that base has no python3-torch we know of. */
export function distroTorchFor(base: string): DistroTorch | undefined {
  return DISTRO_TORCH.find((row) => row.base === base);
}

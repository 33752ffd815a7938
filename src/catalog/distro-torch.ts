/**
 * PyTorch as the operating system packages it (`python3-torch`): CPU only, one
 * version per distribution release, tied to the distribution's Python. This is
 * the torch source the tests on CPU-only, offline machines build with. Each row
 * also says what that release needs for torch.compile (the toolchain flavor's
 * extra packages) and whether its TCPStore needs the libuv fallback.
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
  /** OS packages the toolchain/devel flavors add so inductor can compile C++ on CPU (beyond gcc, g++, make, python3-dev). */
  compilePackages: readonly string[];
  /** True when torch was built without libuv while TCPStore asks for it (the image carries the fallback). */
  tcpstoreNeedsLibuvFallback: boolean;
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
    compilePackages: [],
    tcpstoreNeedsLibuvFallback: false,
    source: {
      status: "primary",
      ref: "deb.debian.org bookworm/main amd64 Packages (apt-cache policy python3-torch python3-torchvision python3-torchaudio)",
      date: "2026-11-23",
    },
  },
  {
    base: "debian-13",
    torch: "2.6.0",
    packages: { torch: "2.6.0+dfsg-7", torchvision: "0.21.0-3", torchaudio: "2.6.0-1" },
    python: "3.13",
    torchvision: "0.21.0",
    torchaudio: "2.6.0",
    // Without python3-setuptools inductor fails with "No module named 'setuptools.command'", without
    // libtorch-dev with "ATen/NumericUtils.h: No such file" (tried in torchstack-local/debian:13).
    compilePackages: ["libtorch-dev", "python3-setuptools"],
    tcpstoreNeedsLibuvFallback: true,
    source: {
      status: "primary",
      ref: "deb.debian.org trixie/main amd64 Packages (apt-cache policy python3-torch python3-torchvision python3-torchaudio libtorch-dev); torch.compile and torchrun tried in torchstack-local/debian:13",
      date: "2026-12-01",
    },
  },
  {
    base: "ubuntu-24.04",
    torch: "2.1.2",
    packages: { torch: "2.1.2+dfsg-1", torchvision: null, torchaudio: null },
    python: "3.12",
    torchvision: null,
    torchaudio: null,
    compilePackages: [],
    tcpstoreNeedsLibuvFallback: false,
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

/** The distro row whose python3-torch package a lock pins (`python3-torch=2.6.0+dfsg-7`), if any. */
export function distroTorchForRequirements(requirements: readonly string[]): DistroTorch | undefined {
  return DISTRO_TORCH.find((row) => requirements.includes(`python3-torch=${row.packages.torch}`));
}

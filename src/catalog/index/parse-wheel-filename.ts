/**
 * Reading a wheel file name (PEP 427) the way the PyTorch index writes them:
 * `torch-2.7.1+cu128-cp312-cp312-manylinux_2_28_x86_64.whl` → release 2.7.1,
 * variant cu128, CPython 3.12, x86_64; `cp313-cp313t` → free-threaded "3.13t".
 * Only final X.Y.Z releases on Linux x86_64/aarch64 CPython count; anything
 * else (sdists, nightlies, Windows, macOS, ROCm) gives null. Pure.
 */

export interface WheelFile {
  /** Distribution name with "-" as "_", lower case: "torch". */
  name: string;
  /** "2.7.1" */
  version: string;
  /** The local version: "cu128", "cpu"; null when the file has none (the PyPI build). */
  variant: string | null;
  /** "3.12", or "3.13t" for a free-threaded build. */
  python: string;
  platform: "x86_64" | "aarch64";
}

const WHEEL =
  /^([A-Za-z0-9_.]+)-(\d+\.\d+\.\d+)(?:\+([A-Za-z0-9.]+))?-(?:\d[^-]*-)?([^-]+)-([^-]+)-([^-]+)\.whl$/;

export function parseWheelFilename(filename: string): WheelFile | null {
  const match = WHEEL.exec(decodeURIComponent(filename));
  if (!match) return null;
  const [, name = "", version = "", local, pythonTag = "", abiTag = "", platformTag = ""] = match;
  const variant = local ?? null;
  if (variant !== null && !/^(cpu|cu\d{3})$/.test(variant)) return null;
  const cpython = /^cp3(\d+)$/.exec(pythonTag);
  if (!cpython) return null;
  const freeThreaded = abiTag === `cp3${cpython[1]}t`;
  const platform = /linux.*_x86_64$/.test(platformTag)
    ? "x86_64"
    : /linux.*_aarch64$/.test(platformTag)
      ? "aarch64"
      : null;
  if (platform === null) return null;
  return {
    name: name.toLowerCase().replace(/[-.]/g, "_"),
    version,
    variant,
    python: `3.${cpython[1]}${freeThreaded ? "t" : ""}`,
    platform,
  };
}

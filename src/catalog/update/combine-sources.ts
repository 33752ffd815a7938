/**
 * What the sources say together (pure): per torch release, the variants of the
 * PyTorch index and of PyPI joined by wheel name (Pythons and platforms
 * united; pins from the index's own metadata, else PyPI's), PyPI's build as the
 * PyPI default, and the torchvision/torchaudio pairing PyPI's metadata gives
 * (else the index's).
 */
import type { IndexRelease, IndexVariant, Overlay } from "../overlay/overlay-schema.js";
import { compareVersions } from "../version-order.js";

const union = <T>(a: readonly T[], b: readonly T[]): T[] => [...new Set([...a, ...b])];

function joinVariant(a: IndexVariant, b: IndexVariant): IndexVariant {
  const merged: IndexVariant = { ...b, ...a };
  for (const key of [
    "cudnn",
    "nccl",
    "cudaRuntime",
    "triton",
    "requiresPython",
    "cusparselt",
    "nvshmem",
  ] as const)
    merged[key] = a[key] ?? b[key] ?? null;
  merged.pythons = union(a.pythons, b.pythons);
  merged.platforms = union(a.platforms, b.platforms).sort();
  return merged;
}

export function combineSources(sources: NonNullable<Overlay["sources"]>): IndexRelease[] {
  const index = sources.find((s) => s.id === "pytorch-index")?.releases ?? [];
  const pypi = sources.find((s) => s.id === "pypi")?.releases ?? [];
  const versions = union(
    index.map((r) => r.version),
    pypi.map((r) => r.version),
  ).sort(compareVersions);
  return versions.map((version) => {
    const fromIndex = index.find((r) => r.version === version);
    const fromPypi = pypi.find((r) => r.version === version);
    if (!fromIndex || !fromPypi) return (fromIndex ?? fromPypi) as IndexRelease;
    const variants = new Map(fromIndex.variants.map((v) => [v.wheel, v]));
    for (const v of fromPypi.variants) {
      const known = variants.get(v.wheel);
      variants.set(v.wheel, known ? joinVariant(known, v) : v);
    }
    const torchOnly = fromPypi.torchOnlyPython ?? fromIndex.torchOnlyPython;
    return {
      version,
      variants: [...variants.values()],
      ...(torchOnly ? { torchOnlyPython: torchOnly } : {}),
      pypiDefault: fromPypi.pypiDefault ?? fromIndex.pypiDefault,
      torchvision: fromPypi.torchvision ?? fromIndex.torchvision,
      torchaudio: fromPypi.torchaudio ?? fromIndex.torchaudio,
    };
  });
}

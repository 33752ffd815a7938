/**
 * Where torch, torchvision and torchaudio come from. PyPI carries one CUDA build
 * of each torch release for Linux x86_64 (2.7: CUDA 12.6; 2.8–2.10: 12.8;
 * 2.11–2.14: 13.0), without a local `+cuXXX` label: when the locked variant is
 * that build, they come from the Python index. Any other variant (cu128 of 2.7,
 * cpu, aarch64) comes from the PyTorch index pinned with its label
 * (`torch==2.7.1+cu128`), because a plain `==2.7.1` is also met by PyPI's build.
 */

import type { TorchRelease } from "../../catalog/torch-releases.js";
import { TORCH_RELEASES } from "../../catalog/torch-releases.js";
import { PYTORCH_WHEEL_INDEX, wheelIndexUrl } from "../../catalog/wheel-index.js";
import type { Spec } from "../../spec/schema.js";
import { PYPI_SIMPLE } from "./package-indexes.js";

export interface TorchWheelSource {
  /** True: PyPI's own build (no local label), from the Python index. */
  pypi: boolean;
  /** The local version label for the PyTorch index ("cu128", "cpu"); null for PyPI's build. */
  localLabel: string | null;
}

export function torchWheelSource(
  stack: { torch: string; wheel: string },
  platform: string,
  releases: readonly Pick<TorchRelease, "version" | "pypiDefault">[] = TORCH_RELEASES,
): TorchWheelSource {
  const release = releases.find((r) => r.version === stack.torch);
  const pypi = platform === "x86_64" && release?.pypiDefault === stack.wheel && stack.wheel !== "cpu";
  return { pypi, localLabel: pypi ? null : stack.wheel };
}

/** The index the lock names for torch: the spec's Python index for PyPI's build, else the variant's folder. */
export function torchIndexUrl(spec: Spec, source: TorchWheelSource, wheel: string): string {
  if (source.pypi) return spec.indexes?.python ?? PYPI_SIMPLE;
  return wheelIndexUrl(wheel, spec.indexes?.pytorch ?? PYTORCH_WHEEL_INDEX);
}

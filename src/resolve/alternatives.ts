/**
 * Remedies that name concrete versions: which other torch releases and wheel
 * variants would satisfy the GPUs, the driver or a pinned CUDA. Scans the
 * newest patch of each minor, newest first, confirmed releases before unconfirmed,
 * and within a release in policy order (PyPI default first).
 */
import type { TorchRelease, WheelVariant } from "../catalog/torch-releases.js";
import { minorOf } from "../catalog/version-order.js";
import { newestPatches } from "./find-release.js";
import { humanList } from "./human-list.js";
import { policyOrder } from "./policy-order.js";

export interface Alternative {
  release: TorchRelease;
  variant: WheelVariant;
}

export function findAlternatives(
  accept: (release: TorchRelease, variant: WheelVariant) => boolean,
): Alternative[] {
  const found: Alternative[] = [];
  const releases = newestPatches();
  const ordered = [...releases.filter((r) => !r.unconfirmed), ...releases.filter((r) => r.unconfirmed)];
  for (const release of ordered) {
    for (const variant of policyOrder(release)) {
      if (accept(release, variant)) found.push({ release, variant });
    }
  }
  return found;
}

/** "--torch 2.13 --cuda 13.0" for an alternative. */
export function flagsFor(alternative: Alternative): string {
  return `--torch ${minorOf(alternative.release.version)} --cuda ${alternative.variant.cuda ?? "cpu"}`;
}

/** "2.7–2.13 (cu128, cu130)": the minors and variants of a set of alternatives. */
export function summarize(alternatives: readonly Alternative[]): string {
  const minors = [...new Set(alternatives.map((a) => minorOf(a.release.version)))].sort(
    (a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]),
  );
  const wheels = [...new Set(alternatives.map((a) => a.variant.wheel))].sort();
  const span = minors.length > 1 ? `${minors[0]}–${minors.at(-1)}` : (minors[0] ?? "");
  return `${span} (${humanList(wheels)})`;
}

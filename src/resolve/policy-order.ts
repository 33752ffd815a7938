/**
 * The order in which `--cuda auto` tries a release's CUDA variants: the PyPI
 * default first, then the newest CUDA, then variants only the wheel index lists
 * (cu129 for 2.9–2.13), experimental variants last.
 */
import type { TorchRelease, WheelVariant } from "../catalog/torch-releases.js";
import { compareVersions } from "../catalog/version-order.js";

export function policyOrder(release: TorchRelease): WheelVariant[] {
  const cuda = release.variants.filter((v) => v.cuda !== null);
  const rank = (v: WheelVariant) =>
    v.wheel === release.pypiDefault ? 0 : v.experimental ? 3 : v.indexOnly ? 2 : 1;
  return [...cuda].sort((a, b) => rank(a) - rank(b) || compareVersions(b.cuda ?? "0", a.cuda ?? "0"));
}

/**
 * The official PyTorch wheel index, named once. Each wheel variant has its own
 * folder (`…/whl/cu128`, `…/whl/cpu`); `catalog update --index URL` reads a
 * mirror in the same layout instead.
 */

/** Base URL of the official wheel index. */
export const PYTORCH_WHEEL_INDEX = "https://download.pytorch.org/whl";

/** The index URL pip installs one variant from: `wheelIndexUrl("cu128")`. */
export function wheelIndexUrl(variant: string, base: string = PYTORCH_WHEEL_INDEX): string {
  return `${base.replace(/\/+$/, "")}/${variant}`;
}

/** The pip command line that installs `torch` (optionally pinned) from one variant's index. */
export function pipInstallTorch(variant: string, version?: string): string {
  return `pip install torch${version ? `==${version}` : ""} --index-url ${wheelIndexUrl(variant)}`;
}

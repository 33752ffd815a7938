/**
 * The fix sentence of one alternative: the flags to pass (or the spec keys to
 * set) and what the alternative runs on, e.g. `use --torch 2.11.0 --cuda 12.8
 * (torch 2.11.0 cu128 runs on RTX 5090 (sm_120) with driver 570.86.15)`.
 */
import type { Alternative } from "./alternatives.js";
import { gpuLabel } from "./check-variant.js";
import { gpuTarget } from "./gpu-target.js";
import { humanList } from "./human-list.js";
import type { ResolveRequest } from "./resolve-request.js";

function targets(req: ResolveRequest): string {
  const gpus = (req.gpus ?? [])
    .map((g) => (typeof g === "string" ? gpuTarget(g) : g))
    .filter((g) => g.computeCapability !== null)
    .map(gpuLabel);
  const driver = typeof req.driver === "string" ? `driver ${req.driver}` : "";
  const parts = [humanList(gpus), driver].filter((p) => p !== "");
  return parts.join(" with ");
}

export function alternativeFlags(alternative: Alternative): string {
  const python = alternative.python === undefined ? "" : ` --python ${alternative.python}`;
  return `--torch ${alternative.torch} --cuda ${alternative.cuda}${python}`;
}

/** `unconfirmed`: the release is in the catalog without a primary source (its facts are UNVERIFIED). */
export function alternativeFix(req: ResolveRequest, alternative: Alternative, unconfirmed = false): string {
  const flags = alternativeFlags(alternative);
  const caveat = unconfirmed
    ? `; torch ${alternative.torch} is unconfirmed, its catalog facts are UNVERIFIED`
    : "";
  if (alternative.cuda === "cpu") return `use ${flags} for a CPU-only image (no GPU is used${caveat})`;
  const where = targets(req);
  const wheel = `cu${alternative.cuda.replace(".", "")}`;
  const runs = where ? `runs on ${where}` : "has wheels for this request";
  return `use ${flags} (torch ${alternative.torch} ${wheel} ${runs}${caveat})`;
}

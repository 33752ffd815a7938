/**
 * The resolution policy when torch is not pinned: the newest confirmed release
 * that has a wheel variant running on every target GPU and the driver, for the
 * Python asked (and the CUDA, when that is pinned). Each newer release passed
 * over gets an `--explain` line saying why. When no release runs, the newest
 * confirmed release's own failure is raised, so the code says what blocks it.
 */
import type { TorchRelease } from "../catalog/torch-releases.js";
import { checkVariant, isUsable } from "./check-variant.js";
import { chooseVariant, type VariantChoice } from "./choose-variant.js";
import { choosePython, hasPython, newestConfirmed, newestFirst } from "./find-release.js";
import { policyOrder } from "./policy-order.js";
import type { ExplainEntry, GpuTarget, ResolveRequest } from "./resolve-request.js";

export interface ReleaseChoice {
  release: TorchRelease;
  choice: VariantChoice;
  /** Why each newer release was passed over, newest first. */
  passedOver: ExplainEntry[];
}

/** Why no CUDA variant of the release (or not the pinned one) runs; undefined when one does. */
function whyNoVariantRuns(
  release: TorchRelease,
  req: ResolveRequest,
  gpus: readonly GpuTarget[],
): string | undefined {
  const cuda = req.cuda ?? "auto";
  if (cuda === "cpu") return release.variants.some((v) => v.cuda === null) ? undefined : "no cpu wheel";
  const candidates = cuda === "auto" ? policyOrder(release) : release.variants.filter((v) => v.cuda === cuda);
  if (candidates.length === 0)
    return cuda === "auto" ? `no CUDA wheel for ${req.platform ?? "x86_64"}` : `no CUDA ${cuda} wheel`;
  const checks = candidates.map((v) => checkVariant(v, gpus, req.driver));
  if (checks.some(isUsable)) return undefined;
  return checks
    .map(
      (c) =>
        `${c.variant.wheel}: ${[...c.gpuProblems, ...(c.driverProblem ? [c.driverProblem] : [])].join("; ")}`,
    )
    .join("; ");
}

function passed(release: TorchRelease, reason: string): ExplainEntry {
  return { subject: `torch ${release.version}`, verdict: "rejected", reason };
}

export function chooseRelease(
  releases: readonly TorchRelease[],
  req: ResolveRequest,
  gpus: readonly GpuTarget[],
): ReleaseChoice {
  const passedOver: ExplainEntry[] = [];
  for (const release of newestFirst(releases)) {
    if (release.unconfirmed !== undefined) {
      passedOver.push(passed(release, `unconfirmed (${release.unconfirmed}); pin it with --torch to use it`));
      continue;
    }
    if (req.python !== undefined && !release.python.includes(req.python)) {
      const note = hasPython(release, req.python) ? " (only as a preview; pin --torch to use it)" : "";
      passedOver.push(passed(release, `no regular wheels for Python ${req.python}${note}`));
      continue;
    }
    const blocked = whyNoVariantRuns(release, req, gpus);
    if (blocked) {
      passedOver.push(passed(release, blocked));
      continue;
    }
    return { release, choice: chooseVariant(release, req, gpus), passedOver };
  }
  const newest = newestConfirmed(releases);
  choosePython(newest, req.python);
  return { release: newest, choice: chooseVariant(newest, req, gpus), passedOver };
}

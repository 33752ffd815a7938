/**
 * The resolver's core: from a request (torch, CUDA, Python, driver, GPUs) and
 * the catalog's releases it picks the exact stack that runs, or throws a
 * ResolveError. Policy and rules: docs/resolve-policy.md. No I/O; the host is
 * read elsewhere. resolveStack() (resolve-stack.ts) adds proven alternatives.
 */
import type { Provenance } from "../catalog/provenance.js";
import type { TorchRelease, WheelVariant } from "../catalog/torch-releases.js";
import { chooseRelease } from "./choose-release.js";
import { chooseVariant, type VariantChoice } from "./choose-variant.js";
import { choosePython, findRelease } from "./find-release.js";
import { gpuTarget } from "./gpu-target.js";
import { humanList } from "./human-list.js";
import { checkPlatform, effectivePlatform, releasesFor } from "./platform-fit.js";
import { resolveDistro } from "./resolve-distro.js";
import type { ExplainEntry, GpuTarget, ResolveRequest, ResolveResult } from "./resolve-request.js";

function catalogNotes(release: TorchRelease, variant: WheelVariant): ExplainEntry[] {
  const notes: ExplainEntry[] = [];
  const sources: Array<readonly [string, Provenance]> = [
    [`torch ${release.version}`, release.source],
    ...(release.pairingSource
      ? [
          [
            `torchvision ${release.torchvision ?? "none"} / torchaudio ${release.torchaudio ?? "none"}`,
            release.pairingSource,
          ] as const,
        ]
      : []),
    [variant.wheel, variant.source],
  ];
  for (const [subject, source] of sources) {
    const label = source.status === "unverified" ? "UNVERIFIED" : source.status;
    const note = source.note ? `: ${source.note}` : "";
    notes.push({
      subject: "catalog",
      verdict: "note",
      reason: `${subject} facts are ${label} (${source.ref})${note}`,
    });
  }
  return notes;
}

function hostWarnings(
  req: ResolveRequest,
  variant: WheelVariant,
  minDriver: string | null,
  gpus: readonly GpuTarget[],
): string[] {
  const warnings: string[] = [];
  for (const gpu of gpus) {
    if (gpu.inferredFrom !== undefined) {
      warnings.push(
        `GPU "${gpu.label}" has no catalog row: checked as compute capability ${gpu.computeCapability} (${gpu.inferredFrom}; UNVERIFIED series mapping)`,
      );
    }
    if (gpu.computeCapability === null) {
      warnings.push(
        `unknown GPU "${gpu.label}": not checked; name it as --gpu sm_XY (e.g. sm_90) to check it`,
      );
    }
  }
  if (variant.cuda === null && gpus.length > 0) {
    warnings.push(`the cpu wheel does not use GPUs: ${humanList(gpus.map((g) => g.label))} will sit idle`);
  }
  if (variant.cuda !== null && req.driver === null) {
    warnings.push(
      `no NVIDIA driver on this host: the image targets GPU hosts with driver ≥ ${minDriver} and cannot use a GPU here; use --cuda cpu for a CPU-only image`,
    );
  }
  if (variant.experimental) {
    warnings.push(`${variant.wheel} is published as experimental for this torch release; expect rough edges`);
  }
  if (variant.cuda === null && req.flavor === "devel") {
    warnings.push(
      "flavor devel adds the CUDA compiler (nvcc), which a cpu wheel cannot use; use flavor runtime or toolchain",
    );
  }
  return warnings;
}

/** The newest-first policy (torch not pinned) or the pinned release; explain says which and why. */
function pickRelease(
  releases: readonly TorchRelease[],
  req: ResolveRequest,
  gpus: readonly GpuTarget[],
): { release: TorchRelease; choice: VariantChoice; explain: ExplainEntry[] } {
  if (req.torch === undefined) {
    const picked = chooseRelease(releases, req, gpus);
    const newest = picked.passedOver.length === 0;
    const why = newest
      ? "newest confirmed release (no torch version requested)"
      : "newest confirmed release with a wheel that runs on every target GPU and the driver (no torch version requested)";
    return {
      release: picked.release,
      choice: picked.choice,
      explain: [
        { subject: "torch", verdict: "chosen", reason: `${picked.release.version}: ${why}` },
        ...picked.passedOver,
      ],
    };
  }
  const { release, why } = findRelease(releases, req.torch);
  choosePython(release, req.python); // a Python the release lacks fails before the variants are checked
  return {
    release,
    choice: chooseVariant(release, req, gpus),
    explain: [{ subject: "torch", verdict: "chosen", reason: `${release.version}: ${why}` }],
  };
}

/**
 * resolveCore(): resolveStack() without alternatives. A failure carries only the
 * fixes that are not another request (upgrade the driver, forward compatibility).
 */
export function resolveCore(req: ResolveRequest, catalogReleases: readonly TorchRelease[]): ResolveResult {
  const gpus = (req.gpus ?? []).map((g) => (typeof g === "string" ? gpuTarget(g) : g));
  const platform = effectivePlatform(req.platform, req.platformFrom, gpus);
  checkPlatform(platform, gpus, req.platformFrom);
  if (req.torchSource === "distro") return resolveDistro(req);
  const releases = releasesFor(catalogReleases, platform);
  const picked = pickRelease(releases, { ...req, platform }, gpus);
  const { release, choice } = picked;
  const warnings: string[] = [];
  const explain: ExplainEntry[] = [...picked.explain];
  if (release.unconfirmed) {
    warnings.push(
      `torch ${release.version} is not confirmed by a primary source (${release.unconfirmed}): its catalog facts are UNVERIFIED`,
    );
  }
  const python = choosePython(release, req.python);
  explain.push({ subject: "python", verdict: "chosen", reason: `${python.python}: ${python.why}` });
  if (python.warning) warnings.push(python.warning);
  explain.push(...choice.explain);
  const variant = choice.check.variant;
  const minDriver = choice.check.minDriver;
  warnings.push(...choice.check.warnings, ...hostWarnings(req, variant, minDriver, gpus));
  if (req.driver === undefined && variant.cuda !== null) {
    explain.push({
      subject: "driver",
      verdict: "note",
      reason: `host driver not checked; the image needs driver ≥ ${minDriver}`,
    });
  }
  explain.push(...catalogNotes(release, variant));
  // A Python with torch wheels only (2.14's 3.15 preview): no torchvision or torchaudio to pair.
  const torchOnly = release.torchOnlyPython?.includes(python.python) ?? false;
  if (torchOnly)
    warnings.push(
      `Python ${python.python} has torch ${release.version} wheels but no torchvision or torchaudio: the stack has torch only`,
    );
  return {
    stack: {
      torch: release.version,
      wheel: variant.wheel,
      cuda: variant.cuda,
      cudnn: variant.cudnn,
      nccl: variant.nccl,
      python: python.python,
      torchvision: torchOnly ? null : release.torchvision,
      torchaudio: torchOnly ? null : release.torchaudio,
      minDriver,
      archList: [...variant.archList],
    },
    warnings,
    explain,
  };
}

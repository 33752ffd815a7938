/**
 * resolveStack(): the pure heart of `torchstack resolve`. From a request (torch,
 * CUDA, Python, driver, GPUs) and the catalog it picks the exact stack that runs,
 * or throws a ResolveError whose remedies name versions that would. Policy and
 * rules: docs/resolve-policy.md. No I/O; the host is read elsewhere.
 */
import type { Provenance } from "../catalog/provenance.js";
import type { TorchRelease, WheelVariant } from "../catalog/torch-releases.js";
import { TORCH_RELEASES } from "../catalog/torch-releases.js";
import { compareVersions } from "../catalog/version-order.js";
import { chooseVariant } from "./choose-variant.js";
import { choosePython, findRelease } from "./find-release.js";
import { gpuTarget } from "./gpu-target.js";
import { humanList } from "./human-list.js";
import { resolveDistro } from "./resolve-distro.js";
import type { ExplainEntry, GpuTarget, ResolveRequest, ResolveResult } from "./resolve-request.js";

export type { ResolveRequest, ResolveResult } from "./resolve-request.js";

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

export function resolveStack(req: ResolveRequest): ResolveResult {
  if (req.torchSource === "distro") return resolveDistro(req);
  const { release, why } = findRelease(req.torch);
  const warnings: string[] = [];
  const explain: ExplainEntry[] = [
    { subject: "torch", verdict: "chosen", reason: `${release.version}: ${why}` },
  ];
  if (release.unconfirmed) {
    warnings.push(
      `torch ${release.version} is not confirmed by a primary source (${release.unconfirmed}): its catalog facts are UNVERIFIED`,
    );
  }
  if (req.torch === undefined) {
    const newer = TORCH_RELEASES.filter((r) => compareVersions(r.version, release.version) > 0).map(
      (r) => r.version,
    );
    if (newer.length > 0) {
      explain.push({
        subject: "torch",
        verdict: "note",
        reason: `newer but unconfirmed in the catalog: ${humanList(newer)} (pin with --torch to use)`,
      });
    }
  }
  const python = choosePython(release, req.python);
  explain.push({ subject: "python", verdict: "chosen", reason: `${python.python}: ${python.why}` });
  if (python.warning) warnings.push(python.warning);
  const gpus = (req.gpus ?? []).map((g) => (typeof g === "string" ? gpuTarget(g) : g));
  const choice = chooseVariant(release, req, gpus);
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
  return {
    stack: {
      torch: release.version,
      wheel: variant.wheel,
      cuda: variant.cuda,
      cudnn: variant.cudnn,
      nccl: variant.nccl,
      python: python.python,
      torchvision: release.torchvision,
      torchaudio: release.torchaudio,
      minDriver,
      archList: [...variant.archList],
    },
    warnings,
    explain,
  };
}

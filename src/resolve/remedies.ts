/**
 * The remedies of E_GPU_UNSUPPORTED and E_DRIVER_TOO_OLD: concrete flags that
 * would work (another variant of the same torch, the newest other torch), the
 * driver to upgrade to, and forward compatibility where NVIDIA supports it.
 */
import type { TorchRelease, WheelVariant } from "../catalog/torch-releases.js";
import { compareVersions, minorOf, versionParts } from "../catalog/version-order.js";
import { findAlternatives, flagsFor, summarize } from "./alternatives.js";
import { checkDriver, checkGpus, requiredDriver } from "./check-variant.js";
import { humanList } from "./human-list.js";
import type { GpuTarget, ResolveRequest } from "./resolve-request.js";

/** Driver branches NVIDIA's forward-compatibility table lists as supported bases for cuda-compat-13-x. */
const FORWARD_COMPAT_BRANCHES = [535, 570];

function gpuLabels(gpus: readonly GpuTarget[]): string {
  return humanList(gpus.filter((g) => g.computeCapability !== null).map((g) => `${g.label}`));
}

function pythonOk(req: ResolveRequest, release: TorchRelease): boolean {
  return req.python === undefined || release.python.includes(req.python);
}

function sameTorch(release: TorchRelease, req: ResolveRequest, gpus: readonly GpuTarget[]): string[] {
  return release.variants
    .filter((v) => v.cuda !== null && v.cuda !== req.cuda)
    .filter((v) => checkGpus(v, gpus).length === 0 && checkDriver(v, req.driver, gpus) === undefined)
    .reverse()
    .map((v) => `use --cuda ${v.cuda} (torch ${release.version} ${v.wheel} runs here)`);
}

export function gpuRemedies(
  release: TorchRelease,
  req: ResolveRequest,
  gpus: readonly GpuTarget[],
): string[] {
  const labels = gpuLabels(gpus);
  const remedies = sameTorch(release, req, gpus).slice(0, 1);
  const runs = findAlternatives(
    (r, v) =>
      pythonOk(req, r) && checkGpus(v, gpus).length === 0 && checkDriver(v, req.driver, gpus) === undefined,
  );
  const first = runs[0];
  const oldest = runs.filter((a) => a.release.unconfirmed === undefined).at(-1);
  if (first) {
    if (oldest && oldest !== first && compareVersions(oldest.release.version, release.version) > 0) {
      remedies.push(`use ${flagsFor(oldest)} (the oldest torch with code for ${labels})`);
    }
    const sameAsFirst = first.release === release && remedies.length > 0;
    if (!sameAsFirst) remedies.push(`use ${flagsFor(first)} (the newest torch with code for ${labels})`);
    const confirmed = runs.filter((a) => a.release.unconfirmed === undefined);
    const unconfirmed = [
      ...new Set(runs.filter((a) => a.release.unconfirmed).map((a) => minorOf(a.release.version))),
    ];
    const more = unconfirmed.length > 0 ? `; unconfirmed: ${humanList(unconfirmed.reverse())}` : "";
    remedies.push(
      `torch releases with code for ${labels}: ${summarize(confirmed.length > 0 ? confirmed : runs)}${more}`,
    );
    return remedies;
  }
  const gpuOnly = findAlternatives((_r, v) => checkGpus(v, gpus).length === 0);
  const newest = gpuOnly[0];
  if (newest) {
    const minimum = requiredDriver(newest.variant, gpus) ?? "";
    remedies.push(`use ${flagsFor(newest)} after upgrading the NVIDIA driver to ≥ ${minimum}`);
    return remedies;
  }
  remedies.push(
    `no official PyTorch wheel has code for ${labels}: build torch from source with TORCH_CUDA_ARCH_LIST set to its capability`,
  );
  return remedies;
}

function forwardCompat(driver: string, variant: WheelVariant): string | undefined {
  const branch = versionParts(driver)[0] ?? 0;
  if (variant.cuda === null || !variant.cuda.startsWith("13.") || !FORWARD_COMPAT_BRANCHES.includes(branch)) {
    return undefined;
  }
  const pkg = `cuda-compat-${variant.cuda.replace(".", "-")}`;
  return `on NVIDIA data-center GPUs only (not GeForce): install ${pkg} and put /usr/local/cuda-${variant.cuda}/compat on LD_LIBRARY_PATH (CUDA forward compatibility supports the R${branch} branch)`;
}

export function driverRemedies(
  release: TorchRelease,
  req: ResolveRequest,
  gpus: readonly GpuTarget[],
  gpuOk: readonly WheelVariant[],
): string[] {
  const preferred = gpuOk[0];
  const remedies: string[] = [];
  if (preferred) {
    remedies.push(
      `upgrade the NVIDIA driver to ≥ ${requiredDriver(preferred, gpus)} (for torch ${release.version} ${preferred.wheel})`,
    );
  }
  remedies.push(...sameTorch(release, req, gpus).slice(0, 1));
  const runs = findAlternatives(
    (r, v) =>
      pythonOk(req, r) && checkGpus(v, gpus).length === 0 && checkDriver(v, req.driver, gpus) === undefined,
  );
  const first = runs[0];
  if (first) {
    remedies.push(`use ${flagsFor(first)} (the newest torch that runs on driver ${String(req.driver)})`);
  }
  const compat =
    preferred && typeof req.driver === "string" ? forwardCompat(req.driver, preferred) : undefined;
  if (compat) remedies.push(compat);
  remedies.push("use --cuda cpu for a CPU-only image");
  return remedies;
}

/**
 * Choosing the wheel variant of one torch release. `--cuda cpu` and `--cuda X.Y`
 * pin it (and fail with concrete fixes when it cannot run); `auto` applies the
 * policy of docs/resolve-policy.md: the PyPI default if it passes every check,
 * else the newest CUDA that does; experimental variants only as a last resort.
 */

import type { TorchRelease } from "../catalog/torch-releases.js";
import { ResolveError } from "../errors/torchstack-error.js";
import {
  checkGpus,
  checkVariant,
  gpuLabel,
  isUsable,
  minDriverFor,
  type VariantCheck,
} from "./check-variant.js";
import { driverFixes } from "./driver-fixes.js";
import { humanList } from "./human-list.js";
import { policyOrder } from "./policy-order.js";
import type { ExplainEntry, GpuTarget, ResolveRequest } from "./resolve-request.js";

export interface VariantChoice {
  check: VariantCheck;
  explain: ExplainEntry[];
}

function rejection(check: VariantCheck): string {
  return [...check.gpuProblems, ...(check.driverProblem ? [check.driverProblem] : [])].join("; ");
}

function noWheel(release: TorchRelease, cuda: string, req: ResolveRequest): never {
  const platform = req.platform ?? "x86_64";
  const on = platform === "x86_64" ? "" : ` for ${platform}`;
  if (cuda === "cpu") throw new ResolveError("E_NO_WHEEL", `torch ${release.version} has no cpu wheel${on}`);
  const built = release.variants.flatMap((v) => (v.cuda === null ? [] : [v.cuda]));
  if (built.length === 0) noCudaWheel(release, req);
  throw new ResolveError(
    "E_NO_WHEEL",
    `torch ${release.version} has no official wheel for CUDA ${cuda}${on}; its CUDA wheels${on} are built for CUDA ${humanList(built)}`,
  );
}

function noCudaWheel(release: TorchRelease, req: ResolveRequest): never {
  const platform = req.platform ?? "x86_64";
  throw new ResolveError(
    "E_NO_WHEEL",
    `torch ${release.version} has no CUDA wheel for ${platform} in the catalog${platform === "aarch64" ? " whose compiled architectures a source names" : ""}`,
    {
      remedies: [
        `torchstack catalog update (reads the ${platform} builds the PyTorch wheel index and PyPI publish)`,
      ],
    },
  );
}

function fail(
  release: TorchRelease,
  checks: readonly VariantCheck[],
  req: ResolveRequest,
  gpus: readonly GpuTarget[],
): never {
  const gpuOk = checks.filter((c) => c.gpuProblems.length === 0);
  const single = checks.length === 1 ? checks[0]?.variant.wheel : undefined;
  if (gpuOk.length === 0) {
    const failing = gpus.filter(
      (g) => g.computeCapability !== null && checks.every((c) => checkGpus(c.variant, [g]).length > 0),
    );
    const names = humanList(failing.map(gpuLabel));
    const carried = checks.map((c) => `${c.variant.wheel} has ${c.variant.archList.join(" ")}`).join("; ");
    const on = req.platform === "aarch64" ? " aarch64" : "";
    const what = single
      ? `torch ${release.version} ${single}${on} has no`
      : `no${on} wheel of torch ${release.version} has`;
    throw new ResolveError(
      "E_GPU_UNSUPPORTED",
      `${what} code for ${names || "the target GPUs together"}: ${carried}`,
    );
  }
  const byMinimum = new Map<string, string[]>();
  for (const check of gpuOk) {
    const minimum = check.minDriver ?? "";
    byMinimum.set(minimum, [...(byMinimum.get(minimum) ?? []), check.variant.wheel]);
  }
  const needs = [...byMinimum].map(
    ([minimum, wheels]) => `${humanList(wheels)} need${wheels.length === 1 ? "s" : ""} ≥ ${minimum}`,
  );
  const jit = gpuOk.some((c) => c.minDriver !== minDriverFor(c.variant));
  const why = jit
    ? "CUDA minor-version compatibility; a GPU that only runs the wheel's PTX needs the toolkit's own driver for JIT"
    : "CUDA minor-version compatibility";
  const what = single
    ? `torch ${release.version} ${single} cannot run`
    : `no wheel of torch ${release.version} runs`;
  throw new ResolveError(
    "E_DRIVER_TOO_OLD",
    `${what} on NVIDIA driver ${String(req.driver)}: ${humanList(needs)} (${why})`,
    {
      remedies: driverFixes(
        release,
        req,
        gpus,
        gpuOk.map((c) => c.variant),
      ),
    },
  );
}

function pinnedChecks(req: ResolveRequest, gpus: readonly GpuTarget[]): string {
  const known = gpus.filter((g) => g.computeCapability !== null).length;
  const gpuText = known > 0 ? `has code for all ${known} target GPU(s)` : "no GPU to check";
  const driverText =
    typeof req.driver === "string"
      ? `runs on driver ${req.driver}`
      : req.driver === null
        ? "no NVIDIA driver to check against"
        : "driver not checked";
  return `${gpuText}; ${driverText}`;
}

export function chooseVariant(
  release: TorchRelease,
  req: ResolveRequest,
  gpus: readonly GpuTarget[],
): VariantChoice {
  const cuda = req.cuda ?? "auto";
  if (cuda === "cpu") {
    const cpu = release.variants.find((v) => v.cuda === null);
    if (!cpu) noWheel(release, cuda, req);
    const explain: ExplainEntry[] = [{ subject: "cpu", verdict: "chosen", reason: "requested (cuda: cpu)" }];
    for (const v of policyOrder(release))
      explain.push({ subject: v.wheel, verdict: "rejected", reason: "not requested (cuda: cpu)" });
    return { check: checkVariant(cpu, gpus, req.driver), explain };
  }
  if (cuda !== "auto") {
    const pinned = release.variants.find((v) => v.cuda === cuda);
    if (!pinned) noWheel(release, cuda, req);
    const check = checkVariant(pinned, gpus, req.driver);
    if (!isUsable(check)) fail(release, [check], req, gpus);
    const explain: ExplainEntry[] = [
      {
        subject: pinned.wheel,
        verdict: "chosen",
        reason: `requested (cuda: ${cuda}); ${pinnedChecks(req, gpus)}`,
      },
    ];
    for (const v of release.variants) {
      if (v !== pinned)
        explain.push({ subject: v.wheel, verdict: "rejected", reason: `not requested (cuda: ${cuda})` });
    }
    return { check, explain };
  }
  const checks = policyOrder(release).map((v) => checkVariant(v, gpus, req.driver));
  if (checks.length === 0) noCudaWheel(release, req);
  const chosen = checks.find(isUsable);
  if (!chosen) fail(release, checks, req, gpus);
  const isDefault = chosen.variant.wheel === release.pypiDefault;
  const explain: ExplainEntry[] = [
    {
      subject: chosen.variant.wheel,
      verdict: "chosen",
      reason: isDefault
        ? `the PyPI default (what \`pip install torch==${release.version}\` installs) and it passes every check`
        : chosen.variant.indexOnly
          ? `the PyPI default ${release.pypiDefault} was rejected; ${chosen.variant.wheel}, an official build on the wheel index only (--index-url …/whl/${chosen.variant.wheel}), is chosen because it is the one that runs`
          : `the PyPI default ${release.pypiDefault} was rejected; ${chosen.variant.wheel} is the newest CUDA that passes every check`,
    },
  ];
  for (const check of checks) {
    if (check === chosen) continue;
    const reason = isUsable(check)
      ? `would work, but the policy prefers ${chosen.variant.wheel}${check.variant.experimental ? " (this variant is experimental)" : ""}`
      : rejection(check);
    explain.push({ subject: check.variant.wheel, verdict: "rejected", reason });
  }
  explain.push({
    subject: "cpu",
    verdict: "rejected",
    reason: "CPU-only; --cuda auto picks a CUDA wheel (use --cuda cpu for CPU-only)",
  });
  return { check: chosen, explain };
}

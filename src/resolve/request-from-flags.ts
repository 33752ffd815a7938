/**
 * Command-line overrides for a ResolveRequest. Flags win over the spec and the
 * host. Each flag is validated here: a malformed value is a UsageError (exit 2,
 * one line) naming the flag and an example, never a resolver error.
 */
import { isMalformedArch } from "../catalog/gpu-name.js";
import { assertKnownGpu } from "../catalog/known-gpu.js";
import { UsageError } from "../errors/torchstack-error.js";
import { flavorSchema, torchSourceSchema } from "../spec/schema.js";
import { platformSchema } from "../spec/targets-schema.js";
import { gpuTarget, uniqueTargets } from "./gpu-target.js";
import type { ResolveRequest } from "./resolve-request.js";

export interface ResolveFlags {
  torch?: string | undefined;
  cuda?: string | undefined;
  python?: string | undefined;
  /** "570.86.15" or "none". */
  driver?: string | undefined;
  gpus?: readonly string[];
  flavor?: string | undefined;
  torchSource?: string | undefined;
  platform?: string | undefined;
}

function check(
  value: string | undefined,
  flag: string,
  pattern: RegExp,
  example: string,
): string | undefined {
  if (value === undefined) return undefined;
  if (!pattern.test(value)) throw new UsageError(`--${flag} must be ${example}, got "${value}"`);
  return value;
}

function parseDriverFlag(value: string): string | null {
  if (value === "none") return null;
  return (
    check(value, "driver", /^\d{2,4}(\.\d{1,3}){0,2}$/, "a driver version such as 570.86.15, or none") ?? null
  );
}

function parseGpuFlag(value: string): string {
  const trimmed = value.trim();
  if (isMalformedArch(trimmed))
    throw new UsageError(`--gpu must be a GPU name or sm_XY such as sm_90, got "${value}"`);
  if (!/^[\w .()+-]{1,80}$/.test(trimmed)) {
    throw new UsageError(`--gpu must be a GPU name (e.g. H100, "RTX 4090") or sm_XY, got "${value}"`);
  }
  return trimmed;
}

/** The names Docker and Debian use for the same CPU architectures. */
const PLATFORM_ALIASES: Readonly<Record<string, string>> = { arm64: "aarch64", amd64: "x86_64" };

export function applyFlags(base: ResolveRequest, flags: ResolveFlags): ResolveRequest {
  const request: ResolveRequest = { ...base };
  const torch = check(flags.torch, "torch", /^\d+\.\d+(\.\d+)?$/, "a torch version such as 2.7 or 2.7.1");
  const cuda = check(flags.cuda, "cuda", /^(auto|cpu|\d+\.\d+)$/, "auto, cpu or a CUDA version such as 12.8");
  const python = check(flags.python, "python", /^3\.\d+t?$/, "a Python version such as 3.12");
  if (torch !== undefined) request.torch = torch;
  if (cuda !== undefined) request.cuda = cuda;
  if (python !== undefined) request.python = python;
  if (flags.driver !== undefined) request.driver = parseDriverFlag(flags.driver);
  if (flags.gpus && flags.gpus.length > 0) {
    // "H100,V100" is a list, as the spec's gpu: takes one
    const names = flags.gpus
      .flatMap((g) => g.split(","))
      .filter((g) => g.trim() !== "")
      .map(parseGpuFlag);
    for (const name of names) assertKnownGpu(name);
    request.gpus = uniqueTargets(names.map(gpuTarget));
  }
  if (flags.flavor !== undefined) {
    const flavor = flavorSchema.safeParse(flags.flavor);
    if (!flavor.success)
      throw new UsageError(`--flavor must be runtime, toolchain or devel, got "${flags.flavor}"`);
    request.flavor = flavor.data;
  }
  if (flags.platform !== undefined) {
    const platform = platformSchema.safeParse(PLATFORM_ALIASES[flags.platform] ?? flags.platform);
    if (!platform.success)
      throw new UsageError(`--platform must be x86_64 or aarch64 (or arm64, amd64), got "${flags.platform}"`);
    request.platform = platform.data;
    request.platformFrom = "flag";
  }
  if (flags.torchSource !== undefined) {
    const source = torchSourceSchema.safeParse(flags.torchSource);
    if (!source.success)
      throw new UsageError(`--torch-source must be wheels or distro, got "${flags.torchSource}"`);
    request.torchSource = source.data;
  }
  return request;
}

/**
 * Host fit: can this machine run the stack a lock pins? The lock is the contract,
 * so a host that differs from the one that locked never makes the lock stale;
 * instead `build` warns, `up` refuses (unless --cpu-ok) and `doctor` reports
 * these findings, each with its fix: a driver older than the stack's minDriver, a
 * GPU whose capability its archList cannot run, no driver or GPU at all, no GPU
 * runtime in the engine, or another CPU platform. Pure: facts in, findings out.
 */
import { driverAtLeast } from "../catalog/cuda-toolkits.js";
import { smName } from "../catalog/gpu-name.js";
import { isKnownGpu } from "../catalog/known-gpu.js";
import type { ErrorCode } from "../errors/error-codes.js";
import type { HostFacts } from "../host/host-facts.js";
import { archFit } from "../resolve/arch-fit.js";
import { hostGpuTarget } from "../resolve/gpu-target.js";
import type { Platform } from "../spec/targets-schema.js";
import type { LockFile } from "./lock-schema.js";

export interface HostFitFinding {
  code: ErrorCode;
  severity: "error" | "warning";
  message: string;
  fix: string[];
}

export interface HostFitFacts {
  host: HostFacts;
  platform: Platform;
  /** Whether the container engine can give containers GPUs; undefined = not asked. */
  gpuRuntime?: boolean;
}

const RELOCK =
  "or lock for this host: drop `targets` from torchstack.yaml (or name this host's GPUs and driver there), then run torchstack lock";

export function hostFit(lock: LockFile, facts: HostFitFacts): HostFitFinding[] {
  const findings: HostFitFinding[] = [];
  const lockPlatform = lock.platform ?? "x86_64";
  if (facts.platform !== lockPlatform) {
    findings.push({
      code: "E_HOST_PLATFORM_MISMATCH",
      severity: "error",
      message: `the image is for ${lockPlatform}; this host is ${facts.platform}`,
      fix: [
        `build and run it on an ${lockPlatform} host`,
        `or build it here under emulation: docker buildx build --platform linux/${lockPlatform === "aarch64" ? "arm64" : "amd64"} (QEMU binfmt installed)`,
      ],
    });
  }
  const { stack } = lock;
  if (stack.cuda === null) return findings;
  const { host } = facts;
  if (host.driver === null) {
    findings.push({
      code: "E_HOST_NO_GPU",
      severity: "error",
      message: `the locked stack is torch ${stack.torch} ${stack.wheel} (CUDA ${stack.cuda}), but this host has no NVIDIA driver`,
      fix: [
        `run it on a GPU host with NVIDIA driver ≥ ${stack.minDriver}`,
        "or start it without GPUs: torchstack up --cpu-ok (torch.cuda.is_available() will be False)",
      ],
    });
    return findings;
  }
  if (stack.minDriver !== null && !driverAtLeast(host.driver, stack.minDriver)) {
    findings.push({
      code: "E_HOST_DRIVER_OLD",
      severity: "error",
      message: `this host's NVIDIA driver ${host.driver} is older than ${stack.minDriver}, which torch ${stack.torch} ${stack.wheel} needs`,
      fix: [`upgrade the NVIDIA driver to ≥ ${stack.minDriver}`, RELOCK],
    });
  }
  for (const gpu of host.gpus.map(hostGpuTarget)) {
    if (gpu.computeCapability === null || archFit(stack.archList, gpu.computeCapability).kind !== "none")
      continue;
    // how a spec may name it: the catalog's name, else its capability
    const specName = isKnownGpu(gpu.label) ? gpu.label : smName(gpu.computeCapability);
    findings.push({
      code: "E_HOST_GPU_UNSUPPORTED",
      severity: "error",
      message: `${gpu.label} (${smName(gpu.computeCapability)}) has no code in torch ${stack.torch} ${stack.wheel}, which carries ${stack.archList.join(" ")}`,
      fix: [`add it to targets.gpus in torchstack.yaml ("${specName}") and run torchstack lock`, RELOCK],
    });
  }
  if (facts.gpuRuntime === false) {
    findings.push({
      code: "E_HOST_NO_GPU_RUNTIME",
      severity: "error",
      message: "the container engine has no GPU runtime, so containers get no GPU",
      fix: [
        "install the NVIDIA Container Toolkit and run: sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker",
      ],
    });
  }
  return findings;
}

/**
 * The doctor findings engine (pure): turns probe facts into findings, each with
 * a stable code, a severity and concrete fixes, using the catalog (compute
 * capability against the torch arch list, driver against the wheel's CUDA,
 * torchvision pairing). No I/O here; tests feed it recorded probe documents.
 */

import type { Catalog } from "../catalog/catalog.js";
import { cudaFamily, cudaToolkit, driverAtLeast, maxCudaForDriver } from "../catalog/cuda-toolkits.js";
import { minorOf } from "../catalog/version-order.js";
import { pipInstallTorch } from "../catalog/wheel-index.js";
import type { ErrorCode } from "../errors/error-codes.js";
import type { Problem, Severity } from "../errors/problem.js";
import type { HostFacts } from "../host/host-facts.js";
import { hostFit } from "../lock/host-fit.js";
import type { LockFile } from "../lock/lock-schema.js";
import { platformOfArch } from "../spec/targets-schema.js";
import { archFixes, archSupports, newestWheelFor } from "./arch-support.js";
import type { HostSection, PythonSection } from "./probe-schemas.js";

export type { Severity };

/** A doctor finding: the shared problem shape with a severity and a message. */
export interface Finding extends Problem {
  code: ErrorCode;
  severity: Severity;
  message: string;
  fix: string[];
}

export interface FindingContext {
  /** How the user named the interpreter: "python3" (PATH default), "/usr/bin/python3", "env NAME". */
  where: string;
  /** True when no --python / --in was given (the PATH python3 was used). */
  defaultPython: boolean;
  /** Another interpreter on this host that has torch, if one was spotted. */
  altPythonWithTorch?: string | null;
  /** The catalog the fixes come from: built-in plus the overlay (`loadCatalog`). */
  catalog: Catalog;
}

const GIB = 2 ** 30;

export function doctorFindings(
  host: HostSection | null,
  py: PythonSection | null,
  ctx: FindingContext,
): Finding[] {
  const out: Finding[] = [];
  if (host) out.push(...hostFindings(host));
  if (py) out.push(...pythonFindings(host, py, ctx));
  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return out.sort((a, b) => rank[a.severity] - rank[b.severity]);
}

function hostFindings(host: HostSection): Finding[] {
  const out: Finding[] = [];
  if (!host.driver.version && host.driver.nvidiaSmi === "failed") {
    out.push({
      code: "E_DRIVER_UNREACHABLE",
      severity: "warning",
      message: `nvidia-smi is installed but cannot reach an NVIDIA driver${host.driver.error ? `: ${host.driver.error}` : ""}.`,
      fix: host.os.inContainer
        ? [
            "start the container with GPU access: docker run --gpus all … (or a CDI device: --device nvidia.com/gpu=all)",
          ]
        : ["check the driver is loaded: lsmod | grep nvidia (reinstall it or reboot after a kernel update)"],
    });
  } else if (!host.driver.version && host.gpus.length === 0) {
    out.push({
      code: "E_NO_GPU",
      severity: "info",
      message: "No NVIDIA driver or GPU found on this machine: torch will run on the CPU only.",
      fix: [
        "nothing to fix for CPU work",
        "for GPU work: install the NVIDIA driver (nvidia-smi must work), or run on a GPU machine",
      ],
    });
  }
  const shm = host.shm.bytes;
  if (shm !== null && shm < GIB) {
    const mib = Math.round(shm / 2 ** 20);
    out.push({
      code: "E_SHM_SMALL",
      severity: "warning",
      message: `/dev/shm is ${mib} MiB (under 1 GiB): DataLoader workers and NCCL's shared-memory transport fail with "Bus error" / "No space left on device".`,
      fix: host.os.inContainer
        ? [
            "restart the container with --shm-size=8g (or --ipc=host)",
            "or use DataLoader(num_workers=0) / NCCL_SHM_DISABLE=1 (slower)",
          ]
        : [
            "sudo mount -o remount,size=8G /dev/shm",
            "or use DataLoader(num_workers=0) / NCCL_SHM_DISABLE=1 (slower)",
          ],
    });
  }
  const c = host.container;
  if (
    c.engines.length > 0 &&
    host.gpus.length > 0 &&
    !c.nvidiaRuntimeConfigured &&
    c.cdiSpecs.length === 0 &&
    !c.nvidiaContainerToolkit
  ) {
    out.push({
      code: "E_CONTAINER_NO_GPU",
      severity: "warning",
      message: `${c.engines.map((e) => e.name).join(", ")} is installed but has no NVIDIA runtime or CDI spec: containers will not see the GPUs.`,
      fix: [
        "install nvidia-container-toolkit, then: sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker",
        "or generate CDI specs: sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml",
      ],
    });
  }
  const mig = host.gpus.filter(
    (g) => (g.migMode ?? "").toLowerCase() === "enabled" || g.migDevices.length > 0,
  );
  if (mig.length > 0) {
    const devices = mig.flatMap((g) => g.migDevices.map((d) => `${d.profile} ${d.uuid}`));
    out.push({
      code: "E_MIG_ENABLED",
      severity: "info",
      message: `MIG is enabled on GPU ${mig.map((g) => g.index).join(", ")}: processes see MIG slices, not whole GPUs (${devices.length} MIG device(s)).`,
      fix:
        devices.length > 0
          ? [`pick a slice with CUDA_VISIBLE_DEVICES=${mig[0]?.migDevices[0]?.uuid ?? "MIG-…"}`]
          : [],
    });
  }
  return out;
}

function torchBase(version: string): string {
  return version.split("+")[0] ?? version;
}

function pythonFindings(host: HostSection | null, py: PythonSection, ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  const torch = py.torch;
  if (!torch.found) {
    out.push(noTorchFinding(py, ctx));
    out.push(...environmentFindings(py, null));
    return out;
  }
  const gpus = host?.gpus ?? [];
  const driver = host?.driver.version ?? null;
  const version = torch.version ?? "?";
  if (!torch.cuda) {
    out.push({
      code: "E_CPU_ONLY_TORCH",
      severity: gpus.length > 0 ? "warning" : "info",
      message: `torch ${version} in ${ctx.where} is a CPU-only build${gpus.length > 0 ? ", but this machine has NVIDIA GPUs" : ""}.`,
      fix: gpus.length > 0 ? [`install a CUDA build: ${pipInstallTorch("cu128")}`] : [],
    });
  } else {
    out.push(...driverFindings(ctx.catalog, driver, torch.cuda, version, torch.warnings));
    out.push(...archFindings(ctx.catalog, gpus, torch.archList, version));
    if (
      gpus.length > 0 &&
      !torch.cudaAvailable &&
      !out.some((f) => f.code === "E_DRIVER_TOO_OLD" && f.severity === "error")
    ) {
      out.push({
        code: "E_CUDA_UNAVAILABLE",
        severity: "error",
        message: `torch ${version} (CUDA ${torch.cuda}) cannot use the GPU: ${torch.warnings[0] ?? torch.error ?? "torch.cuda.is_available() is False"}`,
        fix: [
          "check CUDA_VISIBLE_DEVICES is not empty",
          "in a container: run it with --gpus all (or a CDI device)",
        ],
      });
    }
  }
  out.push(...torchvisionFindings(ctx.catalog.torchReleases, version, py.torchvision));
  if (py.nvcc?.version && torch.cuda && py.nvcc.version.split(".")[0] !== torch.cuda.split(".")[0]) {
    out.push({
      code: "E_NVCC_MISMATCH",
      severity: "warning",
      message: `nvcc ${py.nvcc.version} (${py.nvcc.path}) and torch's CUDA ${torch.cuda} differ in major version: CUDA extensions built here will not load.`,
      fix: [`put a CUDA ${torch.cuda} toolkit first on PATH (or set CUDA_HOME) before building extensions`],
    });
  }
  out.push(...environmentFindings(py, torch.cuda));
  return out;
}

function noTorchFinding(py: PythonSection, ctx: FindingContext): Finding {
  const error = py.torch.error ?? "";
  if (/undefined symbol/.test(error)) {
    return {
      code: "E_LIBRARY_MISMATCH",
      severity: "error",
      message: `import torch fails in ${ctx.where}: ${error}`,
      fix: [
        "unset LD_LIBRARY_PATH (or drop CUDA/NCCL folders from it) and retry",
        "keep one family of nvidia-* packages: pip list | grep nvidia-",
      ],
    };
  }
  const fix: string[] = [];
  let message = `torch not found in ${ctx.where} (${py.executable}).`;
  if (ctx.defaultPython) {
    message = `torch not found in python3 at PATH (${py.executable})`;
    message += ctx.altPythonWithTorch ? `; try --python ${ctx.altPythonWithTorch}` : ".";
    if (ctx.altPythonWithTorch) fix.push(`torchstack doctor --python ${ctx.altPythonWithTorch}`);
  }
  fix.push("or check a torchstack environment: torchstack doctor --in NAME");
  return { code: "E_NO_TORCH", severity: "info", message, fix };
}

function driverFindings(
  catalog: Catalog,
  driver: string | null,
  cuda: string,
  version: string,
  warnings: string[],
): Finding[] {
  const tooOld = warnings.find((w) =>
    /driver on your system is too old|driver version is insufficient/i.test(w),
  );
  if (!driver) return [];
  const family = cudaFamily(cuda, catalog.cudaFamilies);
  const toolkit = cudaToolkit(cuda, catalog.cudaToolkits);
  const maxCuda = maxCudaForDriver(driver, catalog.cudaToolkits);
  const newestFitting = newestWheelFor(catalog, maxCuda);
  const fallback = newestFitting
    ? [
        `or install a torch built for CUDA <= ${maxCuda}: ${pipInstallTorch(newestFitting.wheel, newestFitting.torch)}`,
      ]
    : [];
  if ((family && !driverAtLeast(driver, family.minDriver)) || tooOld) {
    const needed = family?.minDriver ?? toolkit?.toolkitDriver ?? "a newer driver";
    return [
      {
        code: "E_DRIVER_TOO_OLD",
        severity: "error",
        message: `NVIDIA driver ${driver} is too old for torch ${version} (CUDA ${cuda}): CUDA ${cuda.split(".")[0]}.x wheels need driver >= ${needed}${tooOld ? `; torch says: ${tooOld.split("\n")[0]}` : ""}.`,
        fix: [`upgrade the NVIDIA driver to >= ${toolkit?.toolkitDriver ?? needed}`, ...fallback],
      },
    ];
  }
  if (toolkit && !driverAtLeast(driver, toolkit.gaDriver)) {
    return [
      {
        code: "E_DRIVER_TOO_OLD",
        severity: "warning",
        message: `NVIDIA driver ${driver} supports CUDA up to ${maxCuda ?? "?"}, older than torch's CUDA ${cuda}: it runs under minor-version compatibility, but PTX JIT and newer CUDA features need driver >= ${toolkit.gaDriver}.`,
        fix: [`upgrade the NVIDIA driver to >= ${toolkit.toolkitDriver}`, ...fallback],
      },
    ];
  }
  return [];
}

function archFindings(
  catalog: Catalog,
  gpus: HostSection["gpus"],
  archList: string[],
  version: string,
): Finding[] {
  if (archList.length === 0) return [];
  const out: Finding[] = [];
  for (const gpu of gpus) {
    if (!gpu.computeCapability || archSupports(archList, gpu.computeCapability)) continue;
    const sm = `sm_${gpu.computeCapability.replace(".", "")}`;
    out.push({
      code: "E_ARCH_NOT_COMPATIBLE",
      severity: "error",
      message: `GPU ${gpu.index} ${gpu.name} (${sm}) is not in torch ${version}'s arch list (${archList.join(" ")}): kernels fail with "no kernel image is available".`,
      fix: archFixes(catalog, gpu.computeCapability),
    });
  }
  return out;
}

function expectedTorchvision(releases: Catalog["torchReleases"], torch: string): string | null {
  const base = torchBase(torch);
  const release = releases.find((r) => r.version === base);
  if (release) return release.torchvision;
  const [major, minor] = base.split(".").map(Number);
  if (major === 1 && minor !== undefined) return `0.${minor + 1}`;
  if (major === 2 && minor !== undefined) return `0.${minor + 15}`;
  return null;
}

function torchvisionFindings(
  releases: Catalog["torchReleases"],
  torch: string,
  torchvision: string | null,
): Finding[] {
  if (!torchvision) return [];
  const expected = expectedTorchvision(releases, torch);
  if (!expected || minorOf(torchBase(torchvision)) === minorOf(expected)) return [];
  return [
    {
      code: "E_TORCHVISION_MISMATCH",
      severity: "error",
      message: `torchvision ${torchvision} does not pair with torch ${torch} (expects torchvision ${minorOf(expected)}.x): "operator torchvision::nms does not exist" follows.`,
      fix: [`pip install torchvision==${expected} from the same index as torch`],
    },
  ];
}

function environmentFindings(py: PythonSection, torchCuda: string | null): Finding[] {
  const out: Finding[] = [];
  if (py.ldLibraryPath.length > 0) {
    const listed = py.ldLibraryPath.map((e) => `${e.dir} (${e.libs.slice(0, 4).join(", ")})`).join("; ");
    out.push({
      code: "E_LD_LIBRARY_PATH_SHADOWING",
      severity: "warning",
      message: `LD_LIBRARY_PATH puts CUDA libraries ahead of the ones torch's wheel brings: ${listed}. An older libnccl or libnvJitLink there causes "undefined symbol" errors.`,
      fix: [
        `remove ${py.ldLibraryPath.map((e) => e.dir).join(", ")} from LD_LIBRARY_PATH (pip wheels do not need it)`,
        "see which copy loads: LD_DEBUG=libs python3 -c 'import torch' 2>&1 | grep -E 'nccl|nvJitLink|cudart'",
      ],
    });
  }
  const families = [
    ...new Set(py.nvidiaPackages.map((p) => p.family).filter((f): f is string => f !== null)),
  ];
  if (families.length > 1) {
    const keep = torchCuda ? `cu${torchCuda.split(".")[0]}` : families.at(-1);
    const drop = py.nvidiaPackages.filter((p) => p.family && p.family !== keep).map((p) => p.name);
    out.push({
      code: "E_MIXED_NVIDIA_FAMILIES",
      severity: "error",
      message: `nvidia-* packages of ${families.length} CUDA families are installed (${families.join(", ")}): two NCCLs or cuBLASes in one environment cause "undefined symbol" at import.`,
      fix: [`pip uninstall -y ${drop.join(" ")}`, "then: pip check"],
    });
  }
  if (py.pipCheck.status === "failed") {
    out.push({
      code: "E_PIP_CHECK",
      severity: "warning",
      message: `pip check reports broken requirements: ${py.pipCheck.problems.slice(0, 3).join("; ")}${py.pipCheck.problems.length > 3 ? " …" : ""}`,
      fix: [
        "install the versions pip check names (pip check lists each)",
        "or rebuild the environment from its lock file",
      ],
    });
  }
  return out;
}

/**
 * Host fit of a lock, as doctor findings: the probe's host facts (driver, GPUs with their
 * capability, CPU architecture, the engine's GPU runtime) against the locked stack.
 */
export function lockFitFindings(host: HostSection, lock: LockFile, lockPath: string): Finding[] {
  const facts: HostFacts = {
    driver: host.driver.version,
    driverSource: host.driver.source,
    gpus: host.gpus.map((g) => ({
      index: g.index,
      name: g.name,
      computeCapability: g.computeCapability,
      uuid: g.uuid,
    })),
  };
  const gpuRuntime = host.container.nvidiaRuntimeConfigured || host.container.cdiSpecs.length > 0;
  return hostFit(lock, {
    host: facts,
    platform: platformOfArch(host.os.arch === "aarch64" ? "arm64" : "x64"),
    ...(host.container.engines.length > 0 ? { gpuRuntime } : {}),
  }).map((f) => ({ ...f, message: `${lockPath}: ${f.message}` }));
}

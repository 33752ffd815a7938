/**
 * With `diagnose --in NAME`: adds to each finding the doctor facts from that
 * environment that confirm or rule out its cause (shm size for the shm errors,
 * driver and torch CUDA for E_DRIVER_TOO_OLD, GPUs against the arch list, …). Pure.
 */
import type { DoctorResult } from "../probe/run-doctor.js";
import type { DiagnoseFinding } from "./diagnose-log.js";

const MIB = 2 ** 20;

export function addDoctorFacts(
  findings: DiagnoseFinding[],
  doctor: DoctorResult,
  where: string,
): DiagnoseFinding[] {
  const host = doctor.host;
  const torch = doctor.python?.torch;
  const has = (code: string) => doctor.findings.find((f) => f.code === code);
  const gpus = host?.gpus.map((g) => `${g.name} (cc ${g.computeCapability ?? "?"})`).join(", ") || "no GPU";
  return findings.map((finding) => {
    const facts: string[] = [];
    switch (finding.code) {
      case "E_NCCL_SHM":
      case "E_DATALOADER_SHM": {
        const bytes = host?.shm.bytes;
        if (bytes !== null && bytes !== undefined) {
          facts.push(
            bytes < 2 ** 30
              ? `confirmed: /dev/shm in ${where} is ${Math.round(bytes / MIB)} MiB`
              : `unlikely now: /dev/shm in ${where} is ${Math.round(bytes / MIB)} MiB (>= 1 GiB)`,
          );
        }
        break;
      }
      case "E_DRIVER_TOO_OLD": {
        const f = has("E_DRIVER_TOO_OLD");
        facts.push(
          `driver ${host?.driver.version ?? "not found"}, torch ${torch?.version ?? "?"} (CUDA ${torch?.cuda ?? "none"})`,
        );
        facts.push(
          f ? `confirmed: ${f.message}` : `not reproduced: doctor in ${where} finds the driver new enough`,
        );
        break;
      }
      case "E_ARCH_NOT_COMPATIBLE":
      case "E_NO_KERNEL_IMAGE": {
        const f = has("E_ARCH_NOT_COMPATIBLE");
        facts.push(`GPUs: ${gpus}; torch arch list: ${torch?.archList.join(" ") || "none"}`);
        if (f) facts.push(`confirmed: ${f.message}`);
        else if (host?.gpus.length)
          facts.push("torch itself has kernels for these GPUs: suspect an extension built without them");
        break;
      }
      case "E_NO_GPU_VISIBLE":
      case "E_INVALID_DEVICE_ORDINAL":
        facts.push(
          `${where}: ${gpus}; torch sees ${torch?.deviceCount ?? 0} device(s), CUDA available: ${torch?.cudaAvailable ?? false}`,
        );
        break;
      case "E_LIBRARY_MISMATCH": {
        const ld = doctor.python?.ldLibraryPath.map((e) => e.dir) ?? [];
        const families = [...new Set(doctor.python?.nvidiaPackages.map((p) => p.family).filter(Boolean))];
        facts.push(
          `LD_LIBRARY_PATH CUDA folders: ${ld.join(", ") || "none"}; nvidia-* families: ${families.join(", ") || "none"}`,
        );
        break;
      }
      case "E_TORCHVISION_MISMATCH":
        facts.push(
          `torch ${torch?.version ?? "not found"}, torchvision ${doctor.python?.torchvision ?? "not installed"}`,
        );
        if (has("E_TORCHVISION_MISMATCH")) facts.push("confirmed by doctor: the versions do not pair");
        break;
      case "E_NOT_COMPILED_WITH_CUDA":
        facts.push(
          torch?.found && !torch.cuda
            ? `confirmed: torch ${torch.version} in ${where} is a CPU-only build`
            : `torch in ${where}: ${torch?.version ?? "not found"} (CUDA ${torch?.cuda ?? "none"})`,
        );
        break;
      case "E_CUDA_OOM":
        facts.push(
          `GPU memory: ${host?.gpus.map((g) => `${g.name} ${g.memoryMiB ?? "?"} MiB`).join(", ") || "no GPU"}`,
        );
        break;
      default:
        break;
    }
    return facts.length > 0 ? { ...finding, facts } : finding;
  });
}

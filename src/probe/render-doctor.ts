/**
 * Text rendering of a doctor result, laid out like torch's collect_env
 * ("Key: value", "Could not collect" for missing values), followed by the
 * findings with their fixes.
 */
import type { Finding } from "./doctor-findings.js";
import type { DoctorResult } from "./run-doctor.js";

const NA = "Could not collect";

export function renderFindings(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return ["Findings: none"];
  const lines = ["Findings:"];
  for (const f of findings) {
    lines.push(`  [${f.severity}] ${f.code}: ${f.message}`);
    for (const fix of f.fix) lines.push(`      fix: ${fix}`);
  }
  return lines;
}

export function renderDoctor(result: DoctorResult): string {
  const lines: string[] = [];
  const host = result.host;
  if (host) {
    lines.push(
      `OS: ${host.os.name} (${host.os.arch})${host.os.inContainer ? " [in a container]" : ""}`,
      `Kernel: ${host.os.kernel}`,
      `Nvidia driver version: ${host.driver.version ?? NA}${host.driver.version ? ` (from ${host.driver.source})` : ""}`,
      `Newest CUDA the driver supports: ${host.driver.cudaMax ?? NA}`,
      `GPU models and configuration:${host.gpus.length === 0 ? ` ${NA}` : ""}`,
    );
    for (const gpu of host.gpus) {
      const mem = gpu.memoryMiB === null ? "?" : `${gpu.memoryMiB} MiB`;
      lines.push(
        `  GPU ${gpu.index}: ${gpu.name} (cc ${gpu.computeCapability ?? "?"}, ${mem}, MIG ${gpu.migMode ?? "n/a"})`,
      );
      for (const mig of gpu.migDevices) lines.push(`    MIG ${mig.profile} Device ${mig.index}: ${mig.uuid}`);
    }
    const c = host.container;
    lines.push(
      `Container engines: ${c.engines.map((e) => e.name).join(", ") || "none"} (NVIDIA runtime: ${c.nvidiaRuntimeConfigured ? "yes" : "no"}, CDI specs: ${c.cdiSpecs.length})`,
      `/dev/shm: ${host.shm.bytes === null ? NA : `${(host.shm.bytes / 2 ** 30).toFixed(1)} GiB`}`,
    );
  }
  const py = result.python;
  if (py) {
    const t = py.torch;
    lines.push(
      "",
      `Python version: ${py.version} (${py.executable})`,
      `PyTorch version: ${t.found ? t.version : `not found (${t.error ?? "import failed"})`}${t.found && t.imported === false ? " (read from its files without importing it; --full imports it)" : ""}`,
      `CUDA used to build PyTorch: ${t.found ? (t.cuda ?? "None") : "N/A"}`,
      `cuDNN version: ${t.cudnn ?? NA}`,
      `NCCL version: ${t.nccl ?? NA}`,
      `Arch list: ${t.archList.join(" ") || "none"}`,
      `Is CUDA available: ${t.cudaAvailable ? "True" : "False"}`,
      `torchvision: ${py.torchvision ?? "not installed"}; torchaudio: ${py.torchaudio ?? "not installed"}`,
      `nvcc: ${py.nvcc ? `${py.nvcc.version ?? "?"} (${py.nvcc.path})` : "not found"}`,
      `pip check: ${py.pipCheck.status}${py.pipCheck.reason ? ` (${py.pipCheck.reason})` : ""}`,
    );
    for (const pkg of py.nvidiaPackages) lines.push(`[pip] ${pkg.name}==${pkg.version}`);
  }
  lines.push("", ...renderFindings(result.findings));
  return lines.join("\n");
}

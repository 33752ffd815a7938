// Host detection with injected files and a fake nvidia-smi. The driver files and
// nvidia-smi lines below are synthesized from the formats documented in NVIDIA's
// driver README ("/proc/driver/nvidia/version") and `nvidia-smi --help-query-gpu`;
// they were not recorded on a GPU (this machine has none).
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  detectHostFacts,
  type HostDeps,
  PROC_DRIVER_VERSION,
  SYS_DRIVER_VERSION,
} from "../../../src/host/detect-host.js";
import {
  parseNvidiaSmiCsv,
  parseProcDriverVersion,
  parseSysModuleVersion,
} from "../../../src/host/parse-nvidia.js";
import type { ProcessRunner } from "../../../src/process/run-process.js";

const PROPRIETARY =
  "NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.86.15  Thu Jan 23 02:19:52 UTC 2025\nGCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n";
const OPEN =
  "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.65.06  Release Build  (dvs-builder@U16-I3-B03-4-3)  Tue Jul 15 16:03:47 UTC 2025\nGCC version:  gcc version 13.3.0\n";
const SMI =
  "0, NVIDIA H100 80GB HBM3, GPU-4f1c2a7e-0000-1111-2222-333344445555, 9.0, 570.86.15\n1, NVIDIA H100 80GB HBM3, GPU-9b0d-aaaa, 9.0, 570.86.15\n";

function deps(
  files: Record<string, string>,
  smi?: { stdout: string; exitCode?: number; stderr?: string }[],
): HostDeps & { calls: string[][] } {
  const calls: string[][] = [];
  const runProcess: ProcessRunner = async (file, args) => {
    calls.push([file, ...args]);
    const reply = smi?.[calls.length - 1] ?? { stdout: "", exitCode: 9 };
    return {
      command: [file, ...args],
      exitCode: reply.exitCode ?? 0,
      signal: null,
      stdout: reply.stdout,
      stderr: reply.stderr ?? "",
      timedOut: false,
    };
  };
  return {
    calls,
    readFile: async (path) => files[path],
    findNvidiaSmi: () => (smi ? "/usr/bin/nvidia-smi" : null),
    runProcess,
  };
}

describe("driver file parsers", () => {
  it("reads /sys/module/nvidia/version", () => {
    expect(parseSysModuleVersion("570.86.15\n")).toBe("570.86.15");
    expect(parseSysModuleVersion("garbage")).toBeNull();
  });
  it("reads proprietary and open kernel module lines", () => {
    expect(parseProcDriverVersion(PROPRIETARY)).toBe("570.86.15");
    expect(parseProcDriverVersion(OPEN)).toBe("580.65.06");
    expect(
      parseProcDriverVersion("NVRM version: NVIDIA UNIX aarch64 Kernel Module  535.104.05  Sat Aug 19"),
    ).toBe("535.104.05");
    expect(parseProcDriverVersion("nothing here")).toBeNull();
  });
  it("reads nvidia-smi CSV rows, with and without compute_cap", () => {
    expect(parseNvidiaSmiCsv(SMI)).toEqual([
      {
        gpu: {
          index: 0,
          name: "NVIDIA H100 80GB HBM3",
          uuid: "GPU-4f1c2a7e-0000-1111-2222-333344445555",
          computeCapability: "9.0",
        },
        driver: "570.86.15",
      },
      {
        gpu: { index: 1, name: "NVIDIA H100 80GB HBM3", uuid: "GPU-9b0d-aaaa", computeCapability: "9.0" },
        driver: "570.86.15",
      },
    ]);
    expect(
      parseNvidiaSmiCsv("0, Tesla K80, GPU-1, 470.256.02\n", false)[0]?.gpu.computeCapability,
    ).toBeNull();
    expect(parseNvidiaSmiCsv("0, Tesla T4, [N/A], [N/A], 535.104.05")[0]?.gpu).toMatchObject({
      uuid: null,
      computeCapability: null,
    });
  });
});

describe("one rule for missing nvidia-smi values", () => {
  it("reads bare N/A, [N/A] and [Not Supported] as no value, as the sampler does", () => {
    const rows = parseNvidiaSmiCsv(
      "0, NVIDIA H200, N/A, [Not Supported], 580.95.05\n1, NVIDIA H200, [N/A], 9.0, N/A\n",
    );
    expect(rows.map((r) => [r.gpu.uuid, r.gpu.computeCapability, r.driver])).toEqual([
      [null, null, "580.95.05"],
      [null, "9.0", null],
    ]);
  });
});

describe("detectHostFacts", () => {
  it("prefers /sys/module/nvidia/version, and lists GPUs from nvidia-smi", async () => {
    const d = deps({ [SYS_DRIVER_VERSION]: "570.86.15\n", [PROC_DRIVER_VERSION]: OPEN }, [{ stdout: SMI }]);
    const facts = await detectHostFacts({}, d);
    expect(facts.driver).toBe("570.86.15");
    expect(facts.driverSource).toBe(SYS_DRIVER_VERSION);
    expect(facts.gpus.map((g) => g.index)).toEqual([0, 1]);
    expect(d.calls[0]).toEqual([
      "/usr/bin/nvidia-smi",
      "--query-gpu=index,name,uuid,compute_cap,driver_version",
      "--format=csv,noheader",
    ]);
  });

  it("falls back to /proc/driver/nvidia/version", async () => {
    const facts = await detectHostFacts({}, deps({ [PROC_DRIVER_VERSION]: OPEN }));
    expect(facts).toEqual({ driver: "580.65.06", driverSource: PROC_DRIVER_VERSION, gpus: [] });
  });

  it("takes the driver from nvidia-smi when no file has it", async () => {
    const facts = await detectHostFacts({}, deps({}, [{ stdout: SMI }]));
    expect(facts.driver).toBe("570.86.15");
    expect(facts.driverSource).toBe("nvidia-smi");
  });

  it("asks again without compute_cap on drivers that lack the field", async () => {
    const d = deps({}, [
      { stdout: 'Field "compute_cap" is not a valid field to query.\n', exitCode: 2 },
      { stdout: "0, Tesla K80, GPU-1, 470.256.02\n" },
    ]);
    const facts = await detectHostFacts({}, d);
    expect(d.calls).toHaveLength(2);
    expect(facts).toMatchObject({
      driver: "470.256.02",
      gpus: [{ name: "Tesla K80", computeCapability: null }],
    });
  });

  it("reports no driver and no GPUs, without spawning, when nvidia-smi is absent", async () => {
    const d = deps({});
    expect(await detectHostFacts({}, d)).toEqual({ driver: null, driverSource: "none", gpus: [] });
    expect(d.calls).toEqual([]);
  });

  it("keeps the file driver when nvidia-smi fails", async () => {
    const d = deps({ [SYS_DRIVER_VERSION]: "570.86.15" }, [
      { stdout: "", stderr: "NVIDIA-SMI has failed", exitCode: 9 },
    ]);
    expect(await detectHostFacts({}, d)).toEqual({
      driver: "570.86.15",
      driverSource: SYS_DRIVER_VERSION,
      gpus: [],
    });
  });

  const hasNvidia = existsSync(SYS_DRIVER_VERSION) || existsSync(PROC_DRIVER_VERSION);
  it.skipIf(hasNvidia)("answers on a real host without an NVIDIA driver with no driver", async () => {
    const facts = await detectHostFacts({ PATH: process.env.PATH });
    expect(facts.gpus).toEqual([]);
    expect(facts.driver).toBeNull();
  });
});

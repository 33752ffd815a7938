/**
 * The probe scripts run for real: the PATH python3 (no torch) and Debian's
 * /usr/bin/python3 with python3-torch 1.13 (CPU). GPU parsing runs the real
 * doctor probe against nvidia-smi output recorded on GPUs
 * (TORCHSTACK_PROBE_RECORDED, test/fixtures/probe/*).
 */
import { chmodSync, existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { EnvRunner } from "../../../src/probe/env-runner.js";
import { runProbe } from "../../../src/probe/run-probe.js";
import { runProcess } from "../../../src/process/run-process.js";

const env = { ...process.env };
// A python3 first on PATH that cannot import torch (-S), so "no torch" holds on any host.
const noTorchBin = new URL("../../fixtures/probe/no-torch-bin", import.meta.url).pathname;
chmodSync(`${noTorchBin}/python3`, 0o755);
const noTorchEnv = { ...env, PATH: `${noTorchBin}:${env.PATH ?? ""}` };
const torchPython = "/usr/bin/python3";
const hasTorch = existsSync("/usr/lib/python3/dist-packages/torch");
const fixture = (name: string) => new URL(`../../fixtures/probe/${name}`, import.meta.url).pathname;

describe("doctor probe (real python3 that cannot import torch)", () => {
  it("reports the missing torch instead of crashing, and skips pip check", async () => {
    const run = await runProbe("doctor", {}, { env: noTorchEnv });
    expect(run.exitCode).toBe(0);
    expect(run.doc.python?.torch.found).toBe(false);
    expect(run.doc.python?.torch.error).toMatch(/No module named 'torch'/);
    expect(run.doc.python?.pipCheck.status).toBe("skipped");
    expect(run.doc.host?.shm.bytes).toBeGreaterThan(0);
    expect(run.doc.host?.gpus).toEqual([]);
  });

  it("parses nvidia-smi output recorded on an A100 with MIG (driver 535)", async () => {
    const run = await runProbe(
      "doctor",
      {},
      {
        env: { ...env, TORCHSTACK_PROBE_RECORDED: fixture("a100-mig-535") },
        args: ["--no-pip-check"],
      },
    );
    const host = run.doc.host;
    expect(host?.driver).toMatchObject({ version: "535.216.01", cudaMax: "12.2", source: "nvidia-smi" });
    expect(host?.gpus).toHaveLength(1);
    expect(host?.gpus[0]).toMatchObject({
      name: "NVIDIA A100-SXM4-80GB",
      computeCapability: "8.0",
      memoryMiB: 81920,
      migMode: "Enabled",
    });
    expect(host?.gpus[0]?.migDevices).toHaveLength(7);
    expect(host?.gpus[0]?.migDevices[6]).toEqual({
      profile: "1g.10gb",
      index: 6,
      uuid: "MIG-1aae4990-b962-574e-8375-119d6d9b9687",
    });
  });

  it("reports a failing nvidia-smi (recorded message from a container without GPU access)", async () => {
    const run = await runProbe(
      "doctor",
      {},
      { env: { ...env, TORCHSTACK_PROBE_RECORDED: fixture("smi-failed") }, args: ["--host-only"] },
    );
    expect(run.doc.host?.driver).toMatchObject({ version: null, nvidiaSmi: "failed" });
    expect(run.doc.host?.driver.error).toMatch(
      /^NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver/,
    );
    expect(run.doc.host?.gpus).toEqual([]);
    const { doctorFindings } = await import("../../../src/probe/doctor-findings.js");
    const { builtinCatalog } = await import("../../../src/catalog/catalog.js");
    const findings = doctorFindings(run.doc.host, null, {
      where: "python3",
      defaultPython: true,
      catalog: builtinCatalog,
    });
    expect(findings.map((f) => [f.code, f.severity])).toEqual([["E_DRIVER_UNREACHABLE", "warning"]]);
  });

  it("reads the driver from /proc/driver/nvidia/version and strips UUIDs", async () => {
    const run = await runProbe(
      "doctor",
      {},
      {
        env: { ...env, TORCHSTACK_PROBE_RECORDED: fixture("rtx3050-470") },
        args: ["--no-pip-check", "--strip-uuids"],
      },
    );
    expect(run.doc.host?.driver).toMatchObject({
      version: "470.86",
      source: "/proc/driver/nvidia/version",
      cudaMax: "11.4",
    });
    expect(run.doc.host?.gpus[0]).toMatchObject({
      uuid: "GPU-<uuid>",
      computeCapability: "8.6",
      migMode: null,
    });
  });
});

describe("probe scripts refuse what they do not know", () => {
  for (const kind of ["doctor", "verify", "bench"] as const) {
    it(`${kind}_probe.py exits 2 on an unknown flag, naming it`, async () => {
      const script = new URL(`../../../src/probe/scripts/${kind}_probe.py`, import.meta.url).pathname;
      const run = await runProcess("python3", [script, "--jsno"], { env: noTorchEnv, reject: false });
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/unrecognized arguments: --jsno/);
    });
  }
});

describe.skipIf(!hasTorch)("probes with torch 1.13 CPU (/usr/bin/python3, python3-torch)", () => {
  it("doctor on a GPU-less host reads torch from its files without importing it", async () => {
    const run = await runProbe("doctor", { python: torchPython }, { env });
    const torch = run.doc.python?.torch;
    expect(torch).toMatchObject({ found: true, imported: false, cuda: null, importMs: null });
    expect(torch?.version).toMatch(/^1\.13/);
    expect(run.doc.python?.pipCheck).toMatchObject({
      status: "skipped",
      reason: expect.stringMatching(/--full/),
    });
  });

  it("doctor --full imports torch, finds its CPU build and runs pip check", async () => {
    const run = await runProbe("doctor", { python: torchPython }, { env, args: ["--full"] });
    const torch = run.doc.python?.torch;
    expect(torch).toMatchObject({
      found: true,
      imported: true,
      cuda: null,
      cudaAvailable: false,
      archList: [],
    });
    expect(torch?.version).toMatch(/^1\.13/);
    expect(run.doc.python?.pipCheck.status).not.toBe("skipped");
  });

  it("verify passes the CPU checks and skips every GPU check with a reason", async () => {
    const run = await runProbe("verify", { python: torchPython }, { env });
    const by = Object.fromEntries(run.doc.checks.map((c) => [c.name, c]));
    expect(run.doc.ok).toBe(true);
    expect(run.exitCode).toBe(0);
    for (const name of ["torch_import", "matmul_cpu", "ddp_allreduce", "dataloader_workers"])
      expect(by[name]?.status, name).toBe("pass");
    for (const name of [
      "cuda_available",
      "cuda_devices",
      "matmul_cuda",
      "cudnn_conv",
      "amp_step",
      "bf16",
      "tf32",
    ]) {
      expect(by[name]?.status, name).toBe("skip");
      expect(by[name]?.reason).toMatch(/CPU-only build/);
    }
    expect(by.torch_compile).toMatchObject({
      status: "skip",
      reason: expect.stringMatching(/torch >= 2\.0/),
    });
    expect(by.ddp_allreduce?.reason).toMatch(/gloo/);
  }, 120_000);

  it("bench --quick runs CPU-sized figures and the harness self-check", async () => {
    const run = await runProbe("bench", { python: torchPython }, { env, args: ["--quick", "--selfcheck"] });
    expect(run.doc).toMatchObject({ ok: true, device: "cpu", cpuSized: true });
    const fp32 = run.doc.results?.filter((r) => r.name === "matmul" && r.precision === "fp32") ?? [];
    expect(fp32.length).toBeGreaterThan(0);
    for (const r of fp32) expect(r.value).toBeGreaterThan(0);
    expect(run.doc.results?.find((r) => r.name === "amp_speedup")).toMatchObject({
      status: "skip",
      value: null,
    });
    expect(run.doc.selfcheck?.handMs).toBeGreaterThan(0);
  }, 180_000);
});

describe("verify and bench without torch", () => {
  it("verify fails torch_import and exits 1", async () => {
    const run = await runProbe("verify", {}, { env: noTorchEnv });
    expect(run.exitCode).toBe(1);
    expect(run.doc.ok).toBe(false);
    expect(run.doc.checks[0]).toMatchObject({ name: "torch_import", status: "fail" });
    expect(run.doc.checks.slice(1).every((c) => c.status === "skip")).toBe(true);
  });

  it("bench reports ok:false with the import error", async () => {
    const run = await runProbe("bench", {}, { env: noTorchEnv, args: ["--quick"] });
    expect(run.doc).toMatchObject({ ok: false, error: expect.stringMatching(/torch is not importable/) });
  });

  it("a missing interpreter is E_PYTHON_NOT_FOUND", async () => {
    await expect(runProbe("doctor", { python: "/nonexistent/python3" }, { env })).rejects.toMatchObject({
      code: "E_PYTHON_NOT_FOUND",
    });
  });
});

describe("--in NAME: the script goes on stdin to `python3 - --json`", () => {
  it("runs the doctor probe from stdin through the environment runner", async () => {
    const calls: Array<{ name: string; argv: string[] }> = [];
    // Stands in for the engine: runs the same argv and stdin on this host instead of in a container.
    const envRunner: EnvRunner = async (name, opts) => {
      calls.push({ name, argv: opts.argv });
      const [file, ...args] = opts.argv;
      const result = await runProcess(file ?? "python3", args, {
        env: { ...env, ...opts.env },
        input: opts.stdin ?? "",
        reject: false,
      });
      return { exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr };
    };
    const run = await runProbe("doctor", { inEnv: "dev" }, { env, envRunner, args: ["--no-pip-check"] });
    expect(calls).toEqual([{ name: "dev", argv: ["python3", "-", "--json", "--no-pip-check"] }]);
    expect(run.where).toBe("env dev");
    expect(run.doc.probe).toBe("doctor");
  });
});

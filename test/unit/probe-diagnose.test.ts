/**
 * `diagnose` against real logs and tracebacks recorded in GitHub issues
 * (test/fixtures/logs/*.log; each names its source URL), a clean log, and the
 * same logs with ANSI colours, CRLF line ends and rank prefixes added.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diagnoseLog } from "../../src/diagnose/diagnose-log.js";
import { KNOWN_ERRORS } from "../../src/diagnose/known-errors.js";
import { runCliInMemory } from "../support/run-cli-in-memory.js";

const path = (name: string) => new URL(`../fixtures/logs/${name}`, import.meta.url).pathname;
const log = (name: string) => readFileSync(path(name), "utf8");
const codesOf = (name: string) => diagnoseLog(log(name)).map((f) => f.code);

describe("diagnose on recorded logs", () => {
  it.each([
    ["rtx5090-sm120-no-kernel.log", ["E_ARCH_NOT_COMPATIBLE", "E_NO_KERNEL_IMAGE"]],
    ["h100-sm90-old-torch.log", ["E_ARCH_NOT_COMPATIBLE"]],
    ["driver-too-old-cu13.log", ["E_DRIVER_TOO_OLD"]],
    ["driver-insufficient-raw.log", ["E_DRIVER_TOO_OLD"]],
    ["invalid-device-ordinal.log", ["E_INVALID_DEVICE_ORDINAL"]],
    ["nccl-undefined-symbol.log", ["E_LIBRARY_MISMATCH"]],
    ["nvjitlink-undefined-symbol.log", ["E_LIBRARY_MISMATCH"]],
    ["torchvision-nms.log", ["E_TORCHVISION_MISMATCH"]],
    ["flash-attn-abi.log", ["E_EXTENSION_ABI_MISMATCH"]],
    ["not-compiled-with-cuda.log", ["E_NOT_COMPILED_WITH_CUDA"]],
    ["nccl-shm.log", ["E_NCCL_SHM"]],
    ["dataloader-bus-error.log", ["E_DATALOADER_SHM"]],
    ["no-cuda-gpus-compose.log", ["E_NO_GPU_VISIBLE"]],
    ["cuda-oom-rank.log", ["E_CUDA_OOM"]],
  ])("%s → %j", (name, codes) => {
    expect(codesOf(name)).toEqual(codes);
  });

  it("a clean log has no findings", () => {
    expect(diagnoseLog(log("clean-training.log"))).toEqual([]);
  });

  it("every known error has at least one recorded log that triggers it", () => {
    const all = new Set(
      [
        "rtx5090-sm120-no-kernel.log",
        "h100-sm90-old-torch.log",
        "driver-too-old-cu13.log",
        "invalid-device-ordinal.log",
        "nccl-undefined-symbol.log",
        "torchvision-nms.log",
        "not-compiled-with-cuda.log",
        "nccl-shm.log",
        "dataloader-bus-error.log",
        "no-cuda-gpus-compose.log",
        "cuda-oom-rank.log",
        "flash-attn-abi.log",
      ].flatMap(codesOf),
    );
    for (const known of KNOWN_ERRORS) expect(all.has(known.code), known.code).toBe(true);
  });

  it("sm_120: evidence is the matched line and the fix names torch releases with sm_120 from the catalog", () => {
    const [arch, noKernel] = diagnoseLog(log("rtx5090-sm120-no-kernel.log"));
    expect(arch?.evidence).toMatch(
      /^Oct 04 13:19:39 .*NVIDIA GeForce RTX 5090 with CUDA capability sm_120 is not compatible/,
    );
    expect(arch?.cause).toContain("compute capability 12.0");
    expect(arch?.cause).toContain("sm_50 sm_60 sm_70 sm_75 sm_80 sm_86 sm_90");
    expect(arch?.fix.join("\n")).toContain("the oldest torch with kernels for 12.0 is 2.7.0 (cu128");
    expect(noKernel?.evidence).toMatch(/RuntimeError: CUDA error: no kernel image is available/);
    expect(noKernel?.line).toBe(7);
  });

  it("driver too old: reads the CUDA version out of 'found version 12080'", () => {
    const [f] = diagnoseLog(log("driver-too-old-cu13.log"));
    expect(f?.cause).toContain("supports CUDA 12.8");
    expect(f?.fix.join("\n")).toMatch(
      /install a torch built for CUDA <= 12\.8: pip install torch==[\d.]+ --index-url \S+\/cu12\d\b/,
    );
  });

  it("nvJitLink: the fix names the toolkit folder on LD_LIBRARY_PATH", () => {
    const [f] = diagnoseLog(log("nvjitlink-undefined-symbol.log"));
    expect(f?.fix[0]).toContain("remove /usr/local/cuda-12.1/lib64 from LD_LIBRARY_PATH");
  });

  it("OOM: rank prefix is dropped and the allocator hint carries the reserved amount", () => {
    const [f] = diagnoseLog(log("cuda-oom-rank.log"));
    expect(f?.evidence.startsWith("torch.OutOfMemoryError: CUDA out of memory")).toBe(true);
    expect(f?.fix[0]).toBe(
      "reduce fragmentation (910.35 MiB is reserved by PyTorch but unallocated): export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True",
    );
    expect(f?.fix[1]).toContain("another process holds 23.57 GiB");
    expect(f?.cause).toContain("158.00 MiB");
  });

  it("matches through ANSI colours, CRLF and rank prefixes", () => {
    const noisy = log("nccl-shm.log")
      .split("\n")
      .map((line, i) => `[rank${i % 4}]: \u001b[31m${line}\u001b[0m`)
      .join("\r\n");
    const [f] = diagnoseLog(noisy);
    expect(f?.code).toBe("E_NCCL_SHM");
    for (const bad of ["\u001b", "\r", "[rank"]) expect(f?.evidence).not.toContain(bad);
    expect(f?.evidence).toContain("failed to extend /dev/shm/nccl-WU88OE");
  });
});

describe("torchstack diagnose (CLI)", () => {
  it("--json prints {findings} and exits 0 with findings", async () => {
    const run = await runCliInMemory(["diagnose", path("torchvision-nms.log"), "--json"], {
      env: { ...process.env },
    });
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { findings: Array<Record<string, unknown>> };
    expect(Object.keys(doc)).toEqual(["findings"]);
    expect(doc.findings[0]).toMatchObject({
      code: "E_TORCHVISION_MISMATCH",
      title: expect.any(String),
      cause: expect.any(String),
      evidence: "RuntimeError: operator torchvision::nms does not exist",
      fix: expect.any(Array),
    });
  });

  it("a clean log exits 0 with no findings", async () => {
    const run = await runCliInMemory(["diagnose", path("clean-training.log"), "--json"], {
      env: { ...process.env },
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ findings: [] });
  });

  it("an unreadable file is E_LOG_UNREADABLE (exit 1)", async () => {
    const run = await runCliInMemory(["diagnose", "/nonexistent.log", "--json"], { env: { ...process.env } });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: "E_LOG_UNREADABLE" } });
  });
});

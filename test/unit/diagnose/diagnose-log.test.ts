/**
 * `diagnose` against real logs and tracebacks recorded in GitHub issues
 * (test/fixtures/logs/*.log; each names its source URL), a clean log, and the
 * same logs with ANSI colours, CRLF line ends and rank prefixes added.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diagnoseLog } from "../../../src/diagnose/diagnose-log.js";
import { KNOWN_ERRORS } from "../../../src/diagnose/known-errors.js";
import { runCliInMemory } from "../../support/run-cli-in-memory.js";

const path = (name: string) => new URL(`../../fixtures/logs/${name}`, import.meta.url).pathname;
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
    ["nvml-mismatch.log", ["E_NVML_MISMATCH"]],
    ["illegal-memory-access.log", ["E_ILLEGAL_MEMORY_ACCESS"]],
    ["device-assert-nll.log", ["E_DEVICE_ASSERT"]],
    ["cublas-alloc.log", ["E_CUBLAS_ALLOC"]],
    ["xid-79-fallen-off-bus.log", ["E_GPU_XID"]],
    ["xid-31-13-mmu-fault.log", ["E_GPU_XID"]],
    ["xid-94-contained-ecc.log", ["E_GPU_XID"]],
    ["ecc-uncorrectable.log", ["E_ECC_ERROR"]],
    ["torchrun-sigkill.log", ["E_PROCESS_KILLED"]],
    ["oom-killer-dmesg.log", ["E_PROCESS_KILLED"]],
    ["nccl-watchdog-timeout.log", ["E_NCCL_TIMEOUT"]],
    ["rendezvous-timeout.log", ["E_RENDEZVOUS_TIMEOUT"]],
    ["port-in-use.log", ["E_PORT_IN_USE"]],
    ["hostname-loopback.log", ["E_HOSTNAME_LOOPBACK"]],
    ["no-libuv.log", ["E_NO_LIBUV"]],
    ["cudnn9-missing.log", ["E_CUDA_LIBRARY_MISSING"]],
    ["cudart12-missing.log", ["E_CUDA_LIBRARY_MISSING"]],
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
        "nvml-mismatch.log",
        "illegal-memory-access.log",
        "device-assert-nll.log",
        "cublas-alloc.log",
        "xid-79-fallen-off-bus.log",
        "ecc-uncorrectable.log",
        "torchrun-sigkill.log",
        "nccl-watchdog-timeout.log",
        "rendezvous-timeout.log",
        "port-in-use.log",
        "hostname-loopback.log",
        "no-libuv.log",
        "cudnn9-missing.log",
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

describe("diagnose: GPU faults and killed processes", () => {
  it("Xid 79: names the number, its meaning and a hardware action", () => {
    const [f] = diagnoseLog(log("xid-79-fallen-off-bus.log"));
    expect(f?.evidence).toBe("[ 1843.308145] NVRM: Xid (PCI:0000:44:00): 79, GPU has fallen off the bus");
    expect(f?.cause).toContain("Xid 79: GPU has fallen off the bus");
    expect(f?.fix.join("\n")).toMatch(/Xid 79: check power, cooling and PCIe seating/);
    expect(f?.fix.join("\n")).toContain("CUDA_VISIBLE_DEVICES");
  });

  it("Xid 31 and 13 on one GPU: both named, as program faults (no hardware advice)", () => {
    const [f] = diagnoseLog(log("xid-31-13-mmu-fault.log"));
    expect(f?.cause).toContain("Xid 31: GPU memory page fault");
    expect(f?.cause).toContain("Xid 13: graphics engine exception");
    expect(f?.occurrences).toBe(3);
    expect(f?.fix.join("\n")).not.toContain("CUDA_VISIBLE_DEVICES=<the other GPUs>");
  });

  it.each([
    [13, "graphics engine exception"],
    [31, "page fault"],
    [43, "stopped processing"],
    [48, "double-bit ECC"],
    [63, "row remapping recorded"],
    [64, "row remapping failed"],
    [74, "NVLink"],
    [79, "fallen off the bus"],
    [94, "contained ECC"],
    [95, "uncontained ECC"],
  ])("Xid %i is named: %s", (xid, meaning) => {
    const [f] = diagnoseLog(`[ 1.0] NVRM: Xid (PCI:0000:3b:00): ${xid}, pid=77, name=python3, details`);
    expect(f?.code).toBe("E_GPU_XID");
    expect(f?.cause).toContain(`Xid ${xid}: `);
    expect(f?.cause).toContain(meaning);
  });

  it("the OOM killer: cause names the process and its host RAM in GiB", () => {
    const [f] = diagnoseLog(log("oom-killer-dmesg.log"));
    expect(f?.cause).toContain("OOM killer ended python (pid 698405) holding 12.3 GiB of host RAM");
    expect(f?.fix[0]).toMatch(/num_workers/);
  });

  it("exit -9 from torchrun is a killed process", () => {
    const [f] = diagnoseLog(log("torchrun-sigkill.log"));
    expect(f?.evidence).toContain("failed (exitcode: -9) local_rank: 3");
  });

  it("a device-side assert names the failed assertion", () => {
    const [f] = diagnoseLog(log("device-assert-nll.log"));
    expect(f?.cause).toContain("The failed assertion is `t >= 0 && t < n_classes`.");
    expect(f?.occurrences).toBe(3);
  });

  it("no fix tells pip to build every package from source (--no-binary :all:)", () => {
    for (const known of KNOWN_ERRORS) {
      for (const fix of known.fix) expect(fix).not.toContain(":all:");
    }
    expect(KNOWN_ERRORS.find((k) => k.code === "E_NO_KERNEL_IMAGE")?.fix.join("\n")).toContain(
      "--no-binary PACKAGE PACKAGE",
    );
  });

  it("the line prefilter drops no finding on any recorded log", async () => {
    const { readdirSync } = await import("node:fs");
    const { createLogScanner } = await import("../../../src/diagnose/diagnose-log.js");
    for (const name of readdirSync(path(""))) {
      const scan = (prefilter: boolean) => {
        const scanner = createLogScanner({ prefilter });
        for (const line of log(name).split("\n")) scanner.add(line);
        return scanner.findings();
      };
      expect(scan(true), name).toEqual(scan(false));
    }
  });
});

describe("diagnose streams (any log size, in bounded memory)", () => {
  it("passes every chunk through as it arrives, before the log ends (--tee)", async () => {
    const { PassThrough } = await import("node:stream");
    const { diagnoseStream } = await import("../../../src/diagnose/diagnose-stream.js");
    const source = new PassThrough();
    const tee = new PassThrough();
    const seen: string[] = [];
    tee.on("data", (chunk: Buffer) => seen.push(chunk.toString()));
    const done = diagnoseStream(source, { tee });
    source.write("epoch 1 loss 0.5\n");
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.join("")).toBe("epoch 1 loss 0.5\n");
    source.end("RuntimeError: CUDA error: an illegal memory access was encountered\n");
    const result = await done;
    expect(seen.join("")).toBe(
      "epoch 1 loss 0.5\nRuntimeError: CUDA error: an illegal memory access was encountered\n",
    );
    expect(result.findings.map((f) => f.code)).toEqual(["E_ILLEGAL_MEMORY_ACCESS"]);
    expect(result.lines).toBe(2);
  });

  it("decodes UTF-8 split across chunks and counts lines", async () => {
    const { diagnoseStream } = await import("../../../src/diagnose/diagnose-stream.js");
    const bytes = Buffer.from("ünïcode ✓\nRuntimeError: CUDA error: device-side assert triggered\n");
    const chunks = [...bytes].map((b) => Uint8Array.of(b));
    const result = await diagnoseStream(
      (async function* () {
        yield* chunks;
      })(),
    );
    expect(result.findings[0]?.line).toBe(2);
    expect(result.bytes).toBe(bytes.length);
  });

  it("a 560 MB log file (one endless line, then a real error; longer than any JS string) is diagnosed, not 'Invalid string length'", async () => {
    const { mkdtempSync, openSync, writeSync, closeSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "diagnose-big-"));
    try {
      const file = join(dir, "big.log");
      const fd = openSync(file, "w");
      // sparse: 560 MB of NUL bytes without a line break take no disk space
      writeSync(fd, "\nRuntimeError: CUDA error: an illegal memory access was encountered\n", 560e6);
      closeSync(fd);
      const run = await runCliInMemory(["diagnose", file, "--json"], { env: { ...process.env } });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const doc = JSON.parse(run.stdout) as { findings: Array<{ code: string; line: number }> };
      expect(doc.findings).toMatchObject([{ code: "E_ILLEGAL_MEMORY_ACCESS", line: 2 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("torchstack diagnose (CLI)", () => {
  it("560 MB on stdin (-) is diagnosed in bounded memory, not E_INTERNAL", async () => {
    const { Readable, PassThrough } = await import("node:stream");
    const { runCli } = await import("../../../src/cli/run-cli.js");
    const zeros = Buffer.alloc(2 ** 20);
    const before = process.memoryUsage().rss;
    let peak = before;
    const stdin = Readable.from(
      (function* () {
        for (let i = 0; i < 560; i += 1) {
          if (i % 32 === 0) peak = Math.max(peak, process.memoryUsage().rss);
          yield zeros;
        }
        yield Buffer.from(
          "\nRuntimeError: CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`\n",
        );
      })(),
    );
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on("data", (c: Buffer) => chunks.push(c));
    const code = await runCli({
      argv: ["diagnose", "-", "--json"],
      cwd: process.cwd(),
      env: {},
      stdin,
      stdout,
      stderr: new PassThrough(),
      signal: new AbortController().signal,
    });
    expect(code).toBe(0);
    expect(JSON.parse(Buffer.concat(chunks).toString())).toMatchObject({
      findings: [{ code: "E_CUBLAS_ALLOC" }],
    });
    expect(peak - before).toBeLessThan(100 * 2 ** 20);
  }, 60_000);

  it("--tee --json: the log goes to stderr, stdout is one JSON document", async () => {
    const run = await runCliInMemory(["diagnose", path("nvml-mismatch.log"), "--tee", "--json"], {
      env: { ...process.env },
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(log("nvml-mismatch.log"));
    expect(JSON.parse(run.stdout)).toMatchObject({ findings: [{ code: "E_NVML_MISMATCH" }] });
  });

  it("--tee: the log on stdout, then the findings", async () => {
    const run = await runCliInMemory(["diagnose", path("ecc-uncorrectable.log"), "--tee"], {
      env: { ...process.env },
    });
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith(log("ecc-uncorrectable.log"))).toBe(true);
    expect(run.stdout).toMatch(/E_ECC_ERROR: Uncorrectable GPU memory \(ECC\) error\n/);
  });

  it("a folder is E_LOG_UNREADABLE", async () => {
    const run = await runCliInMemory(["diagnose", path(""), "--json"], { env: { ...process.env } });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: "E_LOG_UNREADABLE" } });
  });

  it("--json prints {findings} and exits 0 with findings", async () => {
    const run = await runCliInMemory(["diagnose", path("torchvision-nms.log"), "--json"], {
      env: { ...process.env },
    });
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { findings: Array<Record<string, unknown>> };
    expect(Object.keys(doc)).toEqual(["ok", "findings"]);
    expect(doc.findings[0]).toMatchObject({
      code: "E_TORCHVISION_MISMATCH",
      title: expect.any(String),
      cause: expect.any(String),
      evidence: "RuntimeError: operator torchvision::nms does not exist",
      fix: expect.any(Array),
    });
  });

  it("beside a torchstack.yaml, a fix that installs another torch says: torchstack.yaml → lock → build", async () => {
    const project = mkdtempSync(join(tmpdir(), "ts-diag-spec-"));
    writeFileSync(join(project, "torchstack.yaml"), 'name: p\ntorch: "2.7.1"\n');
    const run = await runCliInMemory(["diagnose", path("driver-too-old-cu13.log"), "--json"], {
      cwd: project,
      env: { ...process.env },
    });
    const fixes = (JSON.parse(run.stdout) as { findings: { fix: string[] }[] }).findings.flatMap(
      (f) => f.fix,
    );
    expect(fixes.join("\n")).not.toContain("pip install torch");
    expect(fixes.join("\n")).toMatch(
      /set torch: "[\d.]+" and cuda: "12\.\d" in torchstack\.yaml, then torchstack lock && torchstack build/,
    );
  });

  it("a clean log exits 0 with no findings", async () => {
    const run = await runCliInMemory(["diagnose", path("clean-training.log"), "--json"], {
      env: { ...process.env },
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ ok: true, findings: [] });
  });

  it("an unreadable file is E_LOG_UNREADABLE (exit 1)", async () => {
    const run = await runCliInMemory(["diagnose", "/nonexistent.log", "--json"], { env: { ...process.env } });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: "E_LOG_UNREADABLE" } });
  });
});

/**
 * Pure parts around the probes: bench figures against catalog datasheet peaks
 * and the nvidia-smi telemetry summary, and diagnose facts from a doctor run.
 * The bench document is synthesized, not recorded on a GPU (field values only
 * exercise the arithmetic; the throttle reason string is nvidia-smi's format).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { builtinCatalog } from "../../../src/catalog/catalog.js";
import { addDoctorFacts } from "../../../src/diagnose/add-doctor-facts.js";
import { diagnoseLog } from "../../../src/diagnose/diagnose-log.js";
import { summariseBench } from "../../../src/probe/bench-peaks.js";
import { doctorFindings } from "../../../src/probe/doctor-findings.js";
import { benchProbeSchema, doctorProbeSchema } from "../../../src/probe/probe-schemas.js";
import { renderDoctor } from "../../../src/probe/render-doctor.js";
import { benchDoc } from "./bench-doc.js";

describe("bench figures against the datasheet", () => {
  const doc = benchProbeSchema.parse(
    benchDoc(742, 2680, {
      results: [{ name: "dataloader", unit: "samples/s", value: 900, ms: 30, status: "ok", reason: null }],
      telemetry: {
        sampled: true,
        field: "clocks_event_reasons.active",
        samples: [
          { gpu: "0", smClockMHz: 1980, powerW: 690.5, throttle: "0x0000000000000000" },
          { gpu: "0", smClockMHz: 1755, powerW: 699.9, throttle: "0x0000000000000004" },
        ],
      },
    }),
  );

  it("puts each figure next to the catalog peak and the fraction", () => {
    const s = summariseBench(doc);
    expect(s.gpu?.catalog).toBe("H100 SXM");
    const mm = s.results.find((r) => r.name === "matmul");
    expect(mm?.peak).toBe(989);
    expect(mm?.fraction).toBeCloseTo(742 / 989, 6);
    expect(s.results.find((r) => r.name === "memory_bandwidth")?.fraction).toBeCloseTo(2680 / 3350, 6);
    expect(s.results.find((r) => r.name === "dataloader")?.peak).toBeNull();
  });

  it("summarises clocks, power and the non-idle throttle reasons", () => {
    expect(summariseBench(doc).telemetry).toEqual({
      sampled: true,
      samples: 2,
      maxSmClockMHz: 1980,
      maxPowerW: 699.9,
      throttleReasons: ["sw power cap"],
    });
  });
});

describe("diagnose --in facts", () => {
  it("confirms a DataLoader bus error with a 64 MiB /dev/shm from the environment's doctor run", () => {
    const raw: unknown = JSON.parse(
      readFileSync(
        new URL("../../fixtures/probe/doctor-rtx5090-torch26-cu124.json", import.meta.url),
        "utf8",
      ),
    );
    const probe = doctorProbeSchema.parse(raw);
    const doctor = {
      host: probe.host,
      python: probe.python,
      findings: doctorFindings(probe.host, probe.python, {
        where: "env dev",
        defaultPython: false,
        catalog: builtinCatalog,
      }),
    };
    const log = readFileSync(
      new URL("../../fixtures/logs/rtx5090-sm120-no-kernel.log", import.meta.url),
      "utf8",
    );
    const bus = readFileSync(
      new URL("../../fixtures/logs/dataloader-bus-error.log", import.meta.url),
      "utf8",
    );
    const findings = addDoctorFacts(diagnoseLog(`${log}\n${bus}`), doctor, "environment dev");
    const shm = findings.find((f) => f.code === "E_DATALOADER_SHM");
    expect(shm?.facts).toEqual(["confirmed: /dev/shm in environment dev is 64 MiB"]);
    const arch = findings.find((f) => f.code === "E_ARCH_NOT_COMPATIBLE");
    expect(arch?.facts?.[0]).toContain("NVIDIA GeForce RTX 5090 (cc 12.0)");
    expect(arch?.facts?.[1]).toMatch(/^confirmed: GPU 0 NVIDIA GeForce RTX 5090 \(sm_120\)/);
  });
});

describe("nvidia-smi telemetry rows (bench_probe.parse_samples, real Python)", () => {
  it("parses clocks, power and the reasons mask, with [N/A] as null", () => {
    const scripts = new URL("../../../src/probe/scripts", import.meta.url).pathname;
    const csv = new URL("../../fixtures/probe/telemetry/smi-samples.csv", import.meta.url).pathname;
    const out = execFileSync(
      "python3",
      [
        "-c",
        "import json,sys,bench_probe; print(json.dumps(bench_probe.parse_samples(open(sys.argv[1]).read().splitlines())))",
        csv,
      ],
      { cwd: scripts, encoding: "utf8" },
    );
    const samples = JSON.parse(out) as Array<Record<string, unknown>>;
    expect(samples).toHaveLength(3);
    expect(samples[2]).toMatchObject({ gpu: "1", smClockMHz: null, powerW: null, tempC: 39 });
    const summary = summariseBench(
      benchProbeSchema.parse({
        probe: "bench",
        schema: 1,
        quick: true,
        ok: true,
        telemetry: { sampled: true, samples },
      }),
    );
    expect(summary.telemetry).toMatchObject({
      samples: 3,
      maxSmClockMHz: 1980,
      maxPowerW: 699.9,
      throttleReasons: ["sw power cap"],
    });
  });
});

describe("doctor text", () => {
  it("reads like collect_env with the GPU line and the findings with fixes", () => {
    const raw: unknown = JSON.parse(
      readFileSync(
        new URL("../../fixtures/probe/doctor-rtx5090-torch26-cu124.json", import.meta.url),
        "utf8",
      ),
    );
    const probe = doctorProbeSchema.parse(raw);
    const findings = doctorFindings(probe.host, probe.python, {
      where: "/opt/venv/bin/python3",
      defaultPython: false,
      catalog: builtinCatalog,
    });
    const text = renderDoctor({ host: probe.host, python: probe.python, findings });
    expect(text).toContain("Nvidia driver version: 570.124.04 (from /sys/module/nvidia/version)");
    expect(text).toContain("  GPU 0: NVIDIA GeForce RTX 5090 (cc 12.0, 32607 MiB, MIG n/a)");
    expect(text).toContain("CUDA used to build PyTorch: 12.4");
    expect(text).toContain("[pip] nvidia-nccl-cu11==2.14.3");
    expect(text).toMatch(/\[error\] E_ARCH_NOT_COMPATIBLE: GPU 0 NVIDIA GeForce RTX 5090 \(sm_120\)/);
    expect(text).toMatch(/ {6}fix: install torch 2\.\d+\.\d+ built for cu13\d/);
  });
});

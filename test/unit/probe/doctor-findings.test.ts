/**
 * The doctor findings engine against probe documents assembled from output
 * recorded on GPUs (test/fixtures/probe/doctor-*.json; each says where its
 * facts come from) and against small edits of them.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { builtinCatalog } from "../../../src/catalog/catalog.js";
import { doctorFindings, type Finding } from "../../../src/probe/doctor-findings.js";
import { type DoctorProbe, doctorProbeSchema } from "../../../src/probe/probe-schemas.js";
import { runProbe } from "../../../src/probe/run-probe.js";

function load(name: string): DoctorProbe {
  const raw: unknown = JSON.parse(
    readFileSync(new URL(`../../fixtures/probe/${name}`, import.meta.url), "utf8"),
  );
  return doctorProbeSchema.parse(raw);
}

const ctx = { where: "/opt/venv/bin/python3", defaultPython: false, catalog: builtinCatalog };
const codes = (findings: Finding[]) => findings.map((f) => f.code);

describe("doctor findings", () => {
  it("H100 + driver 550 + torch cu128: E_DRIVER_TOO_OLD with the driver and a wheel that fits", () => {
    const doc = load("doctor-h100-driver550-torch-cu128.json");
    const findings = doctorFindings(doc.host, doc.python, ctx);
    const driver = findings.find((f) => f.code === "E_DRIVER_TOO_OLD");
    expect(driver?.severity).toBe("warning");
    expect(driver?.message).toContain("550.54.15");
    expect(driver?.message).toContain("12.8");
    expect(driver?.fix[0]).toMatch(/upgrade the NVIDIA driver to >= 570/);
    expect(driver?.fix.join(" ")).toMatch(/whl\/cu12[0-4]/);
    expect(codes(findings)).not.toContain("E_ARCH_NOT_COMPATIBLE");
  });

  it("a driver below the CUDA family minimum is an error", () => {
    const doc = load("doctor-h100-driver550-torch-cu128.json");
    if (!doc.host || !doc.python) throw new Error("fixture incomplete");
    doc.host.driver.version = "470.86";
    const driver = doctorFindings(doc.host, doc.python, ctx).find((f) => f.code === "E_DRIVER_TOO_OLD");
    expect(driver).toMatchObject({ severity: "error" });
    expect(driver?.message).toContain(">= 525.60.13");
  });

  it("RTX 5090 (sm_120) + torch 2.6 cu124: E_ARCH_NOT_COMPATIBLE naming releases with sm_120", () => {
    const doc = load("doctor-rtx5090-torch26-cu124.json");
    const findings = doctorFindings(doc.host, doc.python, ctx);
    const arch = findings.find((f) => f.code === "E_ARCH_NOT_COMPATIBLE");
    expect(arch?.severity).toBe("error");
    expect(arch?.message).toContain("sm_120");
    expect(arch?.fix.join("\n")).toMatch(/oldest torch with kernels for 12\.0 is 2\.7\.0 \(cu128/);
    expect(arch?.fix[0]).toMatch(
      /pip install torch==2\.\d+\.\d+ --index-url https:\/\/download\.pytorch\.org\/whl\/cu13/,
    );
  });

  it("the same fixture also shows 64 MiB shm, mixed nvidia-* families and the torchvision pairing", () => {
    const doc = load("doctor-rtx5090-torch26-cu124.json");
    const findings = doctorFindings(doc.host, doc.python, ctx);
    expect(findings.find((f) => f.code === "E_SHM_SMALL")?.fix[0]).toMatch(/--shm-size/);
    const mixed = findings.find((f) => f.code === "E_MIXED_NVIDIA_FAMILIES");
    expect(mixed?.fix[0]).toBe("pip uninstall -y nvidia-nccl-cu11");
    expect(findings.find((f) => f.code === "E_TORCHVISION_MISMATCH")?.fix[0]).toMatch(/torchvision==0\.21/);
    expect(findings.map((f) => f.severity)).toEqual(
      [...findings.map((f) => f.severity)].sort(
        (a, b) => ["error", "warning", "info"].indexOf(a) - ["error", "warning", "info"].indexOf(b),
      ),
    );
  });

  it("LD_LIBRARY_PATH shadowing and pip check failures become warnings", () => {
    const doc = load("doctor-h100-driver550-torch-cu128.json");
    if (!doc.python) throw new Error("fixture incomplete");
    doc.python.ldLibraryPath = [
      { dir: "/usr/local/cuda-12.1/lib64", libs: ["libnvJitLink.so.12", "libcudart.so.12"] },
    ];
    doc.python.pipCheck = {
      status: "failed",
      reason: null,
      problems: ["torchvision 0.22.0 has requirement torch==2.7.0, but you have torch 2.8.0."],
    };
    const findings = doctorFindings(doc.host, doc.python, ctx);
    expect(findings.find((f) => f.code === "E_LD_LIBRARY_PATH_SHADOWING")?.fix[0]).toContain(
      "/usr/local/cuda-12.1/lib64",
    );
    expect(findings.find((f) => f.code === "E_PIP_CHECK")?.message).toContain("torchvision 0.22.0");
  });

  it("MIG devices become an info finding with a MIG UUID to pick", () => {
    const doc = load("doctor-h100-driver550-torch-cu128.json");
    if (!doc.host) throw new Error("fixture incomplete");
    const gpu = doc.host.gpus[0];
    if (!gpu) throw new Error("fixture incomplete");
    gpu.migMode = "Enabled";
    gpu.migDevices = [{ profile: "1g.10gb", index: 0, uuid: "MIG-feb88891-0321-5fef-9c87-d4af3b54259e" }];
    const mig = doctorFindings(doc.host, doc.python, ctx).find((f) => f.code === "E_MIG_ENABLED");
    expect(mig).toMatchObject({
      severity: "info",
      fix: ["pick a slice with CUDA_VISIBLE_DEVICES=MIG-feb88891-0321-5fef-9c87-d4af3b54259e"],
    });
  });

  it("no GPU and no torch are plain info findings, with a hint at another python", () => {
    const doc = load("doctor-h100-driver550-torch-cu128.json");
    if (!doc.host || !doc.python) throw new Error("fixture incomplete");
    doc.host.driver = { version: null, source: "none", cudaMax: null, nvidiaSmi: "not found", error: null };
    doc.host.gpus = [];
    doc.python.torch = {
      ...doc.python.torch,
      found: false,
      version: null,
      error: "ModuleNotFoundError: No module named 'torch'",
    };
    const findings = doctorFindings(doc.host, doc.python, {
      where: "python3",
      defaultPython: true,
      altPythonWithTorch: "/usr/bin/python3",
      catalog: builtinCatalog,
    });
    expect(findings.map((f) => [f.code, f.severity])).toEqual([
      ["E_NO_GPU", "info"],
      ["E_NO_TORCH", "info"],
    ]);
    expect(findings[1]?.message).toContain("torch not found in python3 at PATH");
    expect(findings[1]?.message).toContain("try --python /usr/bin/python3");
  });

  it("an undefined-symbol import error is E_LIBRARY_MISMATCH, not 'no torch'", () => {
    const doc = load("doctor-h100-driver550-torch-cu128.json");
    if (!doc.python) throw new Error("fixture incomplete");
    doc.python.torch = {
      ...doc.python.torch,
      found: false,
      error: "ImportError: …/libtorch_cuda.so: undefined symbol: ncclCommRegister",
    };
    const finding = doctorFindings(doc.host, doc.python, ctx).find((f) => f.code === "E_LIBRARY_MISMATCH");
    expect(finding?.severity).toBe("error");
  });

  it("a healthy stack has no error or warning findings", () => {
    const doc = load("doctor-h100-driver550-torch-cu128.json");
    if (!doc.host) throw new Error("fixture incomplete");
    doc.host.driver.version = "570.124.06";
    const findings = doctorFindings(doc.host, doc.python, ctx);
    expect(findings.filter((f) => f.severity !== "info")).toEqual([]);
  });
});

describe("recorded nvidia-smi → real doctor probe → findings", () => {
  it("H100 on driver 535 (recorded) with a cu128 torch: E_DRIVER_TOO_OLD warning, no arch finding", async () => {
    const recorded = new URL("../../fixtures/probe/h100-535", import.meta.url).pathname;
    const run = await runProbe(
      "doctor",
      {},
      {
        env: { ...process.env, TORCHSTACK_PROBE_RECORDED: recorded },
        args: ["--host-only"],
      },
    );
    expect(run.doc.host?.driver).toMatchObject({ version: "535.129.03", cudaMax: "12.2" });
    const python = load("doctor-h100-driver550-torch-cu128.json").python;
    const findings = doctorFindings(run.doc.host, python, ctx);
    const driver = findings.find((f) => f.code === "E_DRIVER_TOO_OLD");
    expect(driver?.severity).toBe("warning");
    expect(driver?.message).toContain("supports CUDA up to 12.2");
    expect(codes(findings)).not.toContain("E_ARCH_NOT_COMPATIBLE");
  });
});

describe("doctor reads the merged catalog (built-in plus the overlay catalog update writes)", () => {
  it("a release learnt by catalog update changes doctor's fix", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { loadCatalog } = await import("../../../src/catalog/catalog.js");
    const { writeOverlay } = await import("../../../src/catalog/overlay/overlay-file.js");
    const state = mkdtempSync(join(tmpdir(), "ts-doctor-overlay-"));
    try {
      const env = { TORCHSTACK_STATE_DIR: state };
      const doc = load("doctor-h100-driver550-torch-cu128.json");
      if (!doc.python?.torch) throw new Error("fixture incomplete");
      doc.python.torch.version = "2.16.0+cu130";
      doc.python.torchvision = "0.30.0";
      const fixOf = (catalog: typeof builtinCatalog) =>
        doctorFindings(doc.host, doc.python, { ...ctx, catalog }).find(
          (f) => f.code === "E_TORCHVISION_MISMATCH",
        )?.fix;
      // Built-in only: torch 2.16 is unknown, so doctor can only guess torchvision 0.31.
      expect(fixOf(await loadCatalog({ env }))).toEqual([
        "pip install torchvision==0.31 from the same index as torch",
      ]);
      writeOverlay(env, {
        schema: 1,
        index: "http://127.0.0.1:1/whl",
        fetchedAt: "2026-12-22T10:00:00.000Z",
        releases: [
          {
            version: "2.16.0",
            variants: [
              {
                wheel: "cu130",
                pythons: ["3.12"],
                platforms: ["x86_64"],
                cudnn: "9.30.0.1",
                nccl: "2.32.3",
                cudaRuntime: "13.0.3",
                triton: "3.10.0",
                requiresPython: ">=3.11",
                metadataFrom: "torch-2.16.0+cu130-cp312-cp312-manylinux_2_28_x86_64.whl",
              },
            ],
            pypiDefault: "cu130",
            torchvision: "0.31.1",
            torchaudio: null,
          },
        ],
      });
      expect(fixOf(await loadCatalog({ env }))).toEqual([
        "pip install torchvision==0.31.1 from the same index as torch",
      ]);
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });
});

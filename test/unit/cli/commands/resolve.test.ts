// `torchstack resolve` end to end in-process: exit codes 0/1/2, the exact JSON
// contract, spec + flag precedence, and the text table.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliInMemory } from "../../../support/run-cli-in-memory.js";

const STACK_KEYS = [
  "torch",
  "wheel",
  "cuda",
  "cudnn",
  "nccl",
  "python",
  "torchvision",
  "torchaudio",
  "minDriver",
  "archList",
];

async function json(argv: string[], cwd?: string) {
  const run = await runCliInMemory(["resolve", "--json", ...argv], cwd ? { cwd } : {});
  return { ...run, body: JSON.parse(run.stdout) as Record<string, unknown> };
}

function specDir(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "torchstack-resolve-"));
  writeFileSync(join(dir, "torchstack.yaml"), yaml);
  return dir;
}

describe("torchstack resolve --json", () => {
  it("prints exactly {ok, stack, warnings, explain} with the contract stack", async () => {
    const { code, body } = await json(["--no-host", "--torch", "2.7.1", "--cuda", "12.8"]);
    expect(code).toBe(0);
    expect(Object.keys(body)).toEqual(["ok", "stack", "warnings", "explain"]);
    expect(body).toMatchObject({ ok: true, warnings: [], explain: [] });
    const stack = body.stack as Record<string, unknown>;
    expect(Object.keys(stack)).toEqual(STACK_KEYS);
    expect(stack).toMatchObject({
      torch: "2.7.1",
      wheel: "cu128",
      cuda: "12.8",
      cudnn: "9.7.1.26",
      nccl: "2.26.2",
      python: "3.12",
      torchvision: "0.22.1",
      torchaudio: "2.7.1",
      minDriver: "525.60.13",
    });
    const sass = (stack.archList as string[]).filter((a) => a.startsWith("sm_"));
    expect(sass).toEqual(["sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120"]);
  });

  it("fills explain only with --explain", async () => {
    const { body } = await json(["--no-host", "--torch", "2.7", "--gpu", "rtx5090", "--explain"]);
    const explain = body.explain as { subject: string; verdict: string; reason: string }[];
    expect(explain.find((e) => e.verdict === "chosen" && e.subject === "cu128")).toBeDefined();
    expect(explain.find((e) => e.subject === "cu126")?.reason).toMatch(/sm_120/);
  });

  it("fails with exit 1 and {ok:false,error:{code,message,remedies,alternatives}}", async () => {
    const { code, body } = await json(["--no-host", "--torch", "2.7", "--cuda", "12.3"]);
    expect(code).toBe(1);
    expect(Object.keys(body)).toEqual(["ok", "error"]);
    const error = body.error as Record<string, unknown>;
    expect(Object.keys(error)).toEqual(["code", "message", "remedies", "alternatives"]);
    expect(error.code).toBe("E_NO_WHEEL");
    expect(error.message).toMatch(/12\.6 and 12\.8/);
    expect(error.alternatives).toContainEqual({ torch: "2.7.1", cuda: "12.6" });
    expect((error.remedies as string[])[0]).toMatch(/^use --torch 2\.7\.1 --cuda 12\.6 /);
  });

  it.each([
    [["--driver", "530.30.02", "--torch", "2.11", "--cuda", "13.0"], "E_DRIVER_TOO_OLD"],
    [["--torch", "2.6", "--gpu", "sm_120"], "E_GPU_UNSUPPORTED"],
    [["--torch", "2.9", "--python", "3.9"], "E_PYTHON_UNSUPPORTED"],
    [["--torch", "3.0"], "E_UNKNOWN_TORCH"],
  ])("%j → %s", async (argv, expected) => {
    const { code, body } = await json(["--no-host", ...argv]);
    expect(code).toBe(1);
    expect((body.error as { code: string }).code).toBe(expected);
  });

  it("accepts a driver given as its branch: --driver 580 runs cu13x (NVIDIA: >= 580)", async () => {
    const { code, body } = await json(["--no-host", "--driver", "580", "--torch", "2.11"]);
    expect(code).toBe(0);
    expect(body.stack).toMatchObject({ wheel: "cu130", minDriver: "580" });
  });

  it("checks a GPU without a datasheet row by its series and says so", async () => {
    const { code, body } = await json(["--no-host", "--torch", "2.8", "--gpu", "NVIDIA GeForce GTX 1080"]);
    expect(code).toBe(0);
    expect(body.stack).toMatchObject({ wheel: "cu126" });
    expect((body.warnings as string[]).join()).toMatch(/checked as compute capability 6\.1/);
  });

  it("takes --driver none as a host without a driver", async () => {
    const { code, body } = await json(["--no-host", "--driver", "none", "--torch", "2.7"]);
    expect(code).toBe(0);
    expect((body.warnings as string[]).join()).toMatch(/no NVIDIA driver/);
  });
});

describe("torchstack resolve usage errors", () => {
  it.each([
    ["--torch", "banana"],
    ["--driver", "abc"],
    ["--gpu", "sm_x"],
    ["--cuda", "12"],
    ["--python", "python3"],
    ["--flavor", "fat"],
    ["--torch-source", "conda"],
    ["--platform", "riscv64"],
  ])("%s %s → exit 2, one line, no stack trace", async (flag, value) => {
    const run = await runCliInMemory(["resolve", "--no-host", flag, value]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain(flag);
    expect(run.stderr).not.toMatch(/\bat \S+:\d+/);
  });
});

describe("torchstack resolve with a spec", () => {
  it("reads ./torchstack.yaml and lets flags override it", async () => {
    const dir = specDir('name: demo\ntorch: "2.8"\ngpu: GTX 1080 Ti\n');
    const fromSpec = await json(["--no-host"], dir);
    expect(fromSpec.body.stack).toMatchObject({ torch: "2.8.0", wheel: "cu126" });
    const overridden = await json(["--no-host", "--torch", "2.10", "--gpu", "h100"], dir);
    expect(overridden.body.stack).toMatchObject({ torch: "2.10.0", wheel: "cu128" });
  });

  it("with targets in the spec, resolves for them and never runs nvidia-smi", async () => {
    const dir = specDir('name: demo\ntargets:\n  gpus: ["RTX 5090"]\n  driver: "570.86.15"\n');
    const log = join(dir, "smi.jsonl");
    const fake = join(import.meta.dirname, "../../../fixtures/nvidia-smi/fake-nvidia-smi.cjs");
    const env = { TORCHSTACK_NVIDIA_SMI: fake, FAKE_NVIDIA_SMI_LOG: log, PATH: process.env.PATH };
    const run = await runCliInMemory(["resolve", "--json", "--explain"], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    const body = JSON.parse(run.stdout) as {
      stack: { cuda: string; archList: string[] };
      explain: unknown[];
    };
    expect(body.stack.cuda).toMatch(/^12\./);
    expect(body.stack.archList).toContain("sm_120");
    expect(existsSync(log)).toBe(false);
  });

  it("fails on an impossible spec with the resolver's code", async () => {
    const dir = specDir('name: demo\ntorch: "2.7"\ncuda: "12.8"\ngpu: sm_61\n');
    const { code, body } = await json(["--no-host"], dir);
    expect(code).toBe(1);
    expect((body.error as { code: string }).code).toBe("E_GPU_UNSUPPORTED");
  });

  it("resolves torchSource: distro to Debian 12's python3-torch", async () => {
    const dir = specDir("name: demo\ntorchSource: distro\n");
    const { body } = await json(["--no-host"], dir);
    expect(body.stack).toMatchObject({ torch: "1.13.1", wheel: "cpu", python: "3.11", cuda: null });
  });

  it("fails with exit 1 when -f names a missing file", async () => {
    const run = await runCliInMemory(["resolve", "--no-host", "-f", "/nonexistent/torchstack.yaml"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("E_NO_SPEC");
  });
});

describe("torchstack resolve text output", () => {
  it("prints an aligned table, warnings and reasons", async () => {
    // a GPU known only by its series is checked with a warning (a name nobody knows is an error, below)
    const dir = mkdtempSync(join(tmpdir(), "ts-resolve-text-"));
    writeFileSync(join(dir, "torchstack.yaml"), "name: text\ngpu: RTX 4070 Super\n");
    const run = await runCliInMemory([
      "resolve",
      "--no-host",
      "-f",
      join(dir, "torchstack.yaml"),
      "--torch",
      "2.7",
      "--explain",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}torch {8}2\.7\.1$/m);
    expect(run.stdout).toMatch(/^ {2}min driver {3}525\.60\.13$/m);
    expect(run.stdout).toContain("Warnings:");
    expect(run.stdout).toContain(
      'GPU "RTX 4070 Super" has no catalog row: checked as compute capability 8.9',
    );
    expect(run.stdout).toMatch(/Why:\n {2}chosen {4}torch/);
  });

  it.each([
    ["targets.gpus", "name: typo\ntargets:\n  gpus: [H100, H1000]\n", 3, "targets.gpus[1]", '"H1000" is not'],
    [
      "gpu",
      "name: typo\ntorch: '2.7'\ngpu: H100,sm_999\n",
      3,
      "gpu",
      "sm_999: no GPU has compute capability",
    ],
  ])(
    "refuses a GPU in the spec's %s that the catalog does not know, with its line",
    async (_k, yaml, line, key, what) => {
      const dir = mkdtempSync(join(tmpdir(), "ts-resolve-gpu-"));
      const file = join(dir, "torchstack.yaml");
      writeFileSync(file, yaml);
      const run = await runCliInMemory(["resolve", "--no-host", "-f", file, "--json"]);
      expect(run.code).toBe(1);
      const error = (JSON.parse(run.stdout) as { error: Record<string, unknown> }).error;
      expect(error.code).toBe("E_SPEC_INVALID");
      expect(String(error.message)).toContain(`${file}:${line}: ${key}: ${what}`);
      expect(String(error.message)).toContain("nearest known:");
    },
  );

  const hasNvidia = existsSync("/proc/driver/nvidia/version") || existsSync("/sys/module/nvidia/version");
  it.skipIf(hasNvidia)(
    "reads this host (no NVIDIA driver) and warns that it cannot run the GPU image",
    async () => {
      const run = await runCliInMemory(["resolve", "--json", "--torch", "2.7"], {
        env: { PATH: process.env.PATH },
      });
      expect(run.code).toBe(0);
      const body = JSON.parse(run.stdout) as { warnings: string[]; stack: { wheel: string } };
      expect(body.stack.wheel).toBe("cu126");
      expect(body.warnings.join()).toMatch(/no NVIDIA driver on this host/);
    },
  );
});

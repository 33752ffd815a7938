/**
 * Engine tier (TORCHSTACK_E2E=1): doctor, verify and diagnose run their probes
 * inside a real environment started from examples/cpu (Debian 13's python3-torch
 * 2.6 CPU, toolchain flavor) through runInEnvironment, where verify must pass
 * torch.compile, DDP over gloo, DataLoader workers and torchvision for real, and the verify probe runs in the bare image with
 * Docker's default /dev/shm. The environment is built (from cache when the engine
 * tests ran first) and started here, and removed afterwards.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeScriptSource } from "../../src/probe/locate-scripts.js";
import { runProcess } from "../../src/process/run-process.js";
import { runCliInMemory } from "../support/run-cli-in-memory.js";
import { ensureBundle, ROOT, torchstack } from "./cli-process.js";

const NAME = "probe-env";
const root = mkdtempSync(join(tmpdir(), "torchstack-probe-e2e-"));
const env = { ...process.env, TORCHSTACK_STATE_DIR: join(root, "state") };

describe.skipIf(!process.env.TORCHSTACK_E2E)(`probes inside ${NAME}`, () => {
  const spec = join(root, "spec", "torchstack.yaml");
  const workspace = join(root, "workspace");

  beforeAll(async () => {
    ensureBundle();
    mkdirSync(join(root, "spec"));
    mkdirSync(workspace);
    writeFileSync(spec, readFileSync(join(ROOT, "examples", "cpu", "torchstack.yaml"), "utf8"));
    const build = await torchstack(["build", "-f", spec, "--network", "host"], env);
    expect(build.code, build.stderr).toBe(0);
    await torchstack(["down", NAME], env);
    const up = await torchstack(["up", NAME, "-f", spec, "--network", "host", "--workspace", workspace], env);
    expect(up.code, up.stderr).toBe(0);
  });

  afterAll(async () => {
    await torchstack(["down", NAME], env);
  });

  it("doctor --in reads torch 2.6 CPU and a paired torchvision", async () => {
    const run = await runCliInMemory(["doctor", "--in", NAME, "--json"], { env });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as {
      python: { torch: { found: boolean; version: string; cuda: string | null }; torchvision: string | null };
      findings: Array<{ code: string }>;
    };
    expect(doc.python.torch).toMatchObject({ found: true, cuda: null });
    expect(doc.python.torch.version).toMatch(/^2\.6/);
    expect(doc.findings.map((f) => f.code)).not.toContain("E_TORCHVISION_MISMATCH");
  });

  it("verify --in passes the CPU checks and skips GPU checks with reasons", async () => {
    const run = await runCliInMemory(["verify", "--in", NAME, "--json"], { env });
    const doc = JSON.parse(run.stdout) as {
      ok: boolean;
      checks: Array<{ name: string; status: string; reason: string }>;
    };
    expect(doc.ok, run.stdout).toBe(true);
    expect(run.code).toBe(0);
    const by = Object.fromEntries(doc.checks.map((c) => [c.name, c]));
    expect(by.matmul_cpu?.status).toBe("pass");
    expect(by.ddp_allreduce?.status).toBe("pass");
    expect(by.dataloader_workers?.status).toBe("pass");
    // Debian 13's torch 2.6 with the toolchain flavor: inductor compiles C++ on CPU, torchvision's ops load.
    expect(by.torch_compile, JSON.stringify(by.torch_compile)).toMatchObject({ status: "pass" });
    expect(by.torchvision_ops, JSON.stringify(by.torchvision_ops)).toMatchObject({ status: "pass" });
    expect(by.matmul_cuda).toMatchObject({ status: "skip", reason: expect.stringMatching(/CPU-only/) });
  });

  it("diagnose --in adds the environment's shm size to a DataLoader bus error", async () => {
    const log = new URL("../fixtures/logs/dataloader-bus-error.log", import.meta.url).pathname;
    const run = await runCliInMemory(["diagnose", log, "--in", NAME, "--json"], { env });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { findings: Array<{ code: string; facts?: string[] }> };
    expect(doc.findings[0]?.code).toBe("E_DATALOADER_SHM");
    expect(doc.findings[0]?.facts?.[0]).toContain(`/dev/shm in environment ${NAME} is `);
  });
});

describe.skipIf(!process.env.TORCHSTACK_E2E)("verify probe in the CPU torch image (docker run)", () => {
  // The image was built by the describe block above (tests in a file run in order).
  async function image(): Promise<string | undefined> {
    const list = await runProcess(
      "docker",
      ["images", "cpu-example:torch2.6.0-cpu-py3.13-toolchain", "--format", "{{.Repository}}:{{.Tag}}"],
      { env, reject: false },
    );
    return list.stdout.split("\n").find((l) => l.trim() !== "");
  }
  const verifyIn = async (ref: string, shm: string[]) =>
    runProcess(
      "docker",
      ["run", "--rm", "-i", "--network", "none", ...shm, "--entrypoint", "python3", ref, "-", "--json"],
      {
        env,
        input: probeScriptSource("verify"),
        reject: false,
        timeoutMs: 300_000,
      },
    );

  it("catches Docker's 64 MiB /dev/shm in dataloader_workers, and passes with --shm-size 1g", async () => {
    const ref = await image();
    expect(ref, "the cpu-example image built above").toBeDefined();
    const small = await verifyIn(ref as string, []);
    const doc = JSON.parse(small.stdout.trim().split("\n").at(-1) ?? "{}") as {
      checks: Array<{ name: string; status: string; reason: string }>;
    };
    const loader = doc.checks.find((c) => c.name === "dataloader_workers");
    expect(loader?.status).toBe("fail");
    expect(loader?.reason).toMatch(/\/dev\/shm is 64 MiB; raise it with --shm-size/);
    expect(small.exitCode).toBe(1);
    const big = await verifyIn(ref as string, ["--shm-size", "1g"]);
    expect(big.exitCode, big.stdout).toBe(0);
  });
});

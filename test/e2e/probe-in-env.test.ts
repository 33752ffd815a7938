/**
 * Engine tier (TORCHSTACK_E2E=1): doctor, verify and diagnose run their probes
 * inside the example environment `cpu-example` (Debian python3-torch 1.13 CPU)
 * through runInEnvironment. Skips, saying why, when that environment is not up.
 */
import { describe, expect, it } from "vitest";
import { listEnvironments } from "../../src/engine/list-environments.js";
import { probeScriptSource } from "../../src/probe/locate-scripts.js";
import { runProcess } from "../../src/process/run-process.js";
import { runCliInMemory } from "../support/run-cli-in-memory.js";

const NAME = process.env.TORCHSTACK_PROBE_ENV ?? "cpu-example";
const env = { ...process.env };

async function environmentUp(): Promise<boolean> {
  const all = await listEnvironments(env);
  return all.some((e) => e.name === NAME && e.state === "running");
}

describe.skipIf(!process.env.TORCHSTACK_E2E)(`probes inside ${NAME}`, () => {
  it("doctor --in reads torch 1.13 CPU and a paired torchvision", async (ctx) => {
    if (!(await environmentUp())) ctx.skip(`environment ${NAME} is not running (torchstack up examples/cpu)`);
    const run = await runCliInMemory(["doctor", "--in", NAME, "--json"], { env });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as {
      python: { torch: { found: boolean; version: string; cuda: string | null }; torchvision: string | null };
      findings: Array<{ code: string }>;
    };
    expect(doc.python.torch).toMatchObject({ found: true, cuda: null });
    expect(doc.python.torch.version).toMatch(/^1\.13/);
    expect(doc.findings.map((f) => f.code)).not.toContain("E_TORCHVISION_MISMATCH");
  });

  it("verify --in passes the CPU checks and skips GPU checks with reasons", async (ctx) => {
    if (!(await environmentUp())) ctx.skip(`environment ${NAME} is not running`);
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
    expect(by.matmul_cuda).toMatchObject({ status: "skip", reason: expect.stringMatching(/CPU-only/) });
  });

  it("diagnose --in adds the environment's shm size to a DataLoader bus error", async (ctx) => {
    if (!(await environmentUp())) ctx.skip(`environment ${NAME} is not running`);
    const log = new URL("../fixtures/logs/dataloader-bus-error.log", import.meta.url).pathname;
    const run = await runCliInMemory(["diagnose", log, "--in", NAME, "--json"], { env });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { findings: Array<{ code: string; facts?: string[] }> };
    expect(doc.findings[0]?.code).toBe("E_DATALOADER_SHM");
    expect(doc.findings[0]?.facts?.[0]).toContain(`/dev/shm in environment ${NAME} is `);
  });
});

describe.skipIf(!process.env.TORCHSTACK_E2E)("verify probe in the CPU torch image (docker run)", () => {
  async function image(): Promise<string | undefined> {
    const list = await runProcess(
      "docker",
      ["images", "cpu-example", "--format", "{{.Repository}}:{{.Tag}}"],
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

  it("catches Docker's 64 MiB /dev/shm in dataloader_workers, and passes with --shm-size 1g", async (ctx) => {
    const ref = await image();
    if (!ref) ctx.skip("no cpu-example image built (torchstack build examples/cpu)");
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

// `up` of a CUDA lock on a host without an NVIDIA driver, as a user reads it on stderr: refused with
// E_HOST_UNFIT, every fix line printed once, the `--cpu-ok` way out exactly once and with the user's -f.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { HostFacts } from "../../../../src/host/host-facts.js";
import { writeLock } from "../../../../src/lock/lock-file.js";
import { lockSpec } from "../../../../src/workflows/lock-environment.js";
import { runCliInMemory } from "../../../support/run-cli-in-memory.js";

const gpuLaptop: HostFacts = {
  driver: "570.86.15",
  driverSource: "/sys/module/nvidia/version",
  gpus: [{ index: 0, name: "NVIDIA GeForce RTX 5090", computeCapability: "12.0", uuid: "GPU-a" }],
};
const made: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe("up on a host that cannot run the locked CUDA stack", () => {
  it("prints each fix once, the --cpu-ok one exactly once", async () => {
    const specFile = join(tempDir("torchstack-up-text-"), "torchstack.yaml");
    writeFileSync(specFile, "name: fit\ntorch: '2.11'\n");
    const locked = await lockSpec(specFile, { env: {}, host: gpuLaptop, hostPlatform: "x86_64" });
    writeLock(locked.lockPath, locked.lock);
    const env = {
      PATH: process.env.PATH,
      TORCHSTACK_NVIDIA_SMI: "/nonexistent",
      DOCKER_HOST: "unix:///nonexistent/docker.sock",
      TORCHSTACK_STATE_DIR: tempDir("torchstack-up-text-state-"),
    };
    const run = await runCliInMemory(["up", "-f", specFile], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error E_HOST_UNFIT:");
    const fixes = run.stderr.split("\n").filter((line) => line.startsWith("  fix: "));
    expect(fixes.length).toBeGreaterThan(1);
    expect(new Set(fixes).size).toBe(fixes.length);
    const cpuOk = fixes.filter((line) => line.includes("--cpu-ok"));
    expect(cpuOk).toEqual([expect.stringContaining(`torchstack up -f ${specFile} --cpu-ok`)]);
  });
});

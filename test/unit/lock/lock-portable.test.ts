// The lock is the contract: a lock written on one host checks and renders unchanged on
// another (a different GPU, no GPU, another driver), because `lock --check` re-resolves for
// the targets the lock records and never reads the host. It goes stale only when the spec
// or a catalog fact it rests on changes. How a host fits the lock is a finding instead.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinCatalog, type Catalog } from "../../../src/catalog/catalog.js";
import { TorchstackError } from "../../../src/errors/torchstack-error.js";
import type { HostFacts } from "../../../src/host/host-facts.js";
import { hostFit } from "../../../src/lock/host-fit.js";
import { readLock, writeLock } from "../../../src/lock/lock-file.js";
import { checkSpecLock, lockForRender, lockSpec } from "../../../src/workflows/lock-environment.js";
import { runCliInMemory } from "../../support/run-cli-in-memory.js";

const FAKE_SMI = join(import.meta.dirname, "../../fixtures/nvidia-smi/fake-nvidia-smi.cjs");

const laptop: HostFacts = {
  driver: "570.86.15",
  driverSource: "/sys/module/nvidia/version",
  gpus: [{ index: 0, name: "NVIDIA GeForce RTX 5090", computeCapability: "12.0", uuid: "GPU-a" }],
};
const server: HostFacts = {
  driver: "535.104.05",
  driverSource: "nvidia-smi",
  gpus: [{ index: 0, name: "NVIDIA H100 80GB HBM3", computeCapability: "9.0", uuid: "GPU-b" }],
};
const ciRunner: HostFacts = { driver: null, driverSource: "none", gpus: [] };

function project(spec: string): string {
  const dir = mkdtempSync(join(tmpdir(), "torchstack-lock-portable-"));
  writeFileSync(join(dir, "torchstack.yaml"), spec);
  return join(dir, "torchstack.yaml");
}

async function lockOn(specFile: string, host: HostFacts, catalog: Catalog = builtinCatalog) {
  const locked = await lockSpec(specFile, { env: {}, host, hostPlatform: "x86_64", catalog });
  writeLock(locked.lockPath, locked.lock);
  return locked;
}

function staleness(run: () => Promise<unknown>): Promise<string[]> {
  return run().then(
    () => [],
    (error: unknown) => {
      if (!(error instanceof TorchstackError) || error.code !== "E_LOCK_STALE") throw error;
      return (error.details?.differences ?? []) as string[];
    },
  );
}

describe("a lock written on one host", () => {
  it("records the host it was resolved for, and checks unchanged anywhere", async () => {
    const specFile = project("name: portable\ntorch: '2.11'\n");
    const locked = await lockOn(specFile, laptop);
    expect(locked.lock.resolvedFor).toMatchObject({ source: "host", driver: "570.86.15" });
    expect(locked.lock.resolvedFor?.gpus.map((g) => g.computeCapability)).toEqual(["12.0"]);
    // Nothing of the host is passed to the check: it cannot differ by host.
    expect(await staleness(() => checkSpecLock(specFile, { env: {} }))).toEqual([]);
  });

  it("never reads the host on `lock --check` (nvidia-smi is not even run), but does on `lock`", async () => {
    const specFile = project("name: portable\ntorch: '2.11'\n");
    await lockOn(specFile, laptop);
    const log = join(mkdtempSync(join(tmpdir(), "torchstack-smi-log-")), "calls.jsonl");
    const env = { TORCHSTACK_NVIDIA_SMI: FAKE_SMI, FAKE_NVIDIA_SMI_LOG: log, PATH: process.env.PATH };
    const check = await runCliInMemory(["lock", "--check", "--json", "-f", specFile], { env });
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({
      ok: true,
      upToDate: true,
      resolvedFor: { source: "host" },
    });
    expect(existsSync(log)).toBe(false);
    const before = readFileSync(specFile.replace(/yaml$/, "lock"), "utf8");
    const render = await runCliInMemory(
      ["render", "-o", join(specFile, "..", "ctx"), "--json", "-f", specFile],
      {
        env,
      },
    );
    expect(render.code, render.stderr).toBe(0);
    expect(JSON.parse(render.stdout)).toMatchObject({ from: "lock" });
    expect(render.stderr).toMatch(/as written/);
    expect(readFileSync(specFile.replace(/yaml$/, "lock"), "utf8")).toBe(before);
    expect(existsSync(log)).toBe(false);
    const relock = await runCliInMemory(["lock", "--offline", "-f", specFile], { env });
    expect(relock.code, relock.stderr).toBe(0);
    expect(relock.stdout).toMatch(/resolved for this host/);
    expect(existsSync(log)).toBe(true);
  });

  it("is rendered as written, with a warning when the spec changed since", async () => {
    const specFile = project("name: portable\ntorch: '2.11'\n");
    const locked = await lockOn(specFile, laptop);
    const chosen = await lockForRender(specFile, { env: {}, requireLock: false });
    expect(chosen).toMatchObject({ from: "lock", warnings: [] });
    expect(chosen.lock).toEqual(locked.lock);
    writeFileSync(specFile, "name: portable\ntorch: '2.10'\n");
    expect((await lockForRender(specFile, { env: {}, requireLock: false })).warnings[0]).toMatch(
      /changed since/,
    );
  });

  it("goes stale when the spec changes, listing each difference", async () => {
    const specFile = project("name: portable\ntorch: '2.11'\n");
    await lockOn(specFile, laptop);
    writeFileSync(specFile, "name: portable\ntorch: '2.10'\n");
    const differences = await staleness(() => checkSpecLock(specFile, { env: {} }));
    expect(differences[0]).toBe("the spec changed since the lock was written");
    expect(differences).toContain('stack.torch: "2.11.0" → "2.10.0"');
  });

  it("goes stale when a catalog fact it rests on changes (here the cuDNN pin of its variant)", async () => {
    const specFile = project("name: portable\ntorch: '2.11'\n");
    const locked = await lockOn(specFile, laptop);
    const wheel = locked.stack.wheel;
    const changed: Catalog = {
      ...builtinCatalog,
      torchReleases: builtinCatalog.torchReleases.map((r) =>
        r.version !== locked.stack.torch
          ? r
          : { ...r, variants: r.variants.map((v) => (v.wheel === wheel ? { ...v, cudnn: "9.99.0.1" } : v)) },
      ),
    };
    const differences = await staleness(() => checkSpecLock(specFile, { env: {}, catalog: changed }));
    expect(differences).toEqual([`stack.cudnn: "${locked.stack.cudnn}" → "9.99.0.1"`]);
  });

  it("written before targets were recorded (no resolvedFor, no platform), still checks", async () => {
    const specFile = project("name: old\ntorch: '2.11'\ncuda: cpu\n");
    const locked = await lockOn(specFile, ciRunner);
    const { resolvedFor: _r, platform: _p, ...old } = locked.lock;
    writeLock(locked.lockPath, old);
    expect(await staleness(() => checkSpecLock(specFile, { env: {} }))).toEqual([]);
  });

  it("with targets, resolves for them and records so; the host is not consulted", async () => {
    const specFile = project('name: team\ntargets:\n  gpus: [H100, "RTX 5090"]\n  driver: "570.86"\n');
    const onLaptop = await lockOn(specFile, laptop);
    const onCi = await lockSpec(specFile, { env: {}, host: ciRunner, hostPlatform: "x86_64" });
    expect(onCi.lock).toEqual(onLaptop.lock);
    expect(onLaptop.lock.resolvedFor).toMatchObject({ source: "targets", driver: "570.86" });
    expect(await staleness(() => checkSpecLock(specFile, { env: {} }))).toEqual([]);
    expect(readLock(onLaptop.lockPath).stack.archList).toEqual(expect.arrayContaining(["sm_90", "sm_120"]));
  });
});

describe("host fit instead of staleness", () => {
  it("finds nothing wrong on a host that fits", async () => {
    const { lock } = await lockOn(project("name: fit\ntorch: '2.11'\n"), laptop);
    expect(hostFit(lock, { host: laptop, platform: "x86_64", gpuRuntime: true })).toEqual([]);
  });

  it("names an old driver, a GPU the arch list cannot run, no driver, no GPU runtime and another platform", async () => {
    const { lock } = await lockOn(project("name: fit\ntorch: '2.11'\ncuda: '13.0'\n"), {
      ...laptop,
      driver: "580.65.06",
    });
    const codes = (host: HostFacts, extra: { gpuRuntime?: boolean; platform?: "aarch64" } = {}) =>
      hostFit(lock, { host, platform: extra.platform ?? "x86_64", ...extra }).map((f) => f.code);
    expect(codes(server)).toEqual(["E_HOST_DRIVER_OLD"]);
    const k80: HostFacts = {
      driver: "580.65.06",
      driverSource: "nvidia-smi",
      gpus: [{ index: 0, name: "Tesla K80", computeCapability: "3.7", uuid: null }],
    };
    expect(codes(k80)).toEqual(["E_HOST_GPU_UNSUPPORTED"]);
    expect(codes(ciRunner)).toEqual(["E_HOST_NO_GPU"]);
    expect(codes({ ...laptop, driver: "580.65.06" }, { gpuRuntime: false })).toEqual([
      "E_HOST_NO_GPU_RUNTIME",
    ]);
    expect(codes({ ...laptop, driver: "580.65.06" }, { platform: "aarch64" })).toEqual([
      "E_HOST_PLATFORM_MISMATCH",
    ]);
    const [old] = hostFit(lock, { host: server, platform: "x86_64" });
    expect(old?.fix[0]).toBe("upgrade the NVIDIA driver to ≥ 580");
  });

  it("doctor reports how this (GPU-less) host fits the lock beside the spec", async () => {
    const specFile = project("name: fit\ntorch: '2.11'\n");
    await lockOn(specFile, laptop);
    const state = mkdtempSync(join(tmpdir(), "torchstack-doctor-state-"));
    const env = { ...process.env, TORCHSTACK_STATE_DIR: state, TORCHSTACK_NVIDIA_SMI: "/nonexistent" };
    const run = await runCliInMemory(["doctor", "--json", "-f", specFile], { env });
    const doc = JSON.parse(run.stdout) as {
      ok: boolean;
      findings: { code: string; severity: string; message: string; fix: string[] }[];
    };
    const fit = doc.findings.find((f) => f.code === "E_HOST_NO_GPU");
    // an error-level finding fails doctor, so `torchstack doctor && torchstack up` stops there
    expect(fit?.severity).toBe("error");
    expect(run.code).toBe(1);
    expect(doc.ok).toBe(false);
    expect(fit?.message).toMatch(
      /torchstack\.lock: the locked stack is torch 2\.11\.0 cu12\d .*no NVIDIA driver/,
    );
    expect(fit?.fix.join("\n")).toMatch(/--cpu-ok/);
  });

  it("up refuses a CUDA lock on a host without a driver (E_HOST_UNFIT), unless --cpu-ok", async () => {
    const specFile = project("name: fit\ntorch: '2.11'\n");
    await lockOn(specFile, laptop);
    const env = {
      PATH: process.env.PATH,
      TORCHSTACK_NVIDIA_SMI: "/nonexistent",
      DOCKER_HOST: "unix:///nonexistent/docker.sock",
      TORCHSTACK_STATE_DIR: mkdtempSync(join(tmpdir(), "torchstack-up-state-")),
    };
    const refused = await runCliInMemory(["up", "--json", "-f", specFile], { env });
    expect(refused.code).toBe(1);
    const error = (
      JSON.parse(refused.stdout) as { error: { code: string; message: string; remedies: string[] } }
    ).error;
    expect(error.code).toBe("E_HOST_UNFIT");
    expect(error.message).toMatch(/no NVIDIA driver/);
    expect(error.remedies.join("\n")).toMatch(/--cpu-ok/);
    // each fix once, and the fix keeps the user's -f
    expect(error.remedies.filter((r) => r.includes("--cpu-ok"))).toHaveLength(1);
    expect(error.remedies.join("\n")).toContain(`torchstack up -f ${specFile} --cpu-ok`);
    const cpuOk = await runCliInMemory(["up", "--json", "--cpu-ok", "-f", specFile], { env });
    expect((JSON.parse(cpuOk.stdout) as { error: { code: string } }).error.code).not.toBe("E_HOST_UNFIT");
    expect(cpuOk.stderr).toMatch(/E_HOST_NO_GPU/);
  });
});

/**
 * Engine tier (TORCHSTACK_E2E=1): a real CUDA wheel image, from PyPI, on the local
 * Debian 13 base. The torch release is the newest whose PyPI build the catalog
 * confirms (TORCHSTACK_E2E_CUDA_TORCH picks another: 2.7.1 and 2.9.1 are the seed
 * articles' images). `lock` records every wheel by sha256, `build` installs exactly
 * those and passes the self-check, `up --cpu-ok` serves Jupyter with its token, and
 * `verify --in` passes its non-GPU checks (torch.compile on CPU: toolchain flavor).
 * Every image it built is removed afterwards (by its spec-name label); BuildKit's
 * cache stays (the torch layer, which is that layer's wheel cache, and the apps'
 * wheel cache mount). About 3 GB of wheels and 7 GB of image: minutes.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cudaOfWheel } from "../../src/catalog/torch-release-types.js";
import { TORCH_RELEASES } from "../../src/catalog/torch-releases.js";
import { ensureBundle, removeImagesOf, torchstack } from "./cli-process.js";

const NAME = "cuda-wheels-e2e";
const root = mkdtempSync(join(tmpdir(), "torchstack-cuda-e2e-"));
const env = { ...process.env, TORCHSTACK_STATE_DIR: join(root, "state") };

/** Newest release with a confirmed PyPI CUDA build for CPython 3.13 (Debian 13's). */
function pypiRelease() {
  const asked = process.env.TORCHSTACK_E2E_CUDA_TORCH;
  const confirmed = TORCH_RELEASES.filter(
    (r) => !r.unconfirmed && r.python.includes("3.13") && r.pypiDefault,
  );
  const release = asked ? TORCH_RELEASES.find((r) => r.version === asked) : confirmed.at(-1);
  if (!release) throw new Error(`no catalog release ${asked ?? "with a confirmed PyPI build"}`);
  return { torch: release.version, cuda: cudaOfWheel(release.pypiDefault) ?? "" };
}

describe.skipIf(!process.env.TORCHSTACK_E2E)("a CUDA wheel image from PyPI", () => {
  const { torch, cuda } = pypiRelease();
  const spec = join(root, "spec", "torchstack.yaml");
  const workspace = join(root, "workspace");
  let up: { urls: Record<string, string> };

  beforeAll(async () => {
    ensureBundle();
    mkdirSync(join(root, "spec"));
    mkdirSync(workspace);
    writeFileSync(
      spec,
      [
        `name: ${NAME}`,
        "base: image:torchstack-local/debian:13",
        `torch: "${torch}"`,
        `cuda: "${cuda}"`,
        'python: "3.13"',
        "flavor: toolchain",
        "torchaudio: false",
        "apps:\n  jupyter: true\n  ssh: true",
        "run:\n  gpus: none\n  network: host",
        "",
      ].join("\n"),
    );
  }, 60_000);

  afterAll(async () => {
    await torchstack(["down", NAME], env);
    removeImagesOf(NAME);
    rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it("locks every wheel by sha256, torch and its CUDA libraries from PyPI", async () => {
    const run = await torchstack(["lock", "-f", spec, "--no-host", "--offline", "--json"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).wheels).toEqual({ hashed: false, count: 0 });
    const locked = await torchstack(["lock", "-f", spec, "--no-host", "--json"], env);
    expect(locked.code, locked.stderr).toBe(0);
    const lock = JSON.parse(readFileSync(spec.replace(/yaml$/, "lock"), "utf8")) as {
      wheels: {
        torchIndex: string | null;
        wheels: { name: string; index: string; sha256: string; layer: string }[];
      };
    };
    const names = lock.wheels.wheels.map((w) => w.name);
    expect(lock.wheels.torchIndex).toBeNull();
    expect(names).toEqual(expect.arrayContaining(["torch", "triton", "jupyterlab"]));
    expect(names.some((n) => /^nvidia-cudnn-cu1\d$/.test(n))).toBe(true);
    for (const wheel of lock.wheels.wheels) expect(wheel.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(lock.wheels.wheels.find((w) => w.name === "torch")?.layer).toBe("torch");
  }, 600_000);

  it("builds it with the self-check passing, and up --cpu-ok serves Jupyter with its token", async () => {
    const build = await torchstack(["build", "-f", spec, "--network", "host", "--json"], env);
    expect(build.code, build.stderr.slice(-3000)).toBe(0);
    // The self-check ran as a build step (printed when not cached); verify --in runs it again below.
    const started = await torchstack(
      ["up", NAME, "-f", spec, "--network", "host", "--cpu-ok", "--workspace", workspace, "--json"],
      env,
    );
    expect(started.code, started.stderr).toBe(0);
    up = JSON.parse(started.stdout);
    const url = new URL(up.urls.jupyter ?? "");
    const status = new URL("/api/status", url.origin);
    const token = url.searchParams.get("token") ?? "";
    expect((await fetch(status, { headers: { Authorization: `token ${token}` } })).status).toBe(200);
  }, 1_800_000);

  it("verify --in passes the locked-build self-check and torch.compile on CPU; GPU checks skip", async () => {
    const run = await torchstack(["verify", "--in", NAME, "--json"], env);
    const doc = JSON.parse(run.stdout) as { ok: boolean; checks: { name: string; status: string }[] };
    const by = Object.fromEntries(doc.checks.map((c) => [c.name, c]));
    expect(by.locked_build, run.stdout).toMatchObject({ status: "pass" });
    expect(by.torch_compile, run.stdout).toMatchObject({ status: "pass" });
    expect(by.matmul_cuda?.status).toBe("skip");
    expect(doc.ok, run.stdout).toBe(true);
  }, 600_000);
});

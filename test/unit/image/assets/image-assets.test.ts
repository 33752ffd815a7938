import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type ImageAsset,
  type ImageAssetsInput,
  renderImageAssets,
} from "../../../../src/image/assets/image-assets.js";
import type { ResolvedStack } from "../../../../src/resolve/stack.js";
import { CU128_STACK } from "../../../fixtures/specs/stacks.js";

const cudaStack: ResolvedStack = CU128_STACK;
const cpuStack: ResolvedStack = {
  ...cudaStack,
  wheel: "cpu",
  cuda: null,
  cudnn: null,
  nccl: null,
  minDriver: null,
};

const input = (over: Partial<ImageAssetsInput> = {}): ImageAssetsInput => ({
  stack: cudaStack,
  apps: { jupyter: { port: 8888 }, ssh: { port: 2222 } },
  user: { name: "dev", uid: 1000, gid: 1000 },
  jupyterUi: "lab",
  ...over,
});

function asset(assets: ImageAsset[], path: string): ImageAsset {
  const found = assets.find((a) => a.path === path);
  if (!found) throw new Error(`no asset ${path}`);
  return found;
}

/** The line a test copy of the entrypoint and exec wrapper rewrites: the image's files are read under it. */
const TEST_ROOT_LINE = "TS_TEST_ROOT=''";

/**
 * Writes the rendered rootfs into a temp dir, the scripts as test copies that find image.env,
 * home-setup.sh and the apps list there (no environment variable can point a real image's scripts elsewhere).
 */
function writeRootfs(assets: ImageAsset[]): string {
  const dir = mkdtempSync(join(tmpdir(), "ts-entry-"));
  chmodSync(dir, 0o755); // readable by the arbitrary UID the home set-up test runs as
  for (const a of assets) {
    mkdirSync(dirname(join(dir, a.path)), { recursive: true });
    const content = a.content.replace(TEST_ROOT_LINE, `TS_TEST_ROOT='${dir}'`);
    writeFileSync(join(dir, a.path), content, { mode: a.mode });
  }
  return dir;
}

/** Where the test copy reads the driver version (the image reads /proc/driver/nvidia/version). */
function writeDriverVersion(dir: string, text: string): void {
  mkdirSync(join(dir, "proc/driver/nvidia"), { recursive: true });
  writeFileSync(join(dir, "proc/driver/nvidia/version"), text);
}

/** Runs the rendered entrypoint's banner and checks for real (dash), in a temp dir. */
function runChecks(stack: ResolvedStack, env: Record<string, string>, driverVersion?: string) {
  const dir = writeRootfs(renderImageAssets(input({ stack })));
  if (driverVersion) writeDriverVersion(dir, driverVersion);
  const result = spawnSync("sh", [join(dir, "usr/local/bin/torchstack-entrypoint")], {
    env: {
      PATH: "/usr/bin:/bin",
      TORCHSTACK_ENTRYPOINT_CHECKS_ONLY: "1",
      ...env,
    },
    encoding: "utf8",
  });
  return { ...result, dir };
}

describe("renderImageAssets", () => {
  it("renders the entrypoint, exec wrapper, home set-up, healthcheck, image facts, apps list and sshd config", () => {
    const assets = renderImageAssets(input());
    expect(assets.map((a) => a.path)).toEqual([
      "usr/local/bin/torchstack-entrypoint",
      "usr/local/bin/torchstack-exec",
      "usr/local/lib/torchstack/home-setup.sh",
      "usr/local/bin/torchstack-healthcheck",
      "etc/torchstack/image.env",
      "etc/torchstack/apps",
      "etc/ssh/sshd_config.d/torchstack.conf",
    ]);
    expect(asset(assets, "etc/torchstack/image.env").content).toContain("TS_TORCH='2.7.1'\nTS_PYTHON='3.12'");
    expect(asset(assets, "usr/local/bin/torchstack-entrypoint").mode).toBe(0o755);
    expect(asset(assets, "etc/torchstack/apps").content).toContain("ssh 2222\njupyter 8888 lab\n");
    const sshd = asset(assets, "etc/ssh/sshd_config.d/torchstack.conf").content;
    expect(sshd).toContain("PermitRootLogin no");
    expect(sshd).toContain("PasswordAuthentication no");
    expect(sshd).toContain("AllowUsers dev");
  });

  it("leaves out the sshd config when ssh is off", () => {
    const assets = renderImageAssets(input({ apps: { jupyter: { port: 8888 } } }));
    expect(assets.map((a) => a.path)).not.toContain("etc/ssh/sshd_config.d/torchstack.conf");
    expect(asset(assets, "etc/torchstack/apps").content).not.toContain("ssh");
  });

  it("adds the TCPStore libuv fallback and its .pth only where torch needs it", () => {
    const site = "/usr/local/lib/python3.13/dist-packages";
    const paths = renderImageAssets(input({ libuvFallbackSite: site })).map((a) => a.path);
    expect(paths).toContain("usr/local/lib/python3.13/dist-packages/torchstack_tcpstore_libuv_fallback.py");
    expect(paths).toContain("usr/local/lib/python3.13/dist-packages/torchstack-tcpstore-libuv-fallback.pth");
    expect(renderImageAssets(input()).some((a) => a.path.includes("tcpstore"))).toBe(false);
  });

  it("quotes image facts for sh, whatever they hold", () => {
    const assets = renderImageAssets(input({ user: { name: "o'neil", uid: 1000, gid: 1000 } }));
    const dir = writeRootfs(assets);
    const result = spawnSync(
      "sh",
      ["-c", '. "$1"; printf %s "$TS_USER"', "sh", join(dir, "etc/torchstack/image.env")],
      {
        encoding: "utf8",
      },
    );
    expect(result.stdout).toBe("o'neil");
  });

  it("never disables Jupyter auth and never chowns /workspace", () => {
    const entry = asset(renderImageAssets(input()), "usr/local/bin/torchstack-entrypoint").content;
    expect(entry).toContain("not starting Jupyter: JUPYTER_TOKEN is empty");
    expect(entry).not.toMatch(/token=''|token=""|chown[^\n]*\/workspace/);
  });
});

describe("entrypoint checks, run for real", () => {
  it("warns when no NVIDIA driver is found and /dev/shm is Docker's 64 MB", () => {
    const result = runChecks(cudaStack, { TORCHSTACK_SHM_KB: "65536" });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("torchstack: torch 2.7.1, python 3.12, CUDA 12.8");
    expect(result.stderr).toContain("WARNING: NVIDIA driver not detected");
    expect(result.stderr).toContain("/dev/shm is 64 MB");
  });

  it("reports a driver older than the wheel needs, as one JSON line", () => {
    const result = runChecks(
      cudaStack,
      { TORCHSTACK_SHM_KB: "8388608", TORCHSTACK_BANNER: "json" },
      "NVRM version: NVIDIA UNIX x86_64 Kernel Module  470.82.01  Wed Oct 27 2021\n",
    );
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    const banner = JSON.parse(lines[0] ?? "");
    expect(banner).toMatchObject({
      torch: "2.7.1",
      cuda: "12.8",
      driver: "470.82.01",
      shmMb: 8388608 / 1024,
    });
    expect(banner.checks).toEqual([expect.objectContaining({ level: "error", id: "driver-too-old" })]);
    expect(banner.checks[0].message).toContain("525.60.13");
  });

  it("accepts a new enough driver and a big /dev/shm, and skips GPU checks for CPU stacks", () => {
    const ok = runChecks(
      cudaStack,
      { TORCHSTACK_SHM_KB: "8388608" },
      "NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.124.06  Thu Feb 27 2025\n",
    );
    expect(ok.stderr).not.toMatch(/WARNING|ERROR/);
    expect(ok.stderr).toContain("driver 570.124.06");
    const cpu = runChecks(cpuStack, { TORCHSTACK_SHM_KB: "8388608" });
    expect(cpu.stderr).toContain("CPU build");
    expect(cpu.stderr).not.toContain("NVIDIA");
  });

  // setpriv can change the user only as root (CI runs the engine tier as root; elsewhere this is skipped)
  it.skipIf(process.getuid?.() !== 0)(
    "gives an arbitrary UID with group 0 a writable home and caches (the exec wrapper's home set-up)",
    () => {
      const dir = writeRootfs(renderImageAssets(input()));
      const script =
        'touch "$XDG_CACHE_HOME/probe" && printf "%s %s %s" "$(id -u):$(id -g)" "$HOME" "$TORCH_HOME"';
      const result = spawnSync(
        "setpriv",
        [
          "--reuid=12345",
          "--regid=0",
          "--clear-groups",
          "sh",
          join(dir, "usr/local/bin/torchstack-exec"),
          "sh",
          "-c",
          script,
        ],
        { env: { PATH: "/usr/bin:/bin", HOME: "/" }, encoding: "utf8" },
      );
      expect(result.stderr).toBe("");
      expect(result.stdout).toBe(
        "12345:0 /tmp/torchstack-home-12345 /tmp/torchstack-home-12345/.cache/torch",
      );
    },
  );

  it("prints nothing when the banner is off", () => {
    const result = runChecks(cudaStack, { TORCHSTACK_BANNER: "off" });
    expect(result.stderr).toBe("");
  });
});

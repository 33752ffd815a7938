/**
 * Fault drills (TORCHSTACK_E2E=1): the engine dies in the middle of `build`
 * and of `up`, DOCKER_HOST points at nothing, the state folder sits on a full
 * file system. Each ends with a clear error code (never E_INTERNAL), leaves
 * no orphan container, temporary tag, half-written lock or record, and the
 * next run works.
 *
 * The engine that gets stopped is a private dockerd started here with the
 * flags scripts/engine-setup.sh uses (--bridge=none --iptables=false) on its
 * own socket, data and exec root: the shared engine other tests use keeps
 * running. It is restarted exactly that way after each stop (in a finally,
 * so a failed assertion cannot leave it down) and removed at the end.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentOwner } from "../../src/environments/ownership.js";
import { docker, ensureBundle, ROOT, torchstack } from "./cli-process.js";

const enabled = process.env.TORCHSTACK_E2E === "1";
// The smaller Debian 12 example: the drills test the engine dying, not the image, and the private engine builds it from scratch.
const BASE = "torchstack-local/debian:12";

/** A dockerd of our own, started and stopped like scripts/engine-setup.sh starts the shared one. */
class PrivateEngine {
  readonly socket: string;
  private child: ChildProcess | undefined;
  constructor(readonly dir: string) {
    this.socket = join(dir, "docker.sock");
  }
  get host(): string {
    return `unix://${this.socket}`;
  }
  async start(): Promise<void> {
    // after a hard stop the pid files are stale (a host's /run is empty after a reboot)
    for (const pid of ["dockerd.pid", join("exec", "containerd", "containerd.pid")])
      rmSync(join(this.dir, pid), { force: true });
    const log = openSync(join(this.dir, "dockerd.log"), "a");
    this.child = spawn(
      "dockerd",
      [
        "--bridge=none",
        "--iptables=false",
        `--host=${this.host}`,
        `--data-root=${join(this.dir, "data")}`,
        `--exec-root=${join(this.dir, "exec")}`,
        `--pidfile=${join(this.dir, "dockerd.pid")}`,
      ],
      { stdio: ["ignore", log, log], detached: true },
    );
    for (let i = 0; i < 120; i += 1) {
      if (this.docker("info", "--format", "{{.ServerVersion}}").status === 0) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`private dockerd did not answer (see ${join(this.dir, "dockerd.log")})`);
  }
  /**
   * The engine is stopped as `systemctl stop docker` or a shutdown stops it: SIGTERM (dockerd cancels builds
   * and stops containers), SIGKILL after 30 s; then everything it started is swept.
   */
  async kill(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    }
    this.child = undefined;
    // its containerd and shims: the processes whose command line names this engine's folder
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        const mine = readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(this.dir) || this.ranInside(pid);
        if (mine) process.kill(Number(pid), "SIGKILL");
      } catch {
        // gone already
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  /** A build step or container of this engine: its own mount namespace, whose "/" lies in this engine's data root. */
  private ranInside(pid: string): boolean {
    if (readlinkSync(`/proc/${pid}/ns/mnt`) === readlinkSync("/proc/self/ns/mnt")) return false;
    return readFileSync(`/proc/${pid}/mountinfo`, "utf8")
      .split("\n")
      .some((line) => line.split(" ")[4] === "/" && line.includes(this.dir));
  }
  async stop(): Promise<void> {
    await this.kill();
    const mounts = readFileSync("/proc/mounts", "utf8")
      .split("\n")
      .map((line) => line.split(" ")[1] ?? "")
      .filter((m) => m.startsWith(this.dir))
      .reverse();
    for (const mount of mounts) spawnSync("umount", ["-l", mount]);
    rmSync(this.dir, { recursive: true, force: true });
  }
  docker(...args: string[]) {
    const r = spawnSync("/usr/bin/docker", ["-H", this.host, ...args], { encoding: "utf8" });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }
}

async function afterDelay<T>(ms: number, run: () => Promise<T>): Promise<T> {
  await new Promise((r) => setTimeout(r, ms));
  return run();
}

/** Runs `run` as soon as `ready` holds (checked every 100 ms, for at most `ms`). */
async function once<T>(ready: () => boolean, run: () => Promise<T>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  while (!ready() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  return run();
}

function codeOf(json: unknown): string | undefined {
  return (json as { error?: { code?: string } } | null)?.error?.code;
}

describe.skipIf(!enabled)("fault drills", () => {
  const root = mkdtempSync(join(tmpdir(), "torchstack-drill-"));
  const engine = new PrivateEngine(join(root, "engine"));
  const state = join(root, "state");
  const env = () => ({
    ...process.env,
    TORCHSTACK_STATE_DIR: state,
    HOME: join(root, "home"),
    DOCKER_HOST: engine.host,
  });
  const specDir = join(root, "spec");
  const name = `drill-${process.pid}`;
  const ownerFilter = () => `label=dev.torchstack.owner=${currentOwner({ TORCHSTACK_STATE_DIR: state }).id}`;

  beforeAll(async () => {
    ensureBundle();
    mkdirSync(engine.dir, { recursive: true });
    mkdirSync(join(root, "home"), { recursive: true });
    mkdirSync(specDir);
    const yaml = readFileSync(join(ROOT, "examples", "debian-12", "torchstack.yaml"), "utf8");
    // this engine has no bridge network, as the shared one: the environment joins the host's
    const spec = yaml.replace(/^name: .*$/m, `name: ${name}`).replace(/^run:$/m, "run:\n  network: host");
    writeFileSync(join(specDir, "torchstack.yaml"), spec);
    await engine.start();
    // the base image from the shared engine, so the private one builds offline like the shared one
    execFileSync("sh", ["-c", `docker save ${BASE} | docker -H ${engine.host} load -q`], { stdio: "ignore" });
  }, 300_000);

  afterAll(async () => {
    await engine.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("dockerd dies during build: a clear error, no temporary tag, no half lock; the next build works", async () => {
    const spec = join(specDir, "torchstack.yaml");
    try {
      const [run] = await Promise.all([
        torchstack(["build", "-f", spec, "--network", "host", "--json"], env()),
        afterDelay(8000, () => engine.kill()),
      ]);
      expect(run.code).toBe(1);
      expect(["E_BUILD_FAILED", "E_ENGINE_UNREACHABLE", "E_NO_ENGINE"]).toContain(codeOf(run.json));
      expect(run.stderr).not.toContain("E_INTERNAL");
      const lock = join(specDir, "torchstack.lock");
      if (existsSync(lock)) expect(() => JSON.parse(readFileSync(lock, "utf8"))).not.toThrow();
      expect(readdirSync(specDir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    } finally {
      await engine.start();
    }
    expect(engine.docker("image", "ls", "-q", "--filter", `reference=${name}:building-*`).stdout.trim()).toBe(
      "",
    );
    const again = await torchstack(["build", "-f", spec, "--network", "host", "--json"], env());
    expect(again.code, again.stderr).toBe(0);
  }, 900_000);

  it("dockerd dies during up: a clear error, no record; after the restart up works and down leaves nothing", async () => {
    const spec = join(specDir, "torchstack.yaml");
    try {
      const [run] = await Promise.all([
        torchstack(["up", "-f", spec, "--json"], env()),
        // killed once up has created the container, while it waits for the apps to answer
        once(
          () => engine.docker("ps", "-aq", "--filter", ownerFilter()).stdout.trim() !== "",
          () => engine.kill(),
        ),
      ]);
      expect(run.code).toBe(1);
      expect(codeOf(run.json)).toMatch(/^E_(ENGINE_UNREACHABLE|NO_ENGINE|NOT_READY|ENGINE_API)$/);
      expect(run.stderr).not.toContain("E_INTERNAL");
      expect(existsSync(join(state, "envs", `${name}.json`))).toBe(false);
    } finally {
      await engine.start();
    }
    const up = await torchstack(["up", "-f", spec, "--json"], env());
    expect(up.code, up.stderr).toBe(0);
    const down = await torchstack(["down", name, "--json"], env());
    expect(down.code, down.stderr).toBe(0);
    expect(engine.docker("ps", "-aq", "--filter", ownerFilter()).stdout.trim()).toBe("");
  }, 600_000);

  it("DOCKER_HOST pointing at nothing: E_NO_ENGINE with the fix, for ps, build and up", async () => {
    const nothing = { ...env(), DOCKER_HOST: `unix://${join(root, "nothing.sock")}` };
    const spec = join(specDir, "torchstack.yaml");
    for (const args of [["ps"], ["build", "-f", spec], ["up", "-f", spec]]) {
      const run = await torchstack([...args, "--json"], nothing);
      expect(run.code, run.stderr).toBe(1);
      expect(codeOf(run.json)).toBe("E_NO_ENGINE");
      expect(run.stderr).toContain("fix:");
    }
  });

  it("a full state folder and spec folder: E_WRITE_FAILED, the old lock intact, no temp file", async () => {
    const full = join(root, "full");
    mkdirSync(full);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", full]);
    try {
      const spec = join(full, "torchstack.yaml");
      writeFileSync(spec, readFileSync(join(specDir, "torchstack.yaml")));
      const first = await torchstack(["lock", "-f", spec, "--no-host", "--offline", "--json"], env());
      expect(first.code, first.stderr).toBe(0);
      const lockBefore = readFileSync(join(full, "torchstack.lock"), "utf8");
      // fill the file system to the last block
      spawnSync("dd", ["if=/dev/zero", `of=${join(full, "filler")}`, "bs=4k"], { stdio: "ignore" });
      writeFileSync(
        spec,
        `${readFileSync(spec, "utf8")}\ndescription: changed so the lock must be rewritten\n`,
      );
      const second = await torchstack(["lock", "-f", spec, "--no-host", "--offline", "--json"], env());
      expect(second.code).toBe(1);
      expect(codeOf(second.json)).toBe("E_WRITE_FAILED");
      expect(second.stderr).toContain("the disk is full");
      expect(readFileSync(join(full, "torchstack.lock"), "utf8")).toBe(lockBefore);
      expect(readdirSync(full).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    } finally {
      spawnSync("umount", [full]);
    }
  });

  it("the state folder on a full file system: doctor answers and warns, no half-written result or temp file", async () => {
    const full = join(root, "full-state");
    mkdirSync(full);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", full]);
    try {
      spawnSync("dd", ["if=/dev/zero", `of=${join(full, "filler")}`, "bs=4k"], { stdio: "ignore" });
      // the saved copy is for the dashboard: doctor's own answer does not depend on it
      const run = await torchstack(["doctor", "--json"], { ...env(), TORCHSTACK_STATE_DIR: full });
      expect(run.code).toBe(0);
      expect(Object.keys(run.json as object)).toEqual(["ok", "host", "python", "findings"]);
      expect(run.stderr).toContain("the result was not saved for the dashboard");
      expect(run.stderr).toContain("the disk is full (ENOSPC)");
      expect(readdirSync(join(full, "doctor"))).toEqual([]);
    } finally {
      spawnSync("umount", [full]);
    }
  });

  it("the shared engine was never touched", () => {
    expect(docker("info", "--format", "{{.ServerVersion}}").status).toBe(0);
  });
});

/**
 * Engine tier (TORCHSTACK_E2E=1): the exported files started by the real clients.
 * A copy of examples/cpu (Debian 13, built from cache when the engine tests ran
 * first) on its own ports; `export compose` is checked by Debian's docker-compose
 * (config, up -d, Jupyter 200 with the token and 403 without, down keeps the
 * workspace) and `export devcontainer` by the Dev Containers CLI (up against the
 * local engine, exec imports torch as the workspace owner).
 */
import { spawnSync } from "node:child_process";
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker, ensureBundle, ROOT, torchstack } from "./cli-process.js";

const enabled = process.env.TORCHSTACK_E2E === "1";
const OWNER = 1235;
const JUPYTER = 18931;
const root = mkdtempSync(join(tmpdir(), "torchstack-export-e2e-"));
const env = { ...process.env, TORCHSTACK_STATE_DIR: join(root, "state"), HOME: join(root, "home") };
const specDir = join(root, "spec");
const spec = join(specDir, "torchstack.yaml");

function run(file: string, args: string[], cwd = root, timeout = 600_000) {
  return spawnSync(file, args, { cwd, env, encoding: "utf8", timeout });
}

async function jupyterStatus(token: string | null): Promise<number> {
  const headers: Record<string, string> = token ? { Authorization: `token ${token}` } : {};
  return (await fetch(`http://127.0.0.1:${JUPYTER}/api/status`, { headers })).status;
}

async function waitForJupyter(token: string, seconds: number): Promise<number> {
  let status = 0;
  for (let i = 0; i < seconds; i++) {
    status = await jupyterStatus(token).catch(() => 0);
    if (status === 200) return status;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return status;
}

const tokenOf = (envFile: string) => /^JUPYTER_TOKEN=(\S+)$/m.exec(readFileSync(envFile, "utf8"))?.[1] ?? "";

describe.skipIf(!enabled)("exports started by the real clients", () => {
  beforeAll(async () => {
    ensureBundle();
    mkdirSync(env.HOME, { recursive: true });
    mkdirSync(specDir, { recursive: true });
    const yaml = readFileSync(join(ROOT, "examples", "cpu", "torchstack.yaml"), "utf8").replace(
      "  network: host\n",
      `  network: host\n  ports: { jupyter: ${JUPYTER}, ssh: ${JUPYTER + 1} }\n`,
    );
    writeFileSync(spec, yaml);
    const build = await torchstack(["build", "-f", spec, "--network", "host"], env);
    expect(build.code, build.stderr).toBe(0);
  });

  describe("compose", () => {
    const workspace = join(root, "compose-ws");
    const file = join(root, "deploy", "compose.yaml");
    const compose = (...args: string[]) => run("docker-compose", ["-f", file, ...args]);

    afterAll(() => {
      compose("down");
    });

    it("export compose prints the files and the URLs with the generated token", async () => {
      mkdirSync(workspace);
      chownSync(workspace, OWNER, OWNER);
      const result = await torchstack(
        ["export", "compose", "-f", spec, "-o", file, "--workspace", workspace, "--json"],
        env,
      );
      expect(result.code, result.stderr).toBe(0);
      const out = result.json as { ok: boolean; files: string[]; urls: Record<string, string> };
      expect(out.ok).toBe(true);
      expect(out.files).toEqual([file, join(root, "deploy", "torchstack.env")]);
      const token = tokenOf(join(root, "deploy", "torchstack.env"));
      expect(out.urls.jupyter).toBe(`http://127.0.0.1:${JUPYTER}/lab?token=${token}`);
      expect(readFileSync(file, "utf8")).not.toContain(token);
      expect(statSync(join(root, "deploy", "torchstack.env")).mode & 0o777).toBe(0o600);
    });

    it("docker-compose accepts it, starts it, and Jupyter answers 200 with the token, 403 without", async () => {
      const config = compose("config");
      expect(config.status, config.stderr).toBe(0);
      expect(config.stdout).toContain("network_mode: host");
      const up = compose("up", "-d");
      expect(up.status, up.stderr).toBe(0);
      const token = tokenOf(join(root, "deploy", "torchstack.env"));
      expect(await waitForJupyter(token, 120)).toBe(200);
      expect(await jupyterStatus(null)).toBe(403);
    });

    it("files written in /workspace belong to the workspace owner, and down keeps them", () => {
      const write = compose(
        "exec",
        "-T",
        "--user",
        "dev",
        "cpu-example",
        "sh",
        "-c",
        "echo hi > /workspace/x.txt",
      );
      expect(write.status, write.stderr).toBe(0);
      expect(statSync(join(workspace, "x.txt"))).toMatchObject({ uid: OWNER, gid: OWNER });
      const down = compose("down");
      expect(down.status, down.stderr).toBe(0);
      expect(readFileSync(join(workspace, "x.txt"), "utf8")).toBe("hi\n");
    });
  });

  describe("devcontainer", () => {
    const folder = join(root, "dev-ws");
    const cli = join(ROOT, "node_modules", ".bin", "devcontainer");
    // Options before the command: `exec` treats everything after its command as the command's arguments.
    const devcontainer = (sub: string, ...command: string[]) =>
      run(cli, [sub, "--workspace-folder", folder, "--docker-path", "/usr/bin/docker", ...command]);

    afterAll(() => {
      const ids = docker("ps", "-aq", "--filter", `label=devcontainer.local_folder=${folder}`).stdout.trim();
      for (const id of ids.split("\n").filter(Boolean)) docker("rm", "-f", id);
    });

    it("export devcontainer writes .devcontainer/devcontainer.json and its env file", async () => {
      mkdirSync(folder);
      chownSync(folder, OWNER, OWNER);
      const result = await torchstack(["export", "devcontainer", "-f", spec, "-o", folder, "--json"], env);
      expect(result.code, result.stderr).toBe(0);
      const out = result.json as { files: string[]; urls: Record<string, string> };
      expect(out.files[0]).toBe(join(folder, ".devcontainer", "devcontainer.json"));
      expect(existsSync(join(folder, ".devcontainer", "torchstack.env"))).toBe(true);
      expect(out.urls.jupyter).toMatch(
        new RegExp(`^http://127\\.0\\.0\\.1:${JUPYTER}/lab\\?token=[0-9a-f]{48}$`),
      );
    });

    it("devcontainer up starts it on the local engine, and exec imports torch as the workspace owner", () => {
      const up = devcontainer("up");
      expect(up.status, `${up.stdout}\n${up.stderr}`).toBe(0);
      expect(up.stdout).toContain('"outcome":"success"');
      const exec = devcontainer(
        "exec",
        "python3",
        "-c",
        "import os, torch; print(torch.__version__, os.getuid(), os.getcwd())",
      );
      expect(exec.status, exec.stderr).toBe(0);
      expect(exec.stdout.trim().split("\n").at(-1)).toMatch(new RegExp(`^2\\.6\\.\\S+ ${OWNER} /workspace$`));
    });
  });
});

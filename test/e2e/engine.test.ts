/**
 * The engine tier, against a real Docker engine and the real CLI (switched on by
 * TORCHSTACK_E2E=1 after `npm run engine:setup`). One build of examples/cpu is
 * shared by all tests: build, `up --network host`, Jupyter with and without the
 * token, SSH with the generated key, exec, workspace ownership, down; then a
 * build that must fail and leave no tag, and a rebuild with one more package
 * that must reuse the torch layer.
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
import { runInEnvironment } from "../../src/engine/run-in-environment.js";
import { docker, ensureBundle, ROOT, torchstack } from "./cli-process.js";

const enabled = process.env.TORCHSTACK_E2E === "1";
const OWNER = 1234;

/** Runs a command over SSH on the loopback port `up` printed, with its generated key and no host-key prompt. */
function sshAs(user: string, port: string, key: string, command: string[], timeout: number) {
  const options = ["StrictHostKeyChecking=no", "UserKnownHostsFile=/dev/null", "BatchMode=yes"].flatMap(
    (o) => ["-o", o],
  );
  const args = ["-p", port, "-i", key, ...options, `${user}@127.0.0.1`, ...command];
  return spawnSync("ssh", args, { encoding: "utf8", timeout });
}

/** A copy of the CPU example in its own folder (its lock is written there, not in the repository). */
function exampleCopy(root: string, folder: string, edit: (yaml: string) => string = (y) => y): string {
  const dir = join(root, folder);
  mkdirSync(dir, { recursive: true });
  const yaml = readFileSync(join(ROOT, "examples", "cpu", "torchstack.yaml"), "utf8");
  writeFileSync(join(dir, "torchstack.yaml"), edit(yaml));
  return join(dir, "torchstack.yaml");
}

describe.skipIf(!enabled)("engine: build, up, exec, down on a real Docker", () => {
  const root = mkdtempSync(join(tmpdir(), "torchstack-e2e-"));
  const env = { ...process.env, TORCHSTACK_STATE_DIR: join(root, "state"), HOME: join(root, "home") };
  const workspace = join(root, "workspace");
  const spec = exampleCopy(root, "spec");
  let up: { ok: boolean; name: string; container: string; urls: Record<string, string>; ssh: string };

  beforeAll(async () => {
    ensureBundle();
    mkdirSync(env.HOME, { recursive: true });
    mkdirSync(workspace);
    chownSync(workspace, OWNER, OWNER);
    await torchstack(["down", "cpu-example"], env);
  });

  afterAll(async () => {
    await torchstack(["down", "cpu-example"], env);
  });

  it("builds the CPU example with BuildKit and tags it by content and by lock", async () => {
    const result = await torchstack(["build", "-f", spec, "--network", "host", "--json"], env);
    expect(result.stderr).toContain("build client:");
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toMatchObject({ ok: true, image: "cpu-example:torch1.13.1-cpu-py3.11-runtime" });
    const tags = (result.json as { tags: string[] }).tags;
    expect(tags).toContain("cpu-example:torch1.13.1-cpu-py3.11-runtime");
    expect(tags.some((t) => /^cpu-example:lock-[0-9a-f]{12}$/.test(t))).toBe(true);
    expect(existsSync(join(root, "spec", "torchstack.lock"))).toBe(true);
    expect(docker("image", "ls", "-q", "--filter", "reference=cpu-example:building-*").stdout.trim()).toBe(
      "",
    );
  });

  it("starts with --network host and prints exactly the access contract", async () => {
    const result = await torchstack(
      ["up", "-f", spec, "--network", "host", "--workspace", workspace, "--json"],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    up = result.json as typeof up;
    expect(Object.keys(up).sort()).toEqual(["container", "name", "ok", "ssh", "urls"]);
    expect(up).toMatchObject({ ok: true, name: "cpu-example", container: "torchstack-cpu-example" });
    expect(Object.keys(up.urls)).toEqual(["jupyter"]);
    expect(up.urls.jupyter).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
    expect(up.ssh).toMatch(/^ssh -p \d+ -i \S+ dev@127\.0\.0\.1$/);
    const record = join(env.TORCHSTACK_STATE_DIR, "envs", "cpu-example.json");
    expect(statSync(record).mode & 0o777).toBe(0o600);
  });

  it("Jupyter answers /api/status with the token and refuses without it", async () => {
    const url = new URL(up.urls.jupyter ?? "");
    const token = url.searchParams.get("token") ?? "";
    const status = `${url.origin}/api/status`;
    expect((await fetch(status, { headers: { Authorization: `token ${token}` } })).status).toBe(200);
    expect((await fetch(status)).status).toBe(403);
  });

  it("SSH with the generated key runs torch as the workspace owner", () => {
    const [, , port = "", , key = ""] = up.ssh.split(" ");
    const ssh = sshAs(
      "dev",
      port,
      key,
      ["python3", "-c", '"import torch, os; print(torch.__version__, os.getuid())"'],
      60_000,
    );
    expect(ssh.status, ssh.stderr).toBe(0);
    expect(ssh.stdout.trim()).toMatch(new RegExp(`^1\\.13\\.\\S+ ${OWNER}$`));
    expect(sshAs("root", port, key, ["true"], 30_000).status).not.toBe(0);
  });

  it("exec runs a torch check as the user and passes the exit code through", async () => {
    const check = await torchstack(
      ["exec", "cpu-example", "--", "python3", "-c", "import torch; print(torch.ones(3).sum().item())"],
      env,
    );
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout.trim()).toBe("3.0");
    const failing = await torchstack(["exec", "cpu-example", "--", "sh", "-c", "exit 7"], env);
    expect(failing.code).toBe(7);
  });

  it("runInEnvironment runs as the environment's user in /workspace", async () => {
    const result = await runInEnvironment("cpu-example", {
      argv: ["sh", "-c", "id -u; pwd; cat"],
      stdin: "from stdin",
      env0: env,
    });
    expect(result).toEqual({ exitCode: 0, stdout: `${OWNER}\n/workspace\nfrom stdin`, stderr: "" });
  });

  it("a file written in /workspace belongs to the workspace owner, and down leaves it", async () => {
    const write = await torchstack(
      ["exec", "cpu-example", "--", "sh", "-c", "echo hi > /workspace/result.txt"],
      env,
    );
    expect(write.code, write.stderr).toBe(0);
    const file = join(workspace, "result.txt");
    expect(statSync(file)).toMatchObject({ uid: OWNER, gid: OWNER });
    const ps = await torchstack(["ps", "--json"], env);
    expect((ps.json as { name: string; state: string }[]).find((e) => e.name === "cpu-example")?.state).toBe(
      "running",
    );
    const down = await torchstack(["down", "cpu-example", "--json"], env);
    expect(down.code, down.stderr).toBe(0);
    expect(readFileSync(file, "utf8")).toBe("hi\n");
    expect(docker("inspect", "torchstack-cpu-example").status).not.toBe(0);
  });

  it("a build with an apt package that does not exist fails readably and leaves no tag", async () => {
    const broken = exampleCopy(root, "broken", (y) =>
      y
        .replace("name: cpu-example", "name: cpu-example-broken")
        .concat("packages:\n  apt: [torchstack-no-such-package]\n"),
    );
    const result = await torchstack(["build", "-f", broken, "--json"], env);
    expect(result.code).toBe(1);
    const error = (result.json as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("E_BUILD_FAILED");
    expect(error.message).toMatch(/step \[.*\] RUN .*torchstack-no-such-package/);
    expect(error.message).toContain("Unable to locate package torchstack-no-such-package");
    expect(docker("image", "ls", "-q", "cpu-example-broken").stdout.trim()).toBe("");
  });

  it("adding one package and rebuilding reuses the torch layer", async () => {
    const grown = exampleCopy(root, "grown", (y) => y.concat("packages:\n  apt: [less]\n"));
    const result = await torchstack(["build", "-f", grown, "--json"], env);
    expect(result.code, result.stderr).toBe(0);
    const torchStep = /› (\[[^\]]+\]) RUN .*python3-torch=/.exec(result.stderr);
    expect(torchStep, result.stderr).not.toBeNull();
    const label = (torchStep?.[1] ?? "").replace(/\s+/g, " ");
    expect(result.stderr).toContain(`${label} cached`);
  });
});

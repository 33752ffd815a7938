/**
 * `job run --target local` on a shared machine, with a stand-in engine CLI that records what it was
 * started with: the job's env values never reach an argv (what `ps` shows every user), the state folder
 * and the job's files are private, the saved script has the values redacted, and the ranks run as the
 * workspace owner in a rank folder no other user can open or write (another local user is simulated
 * with setpriv; no accounts are created).
 */
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asUser, canSwitchUser, OTHER_USER, VICTIM } from "../../../support/as-local-user.js";
import { runCliInMemory } from "../../../support/run-cli-in-memory.js";

const SECRET = "hf_secret_value_visible_in_ps";
const root = mkdtempSync(join(tmpdir(), "ts-job-secrets-"));
const workspace = join(root, "ws");
const recorded = join(root, "recorded");
const fakeDocker = join(root, "fake-docker");
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: root,
  TORCHSTACK_STATE_DIR: join(root, "state"),
  TORCHSTACK_DOCKER_CLI: fakeDocker,
  FAKE_RECORD: recorded,
};
const cli = (args: string[]) => runCliInMemory(args, { cwd: workspace, env });
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SPEC = [
  "name: secrets-job",
  "torchSource: distro",
  "cuda: cpu",
  "base: image:torchstack-local/debian:12",
  "job:",
  "  command: [python3, train.py]",
  "  procsPerNode: 1",
  `  env: {HF_TOKEN: ${SECRET}}`,
  "",
].join("\n");

describe.skipIf(!canSwitchUser)("job run --target local: secrets and who the ranks run as", () => {
  let jobDir = "";
  let ranks = "";
  let argv: string[] = [];
  beforeAll(async () => {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(workspace);
    mkdirSync(recorded);
    chmodSync(root, 0o755);
    writeFileSync(join(workspace, "torchstack.yaml"), SPEC);
    writeFileSync(
      fakeDocker,
      [
        "#!/bin/sh",
        'printf "%s\\n" "$@" > "$FAKE_RECORD/argv"',
        'printf "%s" "$HF_TOKEN" > "$FAKE_RECORD/hf"',
        'echo "rank 0 done"',
        "",
      ].join("\n"),
      { mode: 0o755 },
    );
    const locked = await cli(["lock"]);
    expect(locked.code, locked.stderr).toBe(0);
    chownSync(workspace, VICTIM, VICTIM); // the victim's workspace; torchstack runs as root, as on many GPU hosts
    const run = await cli(["job", "run", "--target", "local", "--json", "--no-check"]);
    expect(run.code, run.stderr).toBe(0);
    const id = JSON.parse(run.stdout).id as string;
    jobDir = join(env.TORCHSTACK_STATE_DIR as string, "jobs", id);
    ranks = join(workspace, ".torchstack", "jobs", id, "ranks");
    argv = readFileSync(join(recorded, "argv"), "utf8").trim().split("\n");
  });

  it("passes job.env by name only: the value is in the launcher's environment, not its argv", () => {
    expect(argv.join(" ")).not.toContain(SECRET);
    expect(argv[argv.indexOf("HF_TOKEN") - 1]).toBe("--env");
    expect(readFileSync(join(recorded, "hf"), "utf8")).toBe(SECRET);
  });

  it("keeps the state folder, the job's folder and files private, and redacts the saved script", () => {
    expect(statSync(env.TORCHSTACK_STATE_DIR as string).mode & 0o777).toBe(0o700);
    expect(statSync(jobDir).mode & 0o777).toBe(0o700);
    for (const file of ["record.json", "output.log", "secrets-job.local.sh"])
      expect(statSync(join(jobDir, file)).mode & 0o777, file).toBe(0o600);
    const script = readFileSync(join(jobDir, "secrets-job.local.sh"), "utf8");
    expect(script).not.toContain(SECRET);
    expect(script).toContain(`export HF_TOKEN="$\{HF_TOKEN:?`);
    chmodSync(env.TORCHSTACK_STATE_DIR as string, 0o755); // even with the folder opened, the files stay closed
    expect(asUser(OTHER_USER, ["cat", join(jobDir, "secrets-job.local.sh")]).status).not.toBe(0);
    chmodSync(env.TORCHSTACK_STATE_DIR as string, 0o700);
  });

  it("runs the ranks as the workspace owner, in a rank folder only the owner can open", () => {
    expect(argv[argv.indexOf("--user") + 1]).toBe(`${VICTIM}:${VICTIM}`);
    const stats = statSync(ranks);
    expect({ uid: stats.uid, mode: stats.mode & 0o7777 }).toEqual({ uid: VICTIM, mode: 0o700 });
    expect(asUser(VICTIM, ["touch", join(ranks, "owner-can-write")]).status).toBe(0);
    expect(asUser(OTHER_USER, ["touch", join(ranks, "planted-by-other")]).status).not.toBe(0);
    expect(asUser(VICTIM, ["rm", "-r", join(workspace, ".torchstack")]).status).toBe(0); // the owner can clean up
  });
});

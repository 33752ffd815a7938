/**
 * Ownership on a real, shared engine (TORCHSTACK_E2E=1): containers that
 * belong to someone else — another state folder's torchstack environment and
 * one made by plain `docker run` — sit next to this owner's own. `gc` lists
 * and removes only this owner's, never a running one without --running, and
 * `up` refuses to replace a foreign container with the same name
 * (E_NAME_IN_USE) instead of removing it; `down` refuses another owner's.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectEngine } from "../../src/engine/connect-engine.js";
import { currentOwner } from "../../src/environments/ownership.js";
import type { LockFile } from "../../src/lock/lock-schema.js";
import { silentReporter } from "../../src/report/reporter.js";
import { upEnvironment } from "../../src/workflows/up-environment.js";
import { docker, ensureBundle, torchstack } from "./cli-process.js";

const enabled = process.env.TORCHSTACK_E2E === "1";
const BASE = "torchstack-local/debian:12";
const tag = `own${process.pid}`;
const mine = mkdtempSync(join(tmpdir(), "ts-own-mine-"));
const theirs = mkdtempSync(join(tmpdir(), "ts-own-theirs-"));
const env = { ...process.env, TORCHSTACK_STATE_DIR: mine };
const names = {
  mineExited: `torchstack-${tag}-mine-exited`,
  mineRunning: `torchstack-${tag}-mine-running`,
  theirsRunning: `torchstack-${tag}-theirs-running`,
  theirsExited: `torchstack-${tag}-theirs-exited`,
  plain: `torchstack-${tag}-plain`,
};

function labelsFor(stateDir: string, envName: string): string[] {
  const owner = currentOwner({ TORCHSTACK_STATE_DIR: stateDir });
  return [
    "--label",
    "dev.torchstack.managed=true",
    "--label",
    `dev.torchstack.env=${envName}`,
    "--label",
    `dev.torchstack.owner=${owner.id}`,
    "--label",
    `dev.torchstack.owner-user=${owner.user}`,
  ];
}

const exists = (name: string) => docker("inspect", "--format", "{{.State.Status}}", name).stdout.trim();

describe.skipIf(!enabled)("ownership on a shared engine", () => {
  beforeAll(() => {
    ensureBundle();
    const run = (name: string, labels: string[], detach: boolean) => {
      const args = detach
        ? ["run", "-d", "--network", "none", "--name", name, ...labels, BASE, "sleep", "600"]
        : ["create", "--network", "none", "--name", name, ...labels, BASE, "true"];
      const r = docker(...args);
      if (r.status !== 0) throw new Error(r.stderr);
    };
    run(names.mineExited, labelsFor(mine, `${tag}-mine-exited`), false);
    run(names.mineRunning, labelsFor(mine, `${tag}-mine-running`), true);
    run(names.theirsRunning, labelsFor(theirs, `${tag}-theirs-running`), true);
    run(names.theirsExited, labelsFor(theirs, `${tag}-theirs-exited`), false);
    run(names.plain, [], true);
  }, 120_000);

  afterAll(() => {
    for (const name of Object.values(names)) docker("rm", "-f", name);
    rmSync(mine, { recursive: true, force: true });
    rmSync(theirs, { recursive: true, force: true });
  });

  it("ps lists only this owner's environments, says how many it hid, and --all marks the others' owner", async () => {
    type Row = { name: string; mine: boolean; owner: string };
    const own = await torchstack(["ps", "--json"], env);
    expect(own.code, own.stderr).toBe(0);
    const doc = own.json as { ok: boolean; environments: Row[]; hidden: number };
    expect(doc.ok).toBe(true);
    const ours = (rows: Row[]) => rows.filter((e) => e.name.startsWith(tag)).map((e) => e.name);
    expect(ours(doc.environments)).toEqual([`${tag}-mine-exited`, `${tag}-mine-running`]);
    expect(doc.hidden).toBeGreaterThanOrEqual(2);
    const text = await torchstack(["ps"], env);
    expect(text.stdout).toMatch(/\d+ more belong to other users or state folders: torchstack ps --all/);
    const all = await torchstack(["ps", "--all", "--json"], env);
    const rows = (all.json as { environments: Row[] }).environments.filter((e) => e.name.startsWith(tag));
    expect(rows.find((e) => e.name === `${tag}-theirs-running`)).toMatchObject({
      mine: false,
      owner: expect.stringContaining("another torchstack state folder"),
    });
    expect(rows.find((e) => e.name === `${tag}-mine-running`)).toMatchObject({ mine: true, owner: "you" });
    expect((await torchstack(["ps", "--all"], env)).stdout).toMatch(/OWNER/);
  });

  it("urls on another state folder's environment says whose it is, never `up NAME` (which would collide)", async () => {
    const run = await torchstack(["urls", `${tag}-theirs-running`, "--json"], env);
    expect(run.code).toBe(1);
    const error = (run.json as { error: { code: string; message: string; remedies: string[] } }).error;
    expect(error.message).toContain("belongs to another torchstack state folder");
    expect(error.remedies.join("\n")).not.toContain(`torchstack up ${tag}-theirs-running\n`);
    expect(error.remedies.join("\n")).toContain("TORCHSTACK_STATE_DIR=");
  });

  it("exec with a misspelt environment name says which one was meant", async () => {
    const typo = `${tag}-mine-runnign`;
    const run = await torchstack(["exec", typo, "--json", "--", "true"], env);
    expect(run.code).toBe(1);
    const error = (run.json as { error: { message: string; remedies: string[] } }).error;
    expect(error.message).toContain(`did you mean ${tag}-mine-running?`);
    expect(error.remedies.join("\n")).not.toContain(`torchstack up ${typo}`);
  });

  it("gc --json lists only this owner's exited container; its running one only as kept", async () => {
    const run = await torchstack(["gc", "--json"], env);
    expect(run.code).toBe(0);
    const doc = run.json as { items: { name: string }[]; keptRunning: { name: string }[] };
    const listed = doc.items.map((i) => i.name).filter((n) => n.includes(tag));
    expect(listed).toEqual([names.mineExited]);
    expect(doc.keptRunning.map((i) => i.name).filter((n) => n.includes(tag))).toEqual([names.mineRunning]);
  });

  it("gc --yes removes only that; someone else's containers and the running one survive", async () => {
    const run = await torchstack(["gc", "--yes", "--json"], env);
    expect(run.code).toBe(0);
    expect(exists(names.mineExited)).toBe("");
    expect(exists(names.mineRunning)).toBe("running");
    expect(exists(names.theirsRunning)).toBe("running");
    expect(exists(names.theirsExited)).toBe("created");
    expect(exists(names.plain)).toBe("running");
  });

  it("gc --running --yes also removes this owner's running container, still nobody else's", async () => {
    const run = await torchstack(["gc", "--running", "--yes", "--json"], env);
    expect(run.code).toBe(0);
    expect(exists(names.mineRunning)).toBe("");
    expect(exists(names.theirsRunning)).toBe("running");
    expect(exists(names.plain)).toBe("running");
  });

  it("down refuses another state folder's environment (E_NAME_IN_USE) and leaves it running", async () => {
    const run = await torchstack(["down", `${tag}-theirs-running`, "--json"], env);
    expect(run.code).toBe(1);
    expect(run.json).toMatchObject({ error: { code: "E_NAME_IN_USE" } });
    expect(exists(names.theirsRunning)).toBe("running");
  });

  it.each([
    ["another state folder's", "theirsExited", "another torchstack state folder"],
    ["a plain docker run", "plain", "not torchstack"],
  ] as const)(
    "up refuses to replace %s container of the same name (E_NAME_IN_USE)",
    async (_label, key, owner) => {
      const engine = await connectEngine(env);
      const lockTag = `torchstack-own-${tag}:lock-0123456789ab`;
      expect(docker("tag", BASE, lockTag).status).toBe(0);
      try {
        const name = names[key].replace(/^torchstack-/, "");
        const error = await upEnvironment(
          {
            specFile: join(mine, "torchstack.yaml"),
            spec: { name, run: { gpus: "none" } },
            lockPath: join(mine, "torchstack.lock"),
            lock: {} as LockFile,
            tags: { stack: lockTag, lock: lockTag },
            lockCreated: false,
          },
          { cpuOk: true, expose: false, env: {}, ports: {}, timeoutSeconds: 5, workspace: mine },
          {
            engine,
            run: async () => Promise.reject(new Error("no")),
            env,
            cwd: mine,
            reporter: silentReporter,
            signal: new AbortController().signal,
          },
        ).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: "E_NAME_IN_USE" });
        expect(String((error as Error).message)).toContain(owner);
        expect(exists(names[key])).not.toBe("");
      } finally {
        docker("rmi", lockTag);
      }
    },
  );
});

/**
 * The Slurm OCI bundle on a real engine (TORCHSTACK_E2E=1): an image that
 * carries a setuid-root copy of `id` and a world-writable device node (what
 * any root build step or base image can leave) is exported by the real
 * prepareOciBundle, as `job run --target slurm` does. Nothing set-ID and no
 * device node may land on the host, the base image's own setuid binaries (su,
 * mount, passwd…) included, and another local user (simulated with setpriv,
 * no account created) cannot even reach the bundle. The payload image is
 * removed afterwards.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeJob } from "../../src/job/normalize-job.js";
import { prepareOciBundle } from "../../src/job/run/prepare-oci-bundle.js";
import { runProcess } from "../../src/process/run-process.js";
import { SMALL_JOB } from "../unit/job/render/job-fixtures.test-support.js";
import { docker } from "./cli-process.js";

const enabled = process.env.TORCHSTACK_E2E === "1" && process.geteuid?.() === 0;
const tag = `torchstack-e2e-oci-payload:${process.pid}`;
const work = mkdtempSync(join(tmpdir(), "ts-oci-priv-"));

describe.skipIf(!enabled)("the OCI bundle of an image with setuid files and device nodes", () => {
  beforeAll(() => {
    writeFileSync(
      join(work, "Dockerfile"),
      [
        "FROM torchstack-local/debian:12",
        "RUN cp /usr/bin/id /opt/rootid && chmod 4755 /opt/rootid && mknod -m 666 /opt/devnode c 1 3",
        "",
      ].join("\n"),
    );
    const built = spawnSync(
      "/usr/bin/docker",
      ["build", "--network", "none", "--label", "dev.torchstack.managed=true", "-t", tag, work],
      { encoding: "utf8", env: { ...process.env, DOCKER_BUILDKIT: "1" } },
    );
    if (built.status !== 0) throw new Error(built.stderr);
  }, 120_000);

  afterAll(() => {
    docker("rmi", "--force", tag);
    rmSync(work, { recursive: true, force: true });
  });

  it("unpacks no set-ID file and no device node, into a folder only its owner reaches", async () => {
    const bundle = join(work, "bundle");
    const job = normalizeJob(
      { ...SMALL_JOB, slurm: { container: "oci", bundle } },
      { specName: "payload", file: "torchstack.yaml" },
    );
    const dir = await prepareOciBundle(
      { job, workspace: work, imageRef: tag, localTag: tag, user: { name: "dev", uid: 1000, gid: 1000 } },
      { run: runProcess, env: process.env, progress: () => {}, engineCli: "/usr/bin/docker" },
    );
    const rootfs = join(dir, "rootfs");
    expect(existsSync(join(rootfs, "usr", "bin", "id"))).toBe(true);
    expect(existsSync(join(rootfs, "opt", "rootid"))).toBe(true);
    expect(existsSync(join(rootfs, "opt", "devnode"))).toBe(false);
    const privileged = spawnSync(
      "find",
      [rootfs, "-xdev", "(", "-perm", "/6000", "-o", "-type", "b", "-o", "-type", "c", ")", "-print"],
      { encoding: "utf8" },
    );
    expect(privileged.stdout).toBe("");

    const asOther = (...argv: string[]) =>
      spawnSync("setpriv", ["--reuid=2002", "--regid=2002", "--clear-groups", ...argv], { encoding: "utf8" });
    expect(asOther("ls", rootfs).status).not.toBe(0);
    // Even given the file, another user gains nothing from it: no set-user-ID bit is left.
    const open = mkdtempSync(join(tmpdir(), "ts-oci-open-"));
    chmodSync(open, 0o755);
    const copy = join(open, "rootid");
    spawnSync("cp", ["-p", join(rootfs, "opt", "rootid"), copy]);
    const ran = asOther(copy);
    rmSync(open, { recursive: true, force: true });
    expect(ran.stdout).toContain("uid=2002");
    expect(ran.stdout).not.toContain("euid=0");
  }, 300_000);
});

import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { normalizeJob } from "../../../../src/job/normalize-job.js";
import { prepareOciBundle } from "../../../../src/job/run/prepare-oci-bundle.js";
import { type ProcessResult, type ProcessRunner, runProcess } from "../../../../src/process/run-process.js";
import { SMALL_JOB } from "../render/job-fixtures.test-support.js";

/** Temp folders of this file, removed when it ends. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
function temporary(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

const result = (exitCode: number, stdout = "", stderr = ""): ProcessResult => ({
  command: [],
  exitCode,
  signal: null,
  stdout,
  stderr,
  timedOut: false,
});

/**
 * An image's export stream as a tar file, written by Python's tarfile (no privilege needed): a marker
 * naming the image, plus, when `hostile`, what an image may carry that must never reach the host: a
 * setuid-root and a setgid copy, a world-writable character device (as `mknod -m 666` makes), a block
 * device, a FIFO, and /dev's own nodes.
 */
function exportTar(dir: string, imageId: string, hostile: boolean): string {
  const path = join(dir, `${imageId.replace(/\W/g, "_")}.tar`);
  const script = `
import io, sys, tarfile
path, image_id, hostile = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
def member(name, kind=tarfile.REGTYPE, mode=0o644, data=b"", major=0, minor=0):
    info = tarfile.TarInfo(name); info.type = kind; info.mode = mode; info.uid = info.gid = 0
    info.devmajor, info.devminor = major, minor; info.size = len(data)
    return info, io.BytesIO(data) if data else None
with tarfile.open(path, "w") as tar:
    tar.addfile(*member("marker", data=image_id.encode()))
    tar.addfile(*member("tmp", tarfile.DIRTYPE, 0o1777))
    tar.addfile(*member("home", tarfile.DIRTYPE, 0o755))
    tar.addfile(*member("home/dev", tarfile.DIRTYPE, 0o755))
    if hostile:
        tar.addfile(*member("dev", tarfile.DIRTYPE, 0o755))
        tar.addfile(*member("dev/null", tarfile.CHRTYPE, 0o666, major=1, minor=3))
        tar.addfile(*member("opt", tarfile.DIRTYPE, 0o755))
        tar.addfile(*member("opt/rootid", mode=0o4755, data=b"#!/bin/sh\\nid\\n"))
        tar.addfile(*member("opt/groupid", mode=0o2755, data=b"#!/bin/sh\\nid\\n"))
        tar.addfile(*member("opt/devnode", tarfile.CHRTYPE, 0o666, major=1, minor=3))
        tar.addfile(*member("opt/disk", tarfile.BLKTYPE, 0o666, major=8, minor=0))
        tar.addfile(*member("opt/fifo", tarfile.FIFOTYPE, 0o666))
`;
  const made = spawnSync("python3", ["-c", script, path, imageId, hostile ? "1" : "0"], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(made.stderr);
  return path;
}

/**
 * A stand-in engine CLI: `image inspect` and `create` answer from memory, `export` is a real script that
 * prints the image's tar (or fails), and the unpack and the clean-up run for real (bash, tar, find).
 */
function fakeEngine(image: { id: string }, options: { exportFails?: boolean; hostile?: boolean } = {}) {
  const dir = temporary("ts-oci-engine-");
  const tar = exportTar(dir, image.id, options.hostile ?? false);
  const cli = join(dir, "docker");
  writeFileSync(
    cli,
    options.exportFails
      ? '#!/bin/sh\necho "write /dev/stdout: No space left on device" >&2; exit 1\n'
      : `#!/bin/sh\nexec cat '${tar}'\n`,
    { mode: 0o755 },
  );
  const calls: string[] = [];
  const run: ProcessRunner = async (file, args, opts) => {
    calls.push([file === cli ? "docker" : file, ...args].join(" "));
    if (args[0] === "image")
      return result(0, `${image.id} ["PATH=/opt/venv/bin:/usr/bin:/bin","VIRTUAL_ENV=/opt/venv"]\n`);
    if (args[0] === "create") return result(0, "c0ffee\n");
    if (args[0] === "rm") return result(0);
    if (file === "bash") return runProcess(file, args, opts);
    return result(127, "", `unexpected ${file}`);
  };
  return { run, calls, cli };
}

function setup() {
  const workspace = temporary("ts-oci-");
  const job = normalizeJob(
    { ...SMALL_JOB, slurm: { container: "oci" } },
    { specName: "train", file: "torchstack.yaml" },
  );
  const input = {
    job,
    workspace,
    imageRef: "train:lock-1",
    localTag: "train:lock-1",
    user: { name: "dev", uid: 1000, gid: 1000 },
  };
  return { workspace, input };
}

const ctx = (engine: { run: ProcessRunner; cli?: string }, lines: string[] = []) => ({
  run: engine.run,
  env: { PATH: process.env.PATH, HOME: tmpdir() },
  progress: (line: string) => lines.push(line),
  engineCli: engine.cli ?? "docker",
});

describe("prepareOciBundle", () => {
  it("exports the image once into rootfs and writes a config for the image's user and environment", async () => {
    const { input } = setup();
    const engine = fakeEngine({ id: "sha256:aaa" });
    const dir = await prepareOciBundle(input, ctx(engine));
    expect(readFileSync(join(dir, "rootfs", "marker"), "utf8")).toBe("sha256:aaa");
    expect(readFileSync(join(dir, "image-id"), "utf8").trim()).toBe("sha256:aaa");
    const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
    expect(config.process.user).toEqual({ uid: 1000, gid: 1000 });
    expect(config.process.env).toEqual([
      "PATH=/opt/venv/bin:/usr/bin:/bin",
      "VIRTUAL_ENV=/opt/venv",
      "HOME=/home/dev",
    ]);
    expect(config.process.rlimits).toBeUndefined();
    const namespaces = config.linux.namespaces.map((ns: { type: string }) => ns.type);
    expect(namespaces).not.toContain("network");
    expect(namespaces).not.toContain("uts");
    expect(config.mounts).toContainEqual(
      expect.objectContaining({ destination: "/workspace", source: input.workspace }),
    );
    expect(config.mounts).toContainEqual(
      expect.objectContaining({
        destination: "/dev/shm",
        options: expect.arrayContaining([`size=${input.job.shmBytes}`]),
      }),
    );

    const again = fakeEngine({ id: "sha256:aaa" });
    const lines: string[] = [];
    await prepareOciBundle(input, ctx(again, lines));
    expect(again.calls.some((call) => call.startsWith("docker create"))).toBe(false);
    expect(lines.join("\n")).toMatch(/holds train:lock-1 already/);
  });

  it("a failed export of a new image keeps the old bundle whole and leaves no partial folder", async () => {
    const { input } = setup();
    const dir = await prepareOciBundle(input, ctx(fakeEngine({ id: "sha256:aaa" })));
    const failing = fakeEngine({ id: "sha256:bbb" }, { exportFails: true });
    await expect(prepareOciBundle(input, ctx(failing))).rejects.toMatchObject({
      code: "E_JOB_BUNDLE_FAILED",
      message: expect.stringContaining("No space left on device"),
    });
    expect(readFileSync(join(dir, "rootfs", "marker"), "utf8")).toBe("sha256:aaa");
    expect(readFileSync(join(dir, "image-id"), "utf8").trim()).toBe("sha256:aaa");
    expect(readdirSync(dir).filter((name) => name.includes("partial"))).toEqual([]);
    expect(failing.calls.some((call) => call.startsWith("docker rm --force c0ffee"))).toBe(true);
  });

  it("an image the engine lacks is E_IMAGE_NOT_FOUND with the build fix, and nothing is written", async () => {
    const { input, workspace } = setup();
    const run: ProcessRunner = async () => result(1, "", "Error: No such image: train:lock-1");
    await expect(prepareOciBundle(input, ctx({ run }))).rejects.toMatchObject({ code: "E_IMAGE_NOT_FOUND" });
    expect(existsSync(join(workspace, ".torchstack"))).toBe(false);
  });

  it("keeps no set-ID bit, device node, FIFO or /dev of the image, and the bundle folder is private", async () => {
    const { input } = setup();
    const engine = fakeEngine({ id: "sha256:ccc" }, { hostile: true });
    const dir = await prepareOciBundle(input, ctx(engine));
    const rootfs = join(dir, "rootfs");
    expect(readFileSync(join(rootfs, "marker"), "utf8")).toBe("sha256:ccc");
    expect(lstatSync(join(rootfs, "opt", "rootid")).mode & 0o7777).toBe(0o755);
    expect(lstatSync(join(rootfs, "opt", "groupid")).mode & 0o7777).toBe(0o755);
    expect(readdirSync(join(rootfs, "opt")).sort()).toEqual(["groupid", "rootid"]);
    expect(readdirSync(join(rootfs, "dev"))).toEqual([]);
    expect(lstatSync(join(rootfs, "tmp")).mode & 0o7777).toBe(0o1777);
    expect(lstatSync(dir).mode & 0o777).toBe(0o700);
    expect(lstatSync(rootfs).mode & 0o777).toBe(0o755);
    expect(lstatSync(dirname(dir)).mode & 0o077).not.toBe(0);
    // Unpacked by root, files are root's (no owner restored from the image), the image user's home excepted.
    if (process.geteuid?.() === 0) {
      expect(lstatSync(join(rootfs, "home", "dev")).uid).toBe(1000);
      expect(lstatSync(join(rootfs, "marker")).uid).toBe(0);
    }
  });

  it("a bundle from before the folder was private (0755) is exported again, not reused", async () => {
    const { input } = setup();
    const dir = await prepareOciBundle(input, ctx(fakeEngine({ id: "sha256:aaa" })));
    chmodSync(dir, 0o755);
    const again = fakeEngine({ id: "sha256:aaa" });
    await prepareOciBundle(input, ctx(again));
    expect(again.calls.some((call) => call.startsWith("docker create"))).toBe(true);
    expect(lstatSync(dir).mode & 0o777).toBe(0o700);
  });

  it.skipIf(process.geteuid?.() !== 0)(
    "refuses a bundle folder another user owns (it could hand them the image's files)",
    async () => {
      const { input, workspace } = setup();
      const planted = join(workspace, "planted");
      mkdirSync(planted, { mode: 0o777 });
      chmodSync(planted, 0o777);
      spawnSync("chown", ["2002:2002", planted]);
      const job = { ...input.job, slurm: { ...input.job.slurm, bundle: planted } };
      await expect(
        prepareOciBundle({ ...input, job }, ctx(fakeEngine({ id: "sha256:aaa" }))),
      ).rejects.toMatchObject({
        code: "E_JOB_BUNDLE_FAILED",
        message: expect.stringContaining("owned by UID 2002"),
      });
      expect(readdirSync(planted)).toEqual([]);
    },
  );
});

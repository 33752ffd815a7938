import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ProcessResult, ProcessRunner } from "../../process/run-process.js";
import { normalizeJob } from "../normalize-job.js";
import { SMALL_JOB } from "../render/job-fixtures.test-support.js";
import { prepareOciBundle } from "./prepare-oci-bundle.js";

const result = (exitCode: number, stdout = "", stderr = ""): ProcessResult => ({
  command: [],
  exitCode,
  signal: null,
  stdout,
  stderr,
  timedOut: false,
});

/** A stand-in engine CLI: `image inspect` answers IMAGE, `bash -c … export | tar` writes a file or fails. */
function fakeEngine(image: { id: string }, exportFails = false) {
  const calls: string[] = [];
  const run: ProcessRunner = async (file, args) => {
    calls.push([file, ...args].join(" "));
    if (args[0] === "image")
      return result(0, `${image.id} ["PATH=/opt/venv/bin:/usr/bin:/bin","VIRTUAL_ENV=/opt/venv"]\n`);
    if (args[0] === "create") return result(0, "c0ffee\n");
    if (args[0] === "rm") return result(0);
    if (file === "bash") {
      if (exportFails) return result(2, "", "tar: write error: No space left on device\n");
      writeFileSync(join(String(args[4]), "marker"), image.id);
      return result(0);
    }
    return result(127, "", `unexpected ${file}`);
  };
  return { run, calls };
}

function setup() {
  const workspace = mkdtempSync(join(tmpdir(), "ts-oci-"));
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

const ctx = (run: ProcessRunner, lines: string[] = []) => ({
  run,
  env: {},
  progress: (line: string) => lines.push(line),
  engineCli: "docker",
});

describe("prepareOciBundle", () => {
  it("exports the image once into rootfs and writes a config for the image's user and environment", async () => {
    const { input } = setup();
    const engine = fakeEngine({ id: "sha256:aaa" });
    const dir = await prepareOciBundle(input, ctx(engine.run));
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
    await prepareOciBundle(input, ctx(again.run, lines));
    expect(again.calls.some((call) => call.startsWith("docker create"))).toBe(false);
    expect(lines.join("\n")).toMatch(/holds train:lock-1 already/);
  });

  it("a failed export of a new image keeps the old bundle whole and leaves no partial folder", async () => {
    const { input } = setup();
    const dir = await prepareOciBundle(input, ctx(fakeEngine({ id: "sha256:aaa" }).run));
    const failing = fakeEngine({ id: "sha256:bbb" }, true);
    await expect(prepareOciBundle(input, ctx(failing.run))).rejects.toMatchObject({
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
    await expect(prepareOciBundle(input, ctx(run))).rejects.toMatchObject({ code: "E_IMAGE_NOT_FOUND" });
    expect(existsSync(join(workspace, ".torchstack"))).toBe(false);
  });
});

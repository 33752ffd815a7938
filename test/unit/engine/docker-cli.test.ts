/**
 * The one choice of docker CLI: TORCHSTACK_DOCKER leads the build's candidates (then every docker
 * on PATH, each file once, then the fixed places, for the build to probe), TORCHSTACK_DOCKER_CLI is what jobs run, and the
 * image commands run `docker` on PATH whatever either says. Real files in a temp folder stand in
 * for the installed clients.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DOCKER_ON_PATH, dockerCli, dockerClis } from "../../../src/engine/docker-cli.js";

const dir = mkdtempSync(join(tmpdir(), "torchstack-docker-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function client(folder: string): string {
  mkdirSync(join(dir, folder), { recursive: true });
  const path = join(dir, folder, "docker");
  writeFileSync(path, "#!/bin/sh\n");
  chmodSync(path, 0o755);
  return path;
}

const a = client("a");
const b = client("b");
mkdirSync(join(dir, "same"));
symlinkSync(a, join(dir, "same", "docker")); // one file under two names, as /bin and /usr/bin on merged-/usr
const onlyHere = (path: string) => path.startsWith(dir) && existsSync(path);

describe("dockerClis", () => {
  it("build: TORCHSTACK_DOCKER first, then each docker on PATH once", () => {
    const PATH = [join(dir, "a"), join(dir, "same"), join(dir, "none"), join(dir, "b")].join(":");
    expect(dockerClis("build", { PATH }, onlyHere)).toEqual([a, b]);
    expect(dockerClis("build", { PATH, TORCHSTACK_DOCKER: "/opt/docker" }, onlyHere)).toEqual([
      "/opt/docker",
      a,
      b,
    ]);
    expect(dockerClis("build", { PATH, TORCHSTACK_DOCKER: "" }, onlyHere)).toEqual([a, b]);
  });

  it("jobs: TORCHSTACK_DOCKER_CLI, else docker on PATH; TORCHSTACK_DOCKER is the build's", () => {
    expect(dockerClis("jobs", { TORCHSTACK_DOCKER_CLI: "podman" })).toEqual(["podman"]);
    expect(dockerClis("jobs", { TORCHSTACK_DOCKER_CLI: "", TORCHSTACK_DOCKER: "/opt/docker" })).toEqual([
      DOCKER_ON_PATH,
    ]);
  });

  it("images: docker on PATH, whatever either setting says", () => {
    const env = { TORCHSTACK_DOCKER: "/opt/docker", TORCHSTACK_DOCKER_CLI: "podman" };
    expect(dockerClis("images", env)).toEqual(["docker"]);
  });
});

describe("dockerCli", () => {
  it("is the setting of its use, else docker on PATH (looked up when run)", () => {
    expect(dockerCli("build", { TORCHSTACK_DOCKER: "/opt/docker" })).toBe("/opt/docker");
    expect(dockerCli("build", { PATH: join(dir, "a") })).toBe("docker");
    expect(dockerCli("jobs", { TORCHSTACK_DOCKER_CLI: "/usr/bin/podman" })).toBe("/usr/bin/podman");
    expect(dockerCli("images", { TORCHSTACK_DOCKER: "/opt/docker" })).toBe("docker");
  });
});

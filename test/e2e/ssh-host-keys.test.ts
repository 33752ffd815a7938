/**
 * sshd's host keys on a real engine (TORCHSTACK_E2E=1): the app layer exactly
 * as the Dockerfile render writes it for `apps: { ssh: true }` is built on
 * the local Debian base, the image holds no host key, and two containers of
 * that one image, each making its keys at start as the entrypoint does
 * (`ssh-keygen -A`), get different ones. The image is removed afterwards.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderDockerfile } from "../../src/image/render-dockerfile.js";
import { buildLock } from "../../src/lock/build-lock.js";
import { parseSpecText } from "../../src/spec/load-spec.js";
import { DISTRO_STACK } from "../fixtures/specs/stacks.js";
import { docker } from "./cli-process.js";

const enabled = process.env.TORCHSTACK_E2E === "1";
const tag = `torchstack-e2e-ssh-keys:${process.pid}`;
const work = mkdtempSync(join(tmpdir(), "ts-ssh-keys-"));

/** The rendered app layer (from "# Apps:" to the blank line after it). */
function appLayer(): string {
  const spec = parseSpecText("name: keys\ntorchSource: distro\nbase: debian-12\napps: { ssh: true }\n");
  const text = renderDockerfile(buildLock({ spec, specFile: "x", stack: DISTRO_STACK }));
  const start = text.indexOf("# Apps:");
  return text.slice(start, text.indexOf("\n\n", start));
}

describe.skipIf(!enabled)("sshd host keys", () => {
  beforeAll(() => {
    writeFileSync(
      join(work, "Dockerfile"),
      [
        "FROM torchstack-local/debian:12",
        'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
        appLayer(),
        "LABEL dev.torchstack.managed=true",
        "",
      ].join("\n"),
    );
    const built = spawnSync("/usr/bin/docker", ["build", "--network", "host", "-t", tag, work], {
      encoding: "utf8",
      env: { ...process.env, DOCKER_BUILDKIT: "1" },
    });
    if (built.status !== 0) throw new Error(built.stderr);
  }, 300_000);

  afterAll(() => {
    docker("rmi", "--force", tag);
    rmSync(work, { recursive: true, force: true });
  });

  it("the image holds none; two containers make different ones", () => {
    const inImage = docker(
      "run",
      "--rm",
      "--network",
      "none",
      "--entrypoint",
      "sh",
      tag,
      "-c",
      "ls /etc/ssh",
    );
    expect(inImage.status).toBe(0);
    expect(inImage.stdout).not.toMatch(/ssh_host_/);
    const key = () =>
      docker(
        "run",
        "--rm",
        "--network",
        "none",
        "--entrypoint",
        "sh",
        tag,
        "-c",
        "ssh-keygen -A >/dev/null && sha256sum /etc/ssh/ssh_host_ed25519_key",
      ).stdout.split(" ")[0];
    const first = key();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(key()).not.toBe(first);
  }, 120_000);
});

/**
 * What the image's entrypoint makes for its apps, as root, belongs to the
 * user: TensorBoard's log folder in the workspace is created as the user (the
 * training code writes its event files there), and the app layer keeps no
 * sshd host key (each container makes its own at start). The entrypoint's
 * functions run for real (dash, as root, the user played by nobody, 65534, whose
 * account setpriv --init-groups needs), from a test copy that reads the image's files in a temp folder.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tensorboardNotice } from "../../../../src/environments/up/container-plan.js";
import { renderImageAssets } from "../../../../src/image/assets/image-assets.js";
import { renderDockerfile } from "../../../../src/image/render-dockerfile.js";
import { buildLock } from "../../../../src/lock/build-lock.js";
import { parseSpecText } from "../../../../src/spec/load-spec.js";
import { CU128_STACK, DISTRO_STACK } from "../../../fixtures/specs/stacks.js";

const work = mkdtempSync(join(tmpdir(), "ts-apps-owner-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("TensorBoard's log folder", () => {
  it.skipIf(process.geteuid?.() !== 0)("is created by the user, not by root", () => {
    chmodSync(work, 0o755);
    const root = join(work, "rootfs");
    for (const a of renderImageAssets({
      stack: CU128_STACK,
      apps: { tensorboard: { port: 6006 } },
      user: { name: "dev", uid: 1000, gid: 1000 },
      jupyterUi: "lab",
    })) {
      mkdirSync(dirname(join(root, a.path)), { recursive: true });
      // The functions only: the test copy reads the image's files under root/ and does not run main.
      const content = a.content
        .replace("TS_TEST_ROOT=''", `TS_TEST_ROOT='${root}'`)
        .replace(/\nmain "\$@"\n$/, "\n");
      writeFileSync(join(root, a.path), content, { mode: a.mode });
    }
    const workspace = join(work, "ws");
    mkdirSync(workspace, { mode: 0o777 });
    chmodSync(workspace, 0o777);
    const bin = join(work, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "tensorboard"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    chmodSync(bin, 0o755);
    const script = [
      `. '${join(root, "usr/local/bin/torchstack-entrypoint")}'`,
      "RUN_UID=65534; RUN_GID=65534",
      `TS_CALLER_PATH='${bin}':/usr/bin:/bin`,
      "start_tensorboard",
      "wait",
    ].join("\n");
    const ran = spawnSync("sh", ["-c", script], {
      env: { PATH: "/usr/bin:/bin", TENSORBOARD_LOGDIR: join(workspace, "runs"), TENSORBOARD_PORT: "6006" },
      encoding: "utf8",
    });
    expect(ran.status, ran.stderr).toBe(0);
    const made = lstatSync(join(workspace, "runs"));
    expect([made.uid, made.gid]).toEqual([65534, 65534]);
  });
});

describe("up's notice", () => {
  it("says TensorBoard has no login, louder with --expose", () => {
    expect(tensorboardNotice(false)).toMatch(/no login.*127\.0\.0\.1/);
    expect(tensorboardNotice(true)).toMatch(/no login.*--expose/);
  });
});

describe("sshd's host keys", () => {
  it("are removed in the same RUN that installs openssh-server, so no layer keeps one", () => {
    const spec = parseSpecText("name: keys\ntorchSource: distro\nbase: debian-12\napps: { ssh: true }\n");
    const text = renderDockerfile(buildLock({ spec, specFile: "x", stack: DISTRO_STACK }));
    const step = text.split("\n\n").find((block) => block.includes("openssh-server")) ?? "";
    expect(step).toContain("&& rm -f /etc/ssh/ssh_host_*");
    expect(step.match(/^RUN /gm)).toHaveLength(1);
  });
});

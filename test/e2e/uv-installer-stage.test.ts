/**
 * Engine tier (TORCHSTACK_E2E=1): the throwaway stage that brings uv to a base
 * whose OS lacks the stack's Python builds for real on the local Debian 12 base
 * (Python 3.11, stack 3.13): the OS's python3 installs the uv wheel from the
 * Python index by the sha256 the lock records, and `uv --version` answers with the
 * locked version. (The CPython download after it needs python-build-standalone's
 * releases or a mirror of them, which these machines cannot reach: render-tested
 * in test/unit/image/python-bootstrap.test.ts.) The stage image is removed.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderBuildContext } from "../../src/image/render-context.js";
import { writeBuildContext } from "../../src/image/write-context.js";
import { buildLock } from "../../src/lock/build-lock.js";
import { PYPI_SIMPLE } from "../../src/lock/wheels/package-indexes.js";
import { runProcess } from "../../src/process/run-process.js";
import { parseSpecText } from "../../src/spec/load-spec.js";
import { CU128_STACK } from "../fixtures/specs/stacks.js";
import { docker } from "./cli-process.js";

const UV_VERSION = "0.13.9";
const TAG = `torchstack-e2e-uv-installer:${process.pid}`;
const root = mkdtempSync(join(tmpdir(), "torchstack-uv-stage-"));

describe.skipIf(!process.env.TORCHSTACK_E2E)("uv for a Python the base OS lacks", () => {
  afterAll(() => {
    docker("rmi", "-f", TAG);
    rmSync(root, { recursive: true, force: true });
  });

  it("installs the locked uv wheel with the OS's python3 in its own stage", async () => {
    // The real wheel's sha256, as `lock` would record it.
    const wheels = join(root, "wheels");
    const index = process.env.PIP_INDEX_URL ?? PYPI_SIMPLE;
    await runProcess(
      "python3",
      [
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        "--only-binary=:all:",
        "--platform",
        "manylinux_2_17_x86_64",
      ].concat(["--python-version", "3.13", "--index-url", index, "-d", wheels, `uv==${UV_VERSION}`]),
      { reject: true, timeoutMs: 300_000 },
    );
    const file = readdirSync(wheels).find((f) => f.endsWith(".whl")) ?? "";
    const sha256 = createHash("sha256")
      .update(readFileSync(join(wheels, file)))
      .digest("hex");

    const spec = parseSpecText(
      "name: uv-stage\nbase: image:torchstack-local/debian:12\npython: '3.13'\ntorch: 2.7.1\ncuda: '12.8'\n",
    );
    const lock = buildLock({ spec, specFile: "x", stack: { ...CU128_STACK, python: "3.13" } });
    const context = renderBuildContext({
      lock: {
        ...lock,
        wheels: {
          resolver: "pip download",
          python: "3.13",
          platforms: ["manylinux_2_36_x86_64"],
          pythonIndex: index,
          torchIndex: null,
          wheels: [
            {
              name: "torch",
              version: "2.7.1",
              index,
              file: "torch-2.7.1.whl",
              sha256: "0".repeat(64),
              layer: "torch",
            },
            { name: "uv", version: UV_VERSION, index, file, sha256, layer: "installer" },
          ],
        },
      },
    });
    const dir = join(root, "context");
    writeBuildContext(dir, context);
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toContain(
      "FROM torchstack-local/debian:12 AS uv-installer",
    );

    const ca = [process.env.PIP_CERT, process.env.SSL_CERT_FILE].find((f) => f && existsSync(f));
    const built = await runProcess(
      "/usr/bin/docker",
      ["build", "--network", "host", "--target", "uv-installer", "-t", TAG].concat(
        ca ? ["--secret", `id=torchstack-ca,src=${ca}`] : [],
        [dir],
      ),
      { env: { ...process.env, DOCKER_BUILDKIT: "1" }, reject: false, timeoutMs: 600_000 },
    );
    expect(built.exitCode, built.stderr.slice(-3000)).toBe(0);
    const version = docker("run", "--rm", "--network", "none", TAG, "/opt/uv-installer/bin/uv", "--version");
    expect(version.stdout).toContain(`uv ${UV_VERSION}`);
  }, 900_000);
});

/**
 * A base whose OS lacks the stack's Python: uv (a locked wheel from the Python
 * index, installed in a throwaway stage with the OS's python3) installs a
 * standalone CPython, from the spec's `indexes.cpython` mirror when it has one.
 * Nothing comes from a container registry.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderBuildContext } from "../../../src/image/render-context.js";
import { buildLock } from "../../../src/lock/build-lock.js";
import type { LockFile } from "../../../src/lock/lock-schema.js";
import type { LockedWheel } from "../../../src/lock/wheels/wheel-set-schema.js";
import { parseSpecText } from "../../../src/spec/load-spec.js";
import type { Spec } from "../../../src/spec/schema.js";
import { wheelIndexAccess } from "../../../src/workflows/build-index-access.js";
import { CU128_STACK } from "../../fixtures/specs/stacks.js";

const PYPI = "https://pypi.org/simple";
const dir = mkdtempSync(join(tmpdir(), "ts-bootstrap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const wheel = (name: string, version: string, layer: LockedWheel["layer"]): LockedWheel => ({
  name,
  version,
  index: PYPI,
  file: `${name}-${version}-py3-none-any.whl`,
  sha256: "ab".repeat(32),
  layer,
});

function locked(specText: string, python: string): { spec: Spec; lock: LockFile } {
  const spec = parseSpecText(specText);
  const lock = buildLock({ spec, specFile: "x", stack: { ...CU128_STACK, python } });
  return {
    spec,
    lock: {
      ...lock,
      wheels: {
        resolver: "pip 25.1 install --dry-run --report",
        python,
        platforms: ["manylinux_2_35_x86_64"],
        pythonIndex: PYPI,
        torchIndex: null,
        wheels: [wheel("torch", "2.7.1", "torch"), wheel("uv", "0.13.9", "installer")],
      },
    },
  };
}

const UBUNTU_312 = `name: b\nbase: ubuntu-22.04\npython: '3.12'\ntorch: 2.7.1\ncuda: '12.8'\nindexes:\n  cpython: https://mirror.example/python-build-standalone\n`;
const dockerfileOf = (lock: LockFile) =>
  renderBuildContext({ lock }).files.find((f) => f.path === "Dockerfile")?.content ?? "";

describe("a Python the base OS lacks", () => {
  const { spec, lock } = locked(UBUNTU_312, "3.12");
  const dockerfile = dockerfileOf(lock);

  it("installs uv from the Python index by its locked hash in a throwaway stage, and copies only uv on", () => {
    const froms = dockerfile.split("\n").filter((l) => l.startsWith("FROM "));
    expect(froms).toEqual(["FROM ubuntu:22.04 AS uv-installer", "FROM ubuntu:22.04"]);
    expect(dockerfile).toContain(
      '/opt/uv-installer/bin/pip install --require-hashes --no-deps --only-binary=:all: --index-url "$TORCHSTACK_PYTHON_INDEX" -r /etc/torchstack/wheels/installer.txt',
    );
    expect(dockerfile).toContain("COPY --from=uv-installer /opt/uv-installer/bin/uv /usr/local/bin/uv");
    expect(dockerfile).not.toMatch(/ghcr\.io|docker\.io|COPY --from=[a-z0-9.-]+\//);
  });

  it("downloads CPython from the spec's mirror, passed as a build argument, and seeds the venv from the index", () => {
    expect(dockerfile).toContain("ARG TORCHSTACK_CPYTHON_MIRROR=\n");
    expect(dockerfile).toContain(
      'if [ -n "$TORCHSTACK_CPYTHON_MIRROR" ]; then export UV_PYTHON_INSTALL_MIRROR="$TORCHSTACK_CPYTHON_MIRROR"; fi',
    );
    expect(dockerfile).toContain(
      'UV_DEFAULT_INDEX="$TORCHSTACK_PYTHON_INDEX" uv venv --seed --python 3.12 /opt/venv',
    );
    const access = wheelIndexAccess(lock, spec, {}, {}, dir);
    expect(access.buildArgs).toEqual({
      TORCHSTACK_CPYTHON_MIRROR: "https://mirror.example/python-build-standalone",
    });
  });

  it("refuses a CPython mirror URL with credentials in the spec", () => {
    expect(() =>
      parseSpecText(UBUNTU_312.replace("https://mirror.example", "https://me:secret@mirror.example")),
    ).toThrow(/credentials/);
  });
});

describe("the OS's own Python", () => {
  it("needs no installer stage and passes no CPython mirror", () => {
    const { spec, lock } = locked(UBUNTU_312.replace("ubuntu-22.04", "ubuntu-24.04"), "3.12");
    expect(dockerfileOf(lock)).not.toContain("uv-installer");
    expect(wheelIndexAccess(lock, spec, {}, {}, dir).buildArgs).toBeUndefined();
  });
});

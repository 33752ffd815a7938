/**
 * A committed lock may come from someone else: every string in it that reaches
 * the Dockerfile is checked for what it is before anything is rendered or
 * built. The reproduction first: a newline in `base.digest` used to become a
 * `RUN` the build executed as root while `lock --check` called the lock up to
 * date. Then each other lock string, `lock --check` on a digest it carries over,
 * and the RUN lines quoting what they take from the lock.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderDockerfile } from "../../../src/image/render-dockerfile.js";
import { buildLock } from "../../../src/lock/build-lock.js";
import { checkLock } from "../../../src/lock/check-lock.js";
import { readLock, serializeLock } from "../../../src/lock/lock-file.js";
import type { LockFile, Pin } from "../../../src/lock/lock-schema.js";
import { lockStringProblem } from "../../../src/lock/lock-strings.js";
import { parseSpecText } from "../../../src/spec/load-spec.js";
import { CU128_STACK } from "../../fixtures/specs/stacks.js";

const spec = parseSpecText(
  [
    "name: pt27",
    'torch: "2.7.1"',
    'cuda: "12.8"',
    "apps: { jupyter: true, ssh: true }",
    "packages:",
    '  pip: ["numpy==2.2.6"]',
    "  apt: [git]",
  ].join("\n"),
);
const lock = buildLock({ spec, specFile: "torchstack.yaml", stack: CU128_STACK });
const dir = mkdtempSync(join(tmpdir(), "ts-lock-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the lock with one change made by `edit` (as a hostile commit would) and reads it back. */
function readEdited(edit: Edit): () => unknown {
  const data: LockFile = JSON.parse(serializeLock(lock));
  edit(data);
  const path = join(dir, "torchstack.lock");
  writeFileSync(path, JSON.stringify(data));
  return () => readLock(path);
}

type Edit = (data: LockFile) => void;

const setFirst = (pins: Pin[], requirement: string) => {
  const [pin] = pins;
  if (pin) pin.requirement = requirement;
};

const INJECTED =
  'sha256:0000000000000000000000000000000000000000000000000000000000000000 AS unused\nFROM torchstack-local/debian:13\nRUN echo "INJECTED-BY-LOCK running as $(id -un)"; exit 42';

describe("a hostile lock is refused when it is read", () => {
  it("a newline in base.digest (the review's reproduction) is E_LOCK_INVALID naming the key", () => {
    const read = readEdited((data) => {
      data.base.digest = INJECTED;
    });
    expect(read).toThrow(expect.objectContaining({ code: "E_LOCK_INVALID" }));
    expect(read).toThrow(/base\.digest/);
  });

  it("a digest that is not sha256 and 64 hex digits is refused too", () => {
    expect(
      readEdited((data) => {
        data.base.digest = "sha256:abc AS x";
      }),
    ).toThrow(/base\.digest|image digest/);
  });

  it.each([
    ["base.ref", (d: LockFile) => (d.base.ref = "ubuntu:24.04 AS x\nRUN id")],
    ["base.ref (no newline)", (d: LockFile) => (d.base.ref = "ubuntu:24.04;id")],
    ["user.name", (d: LockFile) => (d.user.name = "dev;touch /tmp/x")],
    ["indexUrl", (d: LockFile) => (d.indexUrl = "https://example.org/$(id)")],
    ["indexUrl (plain http)", (d: LockFile) => (d.indexUrl = "http://example.org/whl")],
    ["apt requirement", (d: LockFile) => setFirst(d.pins.apt, "git; touch /tmp/x")],
    ["pip requirement", (d: LockFile) => setFirst(d.pins.pip, "numpy; rm -rf /")],
    ["stack.python", (d: LockFile) => (d.stack.python = "3.12 && id")],
    ["a description", (d: LockFile) => (d.description = "line\u001b[2Jcleared")],
  ])("%s", (_name, edit) => {
    expect(readEdited(edit)).toThrow(expect.objectContaining({ code: "E_LOCK_INVALID" }));
  });

  it("a sound lock reads back whole", () => {
    expect(lockStringProblem(JSON.parse(serializeLock(lock)))).toBeNull();
    expect(readEdited(() => {})()).toEqual(lock);
  });
});

describe("lock --check on the digest it carries over", () => {
  it("calls a lock with a malformed digest stale instead of up to date", () => {
    const hostile = { ...lock, base: { ...lock.base, digest: INJECTED } };
    expect(() => checkLock(hostile, spec, CU128_STACK)).toThrow(
      expect.objectContaining({ code: "E_LOCK_STALE" }),
    );
    const pinned = { ...lock, base: { ...lock.base, digest: `sha256:${"a".repeat(64)}` } };
    expect(() => checkLock(pinned, spec, CU128_STACK)).not.toThrow();
  });
});

describe("RUN lines quote what they take from the lock", () => {
  it("a requirement with a marker stays one word", () => {
    const withMarker = {
      ...lock,
      pins: {
        ...lock.pins,
        apps: lock.pins.apps.map((pin) =>
          pin.manager === "pip"
            ? { ...pin, requirement: `${pin.requirement}; python_version >= "3.9"` }
            : pin,
        ),
      },
    };
    const text = renderDockerfile(withMarker);
    expect(text).toContain(`'jupyterlab==4.4.9; python_version >= "3.9"'`);
    expect(text).toMatch(
      /pip install --index-url https:\/\/pypi\.org\/simple --extra-index-url https:\/\/download\.pytorch\.org\/whl\/cu128 torch==2\.7\.1\+cu128/,
    );
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TorchstackError } from "../../../src/errors/torchstack-error.js";
import { renderDockerfile } from "../../../src/image/render-dockerfile.js";
import { buildLock, specHash } from "../../../src/lock/build-lock.js";
import { checkLock } from "../../../src/lock/check-lock.js";
import { lockDigest, lockPathFor, readLock, serializeLock, writeLock } from "../../../src/lock/lock-file.js";
import { parseSpecText } from "../../../src/spec/load-spec.js";
import { lockSpec } from "../../../src/workflows/lock-environment.js";
import { CU128_STACK, DISTRO_STACK } from "../../fixtures/specs/stacks.js";

const spec = parseSpecText(
  [
    "name: pt27",
    'torch: "2.7.1"',
    'cuda: "12.8"',
    "apps: { jupyter: true, ssh: { port: 2022 } }",
    "packages:",
    '  pip: ["numpy==2.2.6", "pandas>=2"]',
    "  apt: [git]",
  ].join("\n"),
);

describe("buildLock", () => {
  it("pins torch (with its +cu128 label: 2.7.1's PyPI build is CUDA 12.6), user packages, apps and the variant's index", () => {
    const lock = buildLock({ spec, specFile: "torchstack.yaml", stack: CU128_STACK });
    expect(lock.lockVersion).toBe(1);
    expect(lock.indexUrl).toBe("https://download.pytorch.org/whl/cu128");
    expect(lock.pins.torch.map((p) => p.requirement)).toEqual([
      "torch==2.7.1+cu128",
      "torchvision==0.22.1+cu128",
      "torchaudio==2.7.1+cu128",
    ]);
    expect(lock.pins.pip).toEqual([
      { name: "numpy", version: "2.2.6", manager: "pip", requirement: "numpy==2.2.6" },
      { name: "pandas", version: null, manager: "pip", requirement: "pandas>=2" },
    ]);
    expect(lock.pins.apps.map((p) => p.requirement)).toEqual(["jupyterlab==4.4.9", "openssh-server"]);
    expect(lock.apps).toEqual({ jupyter: { port: 8888, ui: "lab" }, ssh: { port: 2022 } });
    expect(lock.base).toEqual({ os: "ubuntu-24.04", ref: "ubuntu:24.04", digest: null });
    expect(lock.user).toEqual({ name: "dev", uid: 1000, gid: 1000 });
    expect(lock.specHash).toBe(specHash(spec));
  });

  it("leaves the job block out of the spec hash: relaunching is not rebuilding", () => {
    const plain = parseSpecText("name: cpu\ntorchSource: distro\n");
    const withJob = parseSpecText(
      "name: cpu\ntorchSource: distro\njob:\n  command: [python, train.py]\n  nodes: 2\n",
    );
    const otherJob = parseSpecText(
      "name: cpu\ntorchSource: distro\njob:\n  command: [python, train.py]\n  nodes: 4\n",
    );
    expect(specHash(withJob)).toBe(specHash(plain));
    expect(specHash(otherJob)).toBe(specHash(plain));
    expect(specHash(parseSpecText("name: cpu2\ntorchSource: distro\n"))).not.toBe(specHash(plain));
  });

  it("pins Debian's torch packages for torchSource distro", () => {
    const distro = parseSpecText("name: cpu\ntorchSource: distro\napps: { jupyter: true }\n");
    const lock = buildLock({ spec: distro, specFile: "x", stack: DISTRO_STACK });
    expect(lock.indexUrl).toBeNull();
    expect(lock.pins.torch.map((p) => p.requirement)).toEqual([
      "python3-torch=1.13.1+dfsg-4",
      "python3-torchvision=0.14.1-2",
      "python3-torchaudio=0.13.1-1",
    ]);
    expect(lock.apps.jupyter).toEqual({ port: 8888, ui: "server" });
  });

  it("matches the golden lock of the CPU example (format changes show up in review)", async () => {
    const cpu = parseSpecText(
      readFileSync(join(import.meta.dirname, "../../fixtures/specs/cpu-distro.yaml"), "utf8"),
    );
    const text = serializeLock(
      buildLock({
        spec: cpu,
        specFile: "torchstack.yaml",
        stack: DISTRO_STACK,
        resolvedFor: { source: "none", platform: "x86_64", gpus: [], driver: null },
      }),
    );
    await expect(text).toMatchFileSnapshot("../../fixtures/specs/golden/cpu-distro.lock");
  });

  it("serializes deterministically whatever the key order", () => {
    const lock = buildLock({ spec, specFile: "x", stack: CU128_STACK });
    const reverseKeys = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reverseKeys)
        : value !== null && typeof value === "object"
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reverseKeys(v)]),
            )
          : value;
    const shuffled = reverseKeys(lock) as typeof lock;
    expect(Object.keys(shuffled)[0]).toBe("user");
    expect(serializeLock(shuffled)).toBe(serializeLock(lock));
    expect(serializeLock(lock).endsWith("}\n")).toBe(true);
    expect(serializeLock(lock).split("\n")[1]).toBe('  "lockVersion": 1,');
    expect(lockDigest(lock)).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe("lock files", () => {
  it("writes, reads back and locates the lock beside the spec", () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-lock-"));
    const path = lockPathFor(join(dir, "torchstack.yaml"));
    expect(path).toBe(join(dir, "torchstack.lock"));
    expect(lockPathFor("/a/gpu.yml")).toBe("/a/gpu.lock");
    const lock = buildLock({
      spec,
      specFile: "x",
      stack: CU128_STACK,
      baseImage: { ref: "ubuntu:24.04", digest: null },
    });
    writeLock(path, lock);
    expect(readLock(path)).toEqual(lock);
    expect(readFileSync(path, "utf8")).toBe(serializeLock(lock));
  });

  it("refuses a hand-edited or broken lock with a clear error", () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-lock-"));
    const path = join(dir, "torchstack.lock");
    writeFileSync(path, "{not json");
    expect(() => readLock(path)).toThrow(/not valid JSON/);
    writeFileSync(path, JSON.stringify({ lockVersion: 2 }));
    expect(() => readLock(path)).toThrow(/torchstack\.lock: lockVersion/);
    expect(() => readLock(join(dir, "none.lock"))).toThrow(/no lock file/);
  });
});

describe("checkLock", () => {
  const lock = buildLock({ spec, specFile: "x", stack: CU128_STACK });

  it("passes when spec and stack still give the same lock", () => {
    expect(() => checkLock(lock, spec, CU128_STACK)).not.toThrow();
  });

  it("lists each difference and the fix when they disagree", () => {
    const changed = { ...spec, packages: { ...spec.packages, pip: ["numpy==2.2.6", "pandas>=2", "scipy"] } };
    const newer = { ...CU128_STACK, torch: "2.7.0" };
    let error: unknown;
    try {
      checkLock(lock, changed, newer);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TorchstackError);
    const stale = error as TorchstackError;
    expect(stale.code).toBe("E_LOCK_STALE");
    expect(stale.message).toContain('stack.torch: "2.7.1" → "2.7.0"');
    expect(stale.message).toContain("pins.pip: [numpy==2.2.6, pandas>=2] → [numpy==2.2.6, pandas>=2, scipy]");
    expect(stale.message).toContain("the spec changed since the lock was written");
    expect(stale.remedies[0]).toContain("torchstack lock");
  });
});

describe("pushed images in the lock", () => {
  it("are recorded, read back, and leave the lock digest (the image tag) unchanged", () => {
    const lock = buildLock({ spec, specFile: "torchstack.yaml", stack: CU128_STACK });
    const pushed = {
      ...lock,
      images: [{ ref: "registry.example/pt27:lock-x", digest: `sha256:${"a".repeat(64)}` }],
    };
    const path = join(mkdtempSync(join(tmpdir(), "ts-lock-")), "torchstack.lock");
    writeLock(path, pushed);
    expect(readLock(path).images).toEqual(pushed.images);
    expect(lockDigest(pushed)).toBe(lockDigest(lock));
  });
});

describe("checkLock with pushed images", () => {
  it("does not call a pushed lock stale", () => {
    const lock = buildLock({ spec, specFile: "torchstack.yaml", stack: CU128_STACK });
    const pushed = { ...lock, images: [{ ref: "r/pt27:x", digest: `sha256:${"b".repeat(64)}` }] };
    expect(() => checkLock(pushed, spec, CU128_STACK)).not.toThrow();
  });
});

describe("lockSpec with a base-image digest lookup", () => {
  it("pins FROM to the registry's digest and says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-lockspec-"));
    const file = join(dir, "torchstack.yaml");
    writeFileSync(file, "name: d\ntorchSource: distro\nbase: debian-12\n");
    const digest = `sha256:${"e".repeat(64)}`;
    const asked: string[] = [];
    const locked = await lockSpec(file, {
      env: {},
      noHost: true,
      lookupBaseDigest: async (ref) => {
        asked.push(ref);
        return { digest };
      },
    });
    expect(asked).toHaveLength(1);
    expect(locked.lock.base.digest).toBe(digest);
    expect(locked.notes[0]).toContain(digest);
    expect(renderDockerfile(locked.lock, { syntax: false })).toContain(`FROM ${asked[0]}@${digest}`);
  });

  it("keeps the tag and explains when the registry cannot be reached", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-lockspec-"));
    const file = join(dir, "torchstack.yaml");
    writeFileSync(file, "name: d\ntorchSource: distro\nbase: debian-12\n");
    const locked = await lockSpec(file, {
      env: {},
      noHost: true,
      lookupBaseDigest: async () => ({ digest: null, reason: "registry-1.docker.io is not reachable" }),
    });
    expect(locked.lock.base.digest).toBeNull();
    expect(locked.notes[0]).toMatch(/not pinned to a digest: registry-1.docker.io is not reachable/);
  });
});

describe("re-locking after a push", () => {
  it("keeps pushed images while the image is the same, and drops them when it changes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-relock-"));
    const file = join(dir, "torchstack.yaml");
    writeFileSync(file, "name: d\ntorchSource: distro\nbase: debian-12\n");
    const first = await lockSpec(file, { env: {}, noHost: true });
    const images = [{ ref: "127.0.0.1:5000/d:lock-x", digest: `sha256:${"f".repeat(64)}` }];
    writeLock(first.lockPath, { ...first.lock, images });
    expect((await lockSpec(file, { env: {}, noHost: true })).lock.images).toEqual(images);
    writeFileSync(file, "name: d\ntorchSource: distro\nbase: debian-12\npackages: { apt: [git] }\n");
    expect((await lockSpec(file, { env: {}, noHost: true })).lock.images).toBeUndefined();
  });
});

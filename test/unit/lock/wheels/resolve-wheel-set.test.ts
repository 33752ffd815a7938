/**
 * resolveWheelSet with the host's real pip against two local PEP 503 indexes
 * (file:// folders with small stand-in wheels, made here): a stand-in PyTorch
 * index holding `torch 2.7.1+cu128`, and a stand-in Python index holding what it
 * needs. torch alone comes from the PyTorch index, its dependency from the Python
 * index, each with the sha256 of the file pip chose, in the torch layer; your
 * package lands in its own layer.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { LockFile } from "../../../../src/lock/lock-schema.js";
import { inputsOfLock } from "../../../../src/lock/wheels/kept-layers.js";
import { resolveWheelSet } from "../../../../src/lock/wheels/resolve-wheel-set.js";
import type { WheelSet } from "../../../../src/lock/wheels/wheel-set-schema.js";
import { runProcess } from "../../../../src/process/run-process.js";

const root = mkdtempSync(join(tmpdir(), "ts-wheel-index-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const MAKE_WHEEL = `
import sys, zipfile
out, name, version, tag = sys.argv[1:5]
requires = sys.argv[5:]
dist = name.replace("-", "_")
info = "%s-%s.dist-info" % (dist, version)
meta = "Metadata-Version: 2.1\\nName: %s\\nVersion: %s\\n" % (name, version)
meta += "".join("Requires-Dist: %s\\n" % r for r in requires)
with zipfile.ZipFile(out, "w") as z:
    z.writestr("%s/__init__.py" % dist, "")
    z.writestr(info + "/METADATA", meta)
    z.writestr(info + "/WHEEL", "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: %s\\n" % tag)
    z.writestr(info + "/RECORD", "")
`;

async function addWheel(index: string, name: string, version: string, tag: string, requires: string[] = []) {
  const dir = join(root, index, name);
  mkdirSync(dir, { recursive: true });
  const file = `${name.replace(/-/g, "_")}-${version}-${tag}.whl`;
  await runProcess("python3", ["-c", MAKE_WHEEL, join(dir, file), name, version, tag, ...requires], {
    reject: true,
  });
  const sha = createHash("sha256")
    .update(readFileSync(join(dir, file)))
    .digest("hex");
  // The project page lists every file of the project added so far, newest last.
  const page = join(dir, "index.html");
  const links = existsSync(page) ? readFileSync(page, "utf8").replace(/<\/?(html|body)>/g, "") : "";
  writeFileSync(page, `<html><body>${links}<a href="${file}#sha256=${sha}">${file}</a></body></html>`);
  return sha;
}

/** A lock that pins `torch` (PyPI's build of 2.7.1 by default) and your `pip` packages, with no apps. */
function lockPinning(pip: string[] = [], torch = "torch==2.7.1", wheel = "cu126"): LockFile {
  return {
    base: { os: "image", ref: "torchstack-local/debian:13", digest: null },
    platform: "x86_64",
    stack: { python: "3.13", wheel },
    pins: { torch: [{ requirement: torch }], apps: [], pip: pip.map((requirement) => ({ requirement })) },
  } as unknown as LockFile;
}

/** torch==2.7.1 as PyPI's build, everything from one local Python index (keeping `previous`'s layers). */
function resolveTorchFromPypi(
  python: string,
  lock = lockPinning(),
  previous?: { lock: LockFile; set: WheelSet },
) {
  const index = { url: python, from: "test", netrc: null };
  return resolveWheelSet(
    {
      lock,
      torchFromPypi: true,
      indexes: { python: index, pytorch: index },
      ...(previous
        ? { previous: { set: previous.set, inputs: inputsOfLock(previous.lock, previous.set) } }
        : {}),
    },
    { run: runProcess, env: process.env },
  );
}

describe("resolving the wheel set with pip (local indexes)", () => {
  it("takes only torch from the PyTorch index and the rest from the Python index, by hash and layer", async () => {
    const torchSha = await addWheel(
      "pytorch/cu128",
      "torch",
      "2.7.1+cu128",
      "cp313-cp313-manylinux_2_28_x86_64",
      ["typing-extensions>=4.10", "nvidia-nccl-cu12==2.26.2; platform_system == 'Linux'"],
    );
    await addWheel("pytorch/cu128", "typing-extensions", "4.99.0", "py3-none-any");
    await addWheel("pypi", "typing-extensions", "4.12.2", "py3-none-any");
    await addWheel("pypi", "nvidia-nccl-cu12", "2.26.2", "py3-none-manylinux2014_x86_64");
    await addWheel("pypi", "rich", "14.0.0", "py3-none-any", ["typing-extensions"]);
    const lock = lockPinning(["rich"], "torch==2.7.1+cu128", "cu128");
    const python = `file://${join(root, "pypi")}`;
    const set = await resolveWheelSet(
      {
        lock,
        torchFromPypi: false,
        indexes: {
          python: { url: python, from: "test", netrc: null },
          pytorch: { url: `file://${join(root, "pytorch")}`, from: "test", netrc: null },
        },
      },
      { run: runProcess, env: process.env },
    );
    const by = Object.fromEntries(set.wheels.map((w) => [w.name, w]));
    expect(by.torch).toMatchObject({ version: "2.7.1+cu128", sha256: torchSha, layer: "torch" });
    expect(by.torch?.index).toBe(`file://${join(root, "pytorch")}/cu128`);
    // Never the PyTorch index's copy of a dependency (4.99.0 there), always the Python index's.
    expect(by["typing-extensions"]).toMatchObject({ version: "4.12.2", index: python, layer: "torch" });
    expect(by["nvidia-nccl-cu12"]).toMatchObject({ version: "2.26.2", index: python, layer: "torch" });
    expect(by.rich).toMatchObject({ layer: "pip", index: python });
    expect(set.torchIndex).toBe(`file://${join(root, "pytorch")}/cu128`);
    expect(set.platforms[0]).toBe("manylinux_2_41_x86_64");
    // This Python index has no uv: no installer layer, and the image installs with pip.
    expect(set.wheels.filter((w) => w.layer === "installer")).toEqual([]);
  }, 120_000);

  it("locks the installer, uv, by hash in a layer of its own when the Python index has it", async () => {
    await addWheel("pypi-uv", "typing-extensions", "4.12.2", "py3-none-any");
    await addWheel("pypi-uv", "torch", "2.7.1", "cp313-cp313-manylinux_2_28_x86_64", ["typing-extensions"]);
    await addWheel("pypi-uv", "uv", "0.14.0", "py3-none-manylinux_2_17_x86_64"); // outside the range
    const uvSha = await addWheel("pypi-uv", "uv", "0.13.9", "py3-none-manylinux_2_17_x86_64");
    const python = `file://${join(root, "pypi-uv")}`;
    const set = await resolveTorchFromPypi(python);
    expect(set.wheels.filter((w) => w.layer === "installer")).toEqual([
      expect.objectContaining({ name: "uv", version: "0.13.9", sha256: uvSha, index: python }),
    ]);
    expect(set.wheels.find((w) => w.name === "torch")?.layer).toBe("torch");
  }, 120_000);

  it("keeps the previous lock's torch layer and installer when a dependency's new release arrives", async () => {
    await addWheel("pypi-keep", "typing-extensions", "4.12.2", "py3-none-any");
    await addWheel("pypi-keep", "torch", "2.7.1", "cp313-cp313-manylinux_2_28_x86_64", ["typing-extensions"]);
    await addWheel("pypi-keep", "uv", "0.13.8", "py3-none-manylinux_2_17_x86_64");
    await addWheel("pypi-keep", "rich", "14.0.0", "py3-none-any", ["typing-extensions>=4"]);
    const python = `file://${join(root, "pypi-keep")}`;
    const first = await resolveTorchFromPypi(python);
    const version = (set: WheelSet, name: string) => set.wheels.find((w) => w.name === name)?.version;
    expect(version(first, "typing-extensions")).toBe("4.12.2");
    await addWheel("pypi-keep", "typing-extensions", "4.13.0", "py3-none-any");
    await addWheel("pypi-keep", "uv", "0.13.9", "py3-none-manylinux_2_17_x86_64");
    // One package of yours more: torch's layer and uv stay as locked, yours resolves under them.
    const grown = await resolveTorchFromPypi(python, lockPinning(["rich"]), {
      lock: lockPinning(),
      set: first,
    });
    expect(grown.wheels.filter((w) => w.layer !== "pip")).toEqual(first.wheels);
    expect(version(grown, "rich")).toBe("14.0.0");
    // Without a previous lock (lock --upgrade), the newest releases.
    const fresh = await resolveTorchFromPypi(python, lockPinning(["rich"]));
    expect(version(fresh, "typing-extensions")).toBe("4.13.0");
    expect(version(fresh, "uv")).toBe("0.13.9");
  }, 120_000);

  it("names the package an index cannot serve: E_WHEELS_UNRESOLVED, not a bare process error", async () => {
    await addWheel("pypi-bare", "typing-extensions", "4.12.2", "py3-none-any");
    const python = `file://${join(root, "pypi-bare")}`;
    const resolving = resolveTorchFromPypi(python);
    await expect(resolving).rejects.toMatchObject({
      code: "E_WHEELS_UNRESOLVED",
      message: expect.stringContaining("torch==2.7.1"),
    });
  }, 120_000);
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinCatalog } from "../../../src/catalog/catalog.js";
import { renderDockerfile } from "../../../src/image/render-dockerfile.js";
import { buildLock } from "../../../src/lock/build-lock.js";
import { requestFromSpec, resolvedForSpec } from "../../../src/resolve/request-from-spec.js";
import { resolveStack } from "../../../src/resolve/resolve-stack.js";
import { nameFromDirectory } from "../../../src/spec/init-spec.js";
import { parseSpecText } from "../../../src/spec/load-spec.js";
import { PRESET_NAMES, PRESETS } from "../../../src/spec/presets.js";
import { renderSpecTemplate } from "../../../src/spec/spec-template.js";
import { hostTargets } from "../../../src/workflows/init-targets.js";
import { runCliInMemory } from "../../support/run-cli-in-memory.js";

const fixtures = join(import.meta.dirname, "../../fixtures/specs");
function preset(name: string) {
  const found = PRESETS[name];
  if (!found) throw new Error(`no preset ${name}`);
  return found;
}
const noDriver = { driver: null, driverSource: "none", gpus: [] };
const h100 = {
  driver: "570.124.06",
  driverSource: "/sys/module/nvidia/version",
  gpus: [{ index: 0, name: "NVIDIA H100 80GB HBM3", computeCapability: "9.0", uuid: "GPU-1" }],
};

/** A host with this driver and these GPUs (name, compute capability), as host detection reports one. */
function hostWith(driver: string, gpus: [name: string, computeCapability: string][]) {
  return {
    driver,
    driverSource: "/sys/module/nvidia/version",
    gpus: gpus.map(([name, computeCapability], index) => ({
      index,
      name,
      computeCapability,
      uuid: `GPU-${index + 1}`,
    })),
  };
}

describe("the init template", () => {
  it.each(PRESET_NAMES)("preset %s loads as a valid spec", (name) => {
    for (const host of [null, noDriver, h100]) {
      const spec = parseSpecText(renderSpecTemplate({ preset: preset(name), name: "demo", host }));
      expect(spec.name).toBe("demo");
      expect(spec.apps?.jupyter).toBe(true);
    }
  });

  it("corrects the often-quoted impossible 2.7 stack and pins CUDA 12.8 when no driver is found", () => {
    const text = renderSpecTemplate({
      preset: preset("pytorch-2.7"),
      name: "x",
      host: noDriver,
    });
    expect(text).toContain('"PyTorch 2.7 + CUDA 12.3 + cuDNN 8.9 + NCCL 2.18", as often quoted, does not');
    expect(text).toContain("no NVIDIA driver found");
    const spec = parseSpecText(text);
    expect(spec).toMatchObject({ torch: "2.7.1", cuda: "12.8", torchSource: "wheels" });
  });

  it.each(PRESET_NAMES)("preset %s speaks in the user's terms: no articles the user never read", (name) => {
    const text = renderSpecTemplate({ preset: preset(name), name: "x", host: noDriver });
    expect(text).not.toMatch(/article/i);
  });

  it("notes the host's driver and GPUs and lets cuda fit them (auto)", () => {
    const text = renderSpecTemplate({
      preset: preset("pytorch-2.9"),
      name: "x",
      host: h100,
    });
    expect(text).toContain("# Host: NVIDIA driver 570.124.06 (read from /sys/module/nvidia/version).");
    expect(text).toContain("#   GPU 0: NVIDIA H100 80GB HBM3, compute capability 9.0");
    expect(parseSpecText(text).cuda).toBe("auto");
  });

  it("on a host with a driver, writes its GPUs and driver floor as targets and a CUDA the lock keeps", () => {
    const rtx = hostWith("570.86.15", [
      ["NVIDIA GeForce RTX 5090", "12.0"],
      ["NVIDIA GeForce RTX 5090", "12.0"],
    ]);
    const targets = hostTargets(preset("pytorch-2.7"), rtx, "x86_64", builtinCatalog);
    expect(targets).toEqual({ gpus: ["NVIDIA GeForce RTX 5090"], driver: "570.86", cuda: "12.8" });
    const text = renderSpecTemplate({
      preset: preset("pytorch-2.7"),
      name: "x",
      host: rtx,
      ...(targets ? { targets } : {}),
    });
    const spec = parseSpecText(text);
    expect(spec).toMatchObject({
      targets: { gpus: ["NVIDIA GeForce RTX 5090"], driver: "570.86" },
      cuda: "12.8",
    });
    expect(text).toMatch(/# targets: where the image must run, written from this host's GPUs and driver/);
    // The spec now resolves the same without the host: the lock can keep this CUDA on any machine.
    const again = resolveStack(requestFromSpec(spec, resolvedForSpec(spec, undefined, "x86_64")));
    expect(again.stack).toMatchObject({ torch: "2.7.1", wheel: "cu128" });
    expect(hostTargets(preset("pytorch-2.7"), noDriver, "x86_64", builtinCatalog)).toBeUndefined();
    expect(hostTargets(preset("cpu"), rtx, "x86_64", builtinCatalog)).toBeUndefined();
  });

  it("writes a GPU the catalog does not know by the capability nvidia-smi reports (a spec may not name it)", () => {
    const future = hostWith("610.10.01", [
      ["NVIDIA Frobnicator X1", "12.0"],
      ["NVIDIA H100 80GB HBM3", "9.0"],
    ]);
    const targets = hostTargets(preset("pytorch-2.7"), future, "x86_64", builtinCatalog);
    expect(targets?.gpus).toEqual(["sm_120", "NVIDIA H100 80GB HBM3"]);
    const spec = parseSpecText(
      renderSpecTemplate({
        preset: preset("pytorch-2.7"),
        name: "x",
        host: future,
        ...(targets ? { targets } : {}),
      }),
    );
    expect(spec.targets?.gpus).toEqual(["sm_120", "NVIDIA H100 80GB HBM3"]);
  });

  it("makes a spec name from a directory name", () => {
    expect(nameFromDirectory("/home/me/My Project!")).toBe("my-project");
    expect(nameFromDirectory("/")).toBe("torch");
  });
});

describe("golden Dockerfiles for the presets (resolved by the real resolver, no GPU host)", () => {
  it.each(PRESET_NAMES)("%s", async (name) => {
    const spec = parseSpecText(
      renderSpecTemplate({ preset: preset(name), name: `preset-${name}`, host: noDriver }),
    );
    const { stack } = resolveStack(requestFromSpec(spec, resolvedForSpec(spec, undefined, "x86_64")));
    const dockerfile = renderDockerfile(buildLock({ spec, specFile: "torchstack.yaml", stack }), {
      syntax: false,
    });
    await expect(dockerfile).toMatchFileSnapshot(join(fixtures, "golden", `preset-${name}.Dockerfile`));
  });
});

describe("torchstack init (CLI)", () => {
  it("writes the spec, refuses to overwrite, and replaces it with --force", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ts-init-"));
    const first = await runCliInMemory(["init", "--preset", "cpu", "--name", "demo", "--json"], { cwd });
    expect(first.code).toBe(0);
    const out = JSON.parse(first.stdout) as { ok: boolean; file: string; preset: string; host: unknown };
    expect(out).toMatchObject({ ok: true, file: join(cwd, "torchstack.yaml"), preset: "cpu" });
    expect(out.host).toHaveProperty("driver");
    expect(readFileSync(out.file, "utf8")).toContain("torchSource: distro");

    writeFileSync(out.file, "name: mine\n");
    const again = await runCliInMemory(["init", "--json"], { cwd });
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).error.code).toBe("E_SPEC_EXISTS");
    expect(readFileSync(out.file, "utf8")).toBe("name: mine\n");

    const forced = await runCliInMemory(["init", "--force", "--preset", "pytorch-2.9", "--name", "demo"], {
      cwd,
    });
    expect(forced.code).toBe(0);
    expect(readFileSync(out.file, "utf8")).toContain('torch: "2.9.1"');
  });

  it("writes to -o FILE, and the result resolves and renders", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ts-init-"));
    expect(
      (await runCliInMemory(["init", "-o", "gpu.yaml", "--name", "gpu", "--no-host"], { cwd })).code,
    ).toBe(0);
    const render = await runCliInMemory(
      ["render", "-f", "gpu.yaml", "-o", "ctx", "--no-syntax", "--no-host"],
      { cwd },
    );
    expect(render.code).toBe(0);
    expect(readFileSync(join(cwd, "ctx/Dockerfile"), "utf8")).toContain(
      "--index-url https://pypi.org/simple torch==2.14.1",
    );
  });

  it("answers a bad preset or name with a usage error (exit 2)", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ts-init-"));
    expect((await runCliInMemory(["init", "--preset", "pytorch-3.0"], { cwd })).code).toBe(2);
    expect((await runCliInMemory(["init", "--name", "Bad Name"], { cwd })).code).toBe(2);
  });
});

describe("garbage specs never crash the CLI", () => {
  it.each([
    ["binary", "\u0000\u0001\u0002\uffff"],
    ["tabs", "name:\tx\n\tbad"],
    ["deep", `name: x\nrun: ${"{a: ".repeat(60)}1${"}".repeat(60)}\n`],
    ["typo", readFileSync(join(fixtures, "typo.yaml"), "utf8")],
  ])("%s → exit 1 with a located spec error", async (_label, text) => {
    const cwd = mkdtempSync(join(tmpdir(), "ts-garbage-"));
    writeFileSync(join(cwd, "torchstack.yaml"), text);
    for (const argv of [
      ["lock", "--json"],
      ["render", "-o", "ctx", "--json"],
    ]) {
      const run = await runCliInMemory(argv, { cwd });
      expect(run.code).toBe(1);
      const out = JSON.parse(run.stdout) as { ok: boolean; error: { code: string; message: string } };
      expect(out.ok).toBe(false);
      expect(out.error.code).toMatch(/^E_SPEC_/);
      expect(out.error.message).toContain("torchstack.yaml");
    }
  });
});

describe("init with no preset", () => {
  it("starts from the newest confirmed stack in the catalog", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ts-init-latest-"));
    try {
      const run = await runCliInMemory(["init", "--no-host", "--name", "demo", "-o", "-", "--json"], { cwd });
      expect(run.code).toBe(0);
      const out = JSON.parse(run.stdout) as { preset: string; content: string };
      expect(out.preset).toBe("latest");
      const spec = parseSpecText(out.content);
      expect(spec.torch).toBe(resolveStack({}).stack.torch);
      expect(spec.torch).toBe("2.14.1");
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

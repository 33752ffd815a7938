import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SpecError } from "../../../src/errors/torchstack-error.js";
import { findSpecFile, loadSpec, parseSpecText } from "../../../src/spec/load-spec.js";

const fixtures = join(import.meta.dirname, "../../fixtures/specs");
const fixture = (name: string) => join(fixtures, name);

async function specError(file: string): Promise<SpecError> {
  try {
    await loadSpec(file);
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
  throw new Error(`${file} loaded without error`);
}

function textError(text: string): SpecError {
  try {
    parseSpecText(text);
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
  throw new Error("parsed without error");
}

describe("loadSpec", () => {
  it("loads a valid spec", async () => {
    const { spec } = await loadSpec(fixture("cpu-distro.yaml"));
    expect(spec).toMatchObject({
      name: "cpu-example",
      torchSource: "distro",
      apps: { jupyter: true, ssh: true },
    });
  });

  it("names file, line, key and the nearest key for a typo", async () => {
    const error = await specError(fixture("typo.yaml"));
    expect(error.code).toBe("E_SPEC_UNKNOWN_KEY");
    expect(error.line).toBe(7);
    expect(error.message).toBe(
      `${fixture("typo.yaml")}:7: apps.jupytr: unknown key; did you mean apps.jupyter?`,
    );
    expect(error.remedies[0]).toContain("rename apps.jupytr to apps.jupyter");
  });

  it("lists the allowed values of an enum", async () => {
    const error = await specError(fixture("bad-enum.yaml"));
    expect(error.line).toBe(3);
    expect(error.key).toBe("flavor");
    expect(error.message).toContain("allowed values: runtime, toolchain, devel");
  });

  it("refuses tensorboard with distro torch, at the tensorboard line", async () => {
    const error = await specError(fixture("distro-tensorboard.yaml"));
    expect(error.code).toBe("E_SPEC_CONFLICT");
    expect(error.line).toBe(5);
    expect(error.message).toContain("Debian 12 has no tensorboard package");
  });

  it("merges extends: child wins, lists replaced, maps merged", async () => {
    const { spec } = await loadSpec(fixture("derived.yaml"));
    expect(spec.name).toBe("derived");
    expect(spec.flavor).toBe("toolchain");
    expect(spec.packages).toEqual({ pip: ["transformers"], apt: ["git"] });
    expect(spec.apps).toEqual({ jupyter: { port: 8899 }, ssh: true });
    expect(spec.run).toEqual({ shm: "8g" });
  });

  it("blames the parent file for an error written in the parent", async () => {
    const error = await specError(fixture("bad-parent-child.yaml"));
    expect(error.file).toBe(fixture("bad-parent.yaml"));
    expect(error.line).toBe(3);
    expect(error.key).toBe("cuda");
  });

  it("refuses an extends cycle with a clear error", async () => {
    const error = await specError(fixture("cycle-a.yaml"));
    expect(error.code).toBe("E_SPEC_EXTENDS_CYCLE");
    expect(error.message).toMatch(/cycle-a\.yaml → .*cycle-b\.yaml → .*cycle-a\.yaml/);
  });

  it("reports YAML syntax errors with line and column", () => {
    const error = textError("name: x\napps:\n  jupyter: [true\n");
    expect(error.code).toBe("E_SPEC_YAML");
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.message).toMatch(/column \d+/);
  });

  it("refuses duplicate keys", () => {
    expect(textError("name: x\nname: y\n").code).toBe("E_SPEC_YAML");
  });

  it("says a required key is missing", () => {
    const error = textError("torch: '2.7'\n");
    expect(error.key).toBe("name");
    expect(error.message).toContain("missing required key");
  });

  it("explains union forms (cuda, base, apps)", () => {
    expect(textError("name: x\ncuda: '12'\n").message).toContain("auto, cpu or a CUDA version");
    expect(textError("name: x\nbase: ubuntu-20.04\n").message).toContain(
      "ubuntu-22.04, ubuntu-24.04, debian-12",
    );
    const nested = textError("name: x\napps:\n  ssh:\n    prot: 22\n");
    expect(nested.message).toContain("apps.ssh.prot: unknown key; did you mean apps.ssh.port?");
    expect(nested.line).toBe(4);
  });

  it("explains unquoted versions that YAML read as numbers", () => {
    const error = textError("name: x\ncuda: 12.8\n");
    expect(error.message).toContain("got the number 12.8");
    expect(error.remedies[0]).toContain('cuda: "12.8"');
    expect(textError("name: x\npython: 3.10\n").message).toContain("3.10 becomes 3.1");
  });

  it("refuses two apps on one port", () => {
    const error = textError("name: x\napps:\n  jupyter: { port: 2222 }\n  ssh: true\n");
    expect(error.code).toBe("E_SPEC_CONFLICT");
    expect(error.message).toContain("port 2222 is also used by apps.jupyter");
  });

  it("refuses torch in packages.pip and pip options, at the item's line", () => {
    const torch = textError('name: x\npackages:\n  pip:\n    - numpy\n    - "torch>=2"\n');
    expect(torch.code).toBe("E_SPEC_CONFLICT");
    expect(torch.line).toBe(5);
    expect(torch.key).toBe("packages.pip[1]");
    expect(textError('name: x\npackages: { pip: ["--extra-index-url=http://evil"] }\n').message).toContain(
      "no pip options",
    );
  });

  it("refuses what distro torch cannot do", () => {
    expect(textError("name: x\ntorchSource: distro\ncuda: '12.8'\n").message).toContain("CPU only");
    expect(textError("name: x\ntorchSource: distro\napps: { vscode: true }\n").key).toBe("apps.vscode");
    expect(textError("name: x\ntorchSource: distro\napps: { jupyter: { lab: true } }\n").message).toContain(
      "no JupyterLab",
    );
    expect(textError("name: x\ntorchSource: distro\npython: '3.12'\n").key).toBe("python");
  });

  it("limits alias expansion (billion laughs)", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++)
      lines.push(
        `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [${Array(10)
          .fill(`*${i === 0 ? "a" : "bcdefghi"[i - 1]}`)
          .join(", ")}]`,
      );
    lines.push("name: x");
    expect(textError(lines.join("\n")).code).toBe("E_SPEC_YAML");
  });

  it("limits nesting depth and file size", () => {
    expect(textError(`name: x\nrun:\n  env: ${"[".repeat(100)}${"]".repeat(100)}\n`).message).toContain(
      "nesting",
    );
    expect(textError(`name: x\n# ${"x".repeat(1024 * 1024)}\n`).code).toBe("E_SPEC_TOO_LARGE");
  });
});

describe("loadSpec limits", () => {
  it("refuses a spec file over 1 MiB before reading it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-big-"));
    const file = join(dir, "torchstack.yaml");
    writeFileSync(file, `name: x\n#${"x".repeat(1024 * 1024)}\n`);
    expect((await specError(file)).code).toBe("E_SPEC_TOO_LARGE");
  });
});

describe("findSpecFile", () => {
  it("finds torchstack.yaml in the directory, or says how to make one", () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-find-"));
    expect(() => findSpecFile(dir)).toThrow(/no torchstack\.yaml in .*run `torchstack init` or pass -f FILE/);
    writeFileSync(join(dir, "torchstack.yaml"), "name: x\n");
    expect(findSpecFile(dir)).toBe(join(dir, "torchstack.yaml"));
    expect(() => findSpecFile(dir, "missing.yaml")).toThrow(SpecError);
  });
});

/**
 * A lock with a wheel set renders a build that installs exactly those wheels by
 * hash in three layers, checks torch in the build, freezes everything at the end,
 * and never takes packages from the PyTorch index alone nor carries credentials.
 */
import { describe, expect, it } from "vitest";
import { renderBuildContext } from "../../../src/image/render-context.js";
import { buildLock } from "../../../src/lock/build-lock.js";
import type { LockFile } from "../../../src/lock/lock-schema.js";
import type { LockedWheel } from "../../../src/lock/wheels/wheel-set-schema.js";
import { parseSpecText } from "../../../src/spec/load-spec.js";
import { CU128_STACK } from "../../fixtures/specs/stacks.js";

const wheel = (name: string, version: string, layer: LockedWheel["layer"], index: string): LockedWheel => ({
  name,
  version,
  index,
  file: `${name.replace(/-/g, "_")}-${version}-py3-none-any.whl`,
  sha256: name.length.toString(16).padStart(2, "0").repeat(32),
  layer,
});

function lockWithWheels(): LockFile {
  const spec = parseSpecText(
    "name: w\nbase: image:torchstack-local/debian:13\npython: '3.13'\ntorch: 2.7.1\ncuda: '12.8'\npackages:\n  pip: [rich]\napps:\n  jupyter: true\n",
  );
  const lock = buildLock({ spec, specFile: "x", stack: { ...CU128_STACK, python: "3.13" } });
  const pt = "https://download.pytorch.org/whl/cu128";
  const py = "https://pypi.org/simple";
  return {
    ...lock,
    wheels: {
      resolver: "pip 25.1 install --dry-run --report",
      python: "3.13",
      platforms: ["manylinux_2_41_x86_64"],
      pythonIndex: py,
      torchIndex: pt,
      wheels: [
        wheel("torch", "2.7.1+cu128", "torch", pt),
        wheel("nvidia-cudnn-cu12", "9.7.1.26", "torch", py),
        wheel("jupyterlab", "4.4.9", "apps", py),
        wheel("rich", "14.0.0", "pip", py),
      ],
    },
  };
}

describe("a build from the locked wheel set", () => {
  const files = renderBuildContext({ lock: lockWithWheels() }).files;
  const file = (path: string) => files.find((f) => f.path === path)?.content ?? "";
  const dockerfile = file("Dockerfile");

  it("installs each layer's wheels by hash with no resolution, from the Python index plus torch's own", () => {
    expect(file("wheels/torch.txt")).toContain(`torch==2.7.1+cu128 --hash=sha256:${"05".repeat(32)}`);
    expect(file("wheels/apps.txt")).toContain("jupyterlab==4.4.9 --hash=sha256:");
    expect(file("wheels/pip.txt")).toContain("rich==14.0.0 --hash=sha256:");
    const installs = dockerfile.split("\n").filter((l) => /^\s+&& pip install/.test(l));
    expect(installs).toHaveLength(3);
    for (const line of installs) {
      expect(line).toContain("pip install --require-hashes --no-deps --only-binary=:all: --index-url");
      expect(line).toContain('--index-url "$TORCHSTACK_PYTHON_INDEX"');
    }
    expect(dockerfile).toContain("ARG TORCHSTACK_PYTHON_INDEX=https://pypi.org/simple");
    expect(dockerfile).toContain("--mount=type=cache,target=/root/.cache/pip");
    expect(dockerfile).toContain("--mount=type=secret,id=torchstack-netrc,target=/root/.netrc");
  });

  it("runs the self-check after torch, and freezes every wheel at the end", () => {
    const check = dockerfile.indexOf("torch_self_check.py");
    expect(check).toBeGreaterThan(dockerfile.indexOf("wheels/torch.txt"));
    expect(check).toBeLessThan(dockerfile.indexOf("wheels/apps.txt"));
    expect(dockerfile.indexOf("ENV PIP_CONSTRAINT")).toBeGreaterThan(dockerfile.indexOf("wheels/pip.txt"));
    expect(file("constraints.txt")).toContain("nvidia-cudnn-cu12==9.7.1.26");
    expect(JSON.parse(file("torch-check/expect.json"))).toMatchObject({ torch: "2.7.1+cu128", cuda: "12.8" });
  });

  it("uses the Debian 13 base's own Python, not a downloaded one", () => {
    expect(dockerfile).toContain("python3 -m venv /opt/venv");
    expect(dockerfile).not.toMatch(/ghcr\.io|uv python install/);
  });
});

describe("a build whose wheel set locks the installer (uv)", () => {
  const base = lockWithWheels();
  const sets = base.wheels;
  if (!sets) throw new Error("fixture has no wheel set");
  const lock: LockFile = {
    ...base,
    wheels: { ...sets, wheels: [...sets.wheels, wheel("uv", "0.13.9", "installer", sets.pythonIndex)] },
  };
  const files = renderBuildContext({ lock }).files;
  const file = (path: string) => files.find((f) => f.path === path)?.content ?? "";
  const dockerfile = file("Dockerfile");

  it("installs uv first, by pip and by hash, then every layer with uv by hash", () => {
    expect(file("wheels/installer.txt")).toContain("uv==0.13.9 --hash=sha256:");
    const lines = dockerfile.split("\n");
    const pipInstalls = lines.filter((l) => /^\s+&& pip install/.test(l));
    expect(pipInstalls).toEqual([expect.stringContaining("-r /etc/torchstack/wheels/installer.txt")]);
    const uvInstalls = lines.filter((l) =>
      /^\s+&& (UV_CACHE_DIR=\S+ )?UV_LINK_MODE=\w+ uv pip install/.test(l),
    );
    expect(uvInstalls).toHaveLength(3);
    for (const line of uvInstalls) {
      expect(line).toMatch(/--require-hashes --no-deps --only-binary :all:/);
      expect(line).toContain("--compile-bytecode");
      expect(line).toContain('--index-url "$TORCHSTACK_PYTHON_INDEX"');
    }
    // The PyTorch index serves torch's layer only, and either index may hold a wheel of it (the hash decides).
    expect(uvInstalls[0]).toContain(
      '--extra-index-url "$TORCHSTACK_TORCH_INDEX" --index-strategy unsafe-best-match',
    );
    expect(uvInstalls[1]).not.toContain("TORCHSTACK_TORCH_INDEX");
    expect(dockerfile.indexOf("wheels/installer.txt")).toBeLessThan(dockerfile.indexOf("wheels/torch.txt"));
    expect(dockerfile).toContain("--mount=type=cache,target=/root/.cache/uv");
    expect(dockerfile).toContain("export SSL_CERT_FILE=/run/secrets/torchstack-ca");
  });

  it("unpacks torch's layer on its own file system and hard-links it (no cache mount); later layers share one", () => {
    const runs = dockerfile.split(/\n(?=[A-Z]+ )/).filter((step) => step.includes("uv pip install"));
    const torch = runs.find((step) => step.includes("wheels/torch.txt")) ?? "";
    expect(torch).not.toContain("--mount=type=cache");
    expect(torch).toContain("--mount=type=secret,id=torchstack-netrc,target=/root/.netrc");
    expect(torch).toContain("UV_CACHE_DIR=/opt/.torchstack-wheels UV_LINK_MODE=hardlink uv pip install");
    expect(torch).toMatch(/^ {4}&& rm -rf \/opt\/\.torchstack-wheels$/m);
    const later = runs.filter((step) => !step.includes("wheels/torch.txt"));
    expect(later).toHaveLength(2);
    for (const step of later) {
      expect(step).toContain("--mount=type=cache,target=/root/.cache/uv");
      expect(step).toContain("UV_LINK_MODE=copy uv pip install");
    }
  });

  it("freezes for uv as well as pip, uv itself included", () => {
    expect(dockerfile).toMatch(/ENV PIP_CONSTRAINT=\/etc\/torchstack\/constraints.txt \\\n\s+UV_CONSTRAINT=/);
    expect(file("constraints.txt")).toContain("uv==0.13.9");
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderDockerfile } from "../../../src/image/render-dockerfile.js";
import { buildLock } from "../../../src/lock/build-lock.js";
import type { ResolvedStack } from "../../../src/resolve/stack.js";
import { parseSpecText } from "../../../src/spec/load-spec.js";
import { CU128_STACK, DISTRO_STACK } from "../../fixtures/specs/stacks.js";

const fixtures = join(import.meta.dirname, "../../fixtures/specs");
const golden = (name: string) => join(fixtures, "golden", `${name}.Dockerfile`);

function dockerfileFor(fixture: string, stack: ResolvedStack, syntax = false): string {
  const spec = parseSpecText(readFileSync(join(fixtures, fixture), "utf8"));
  return renderDockerfile(buildLock({ spec, specFile: fixture, stack }), { syntax });
}

describe("golden Dockerfiles", () => {
  it.each([
    ["cpu-distro", "cpu-distro.yaml", DISTRO_STACK],
    ["pytorch-2.7-cu128-runtime-jupyter", "pytorch-2.7.yaml", CU128_STACK],
    ["toolchain-uv-python", "toolchain-uv.yaml", CU128_STACK],
    ["devel-nvcc", "devel.yaml", CU128_STACK],
    ["image-base-vscode", "image-base.yaml", CU128_STACK],
  ] as const)("%s", async (name, fixture, stack) => {
    await expect(dockerfileFor(fixture, stack)).toMatchFileSnapshot(golden(name));
  });
});

describe("Dockerfile details", () => {
  it("has no syntax line unless asked for one (BuildKit's built-in frontend, nothing from Docker Hub)", () => {
    expect(dockerfileFor("pytorch-2.7.yaml", CU128_STACK, true).split("\n")[0]).toBe(
      "# syntax=docker/dockerfile:1",
    );
    expect(dockerfileFor("pytorch-2.7.yaml", CU128_STACK, false)).not.toContain("# syntax=");
  });

  it("builds distro torch from Debian packages in a venv that sees them", () => {
    const text = dockerfileFor("cpu-distro.yaml", DISTRO_STACK);
    expect(text).toContain("FROM torchstack-local/debian:12\n");
    expect(text).toContain("python3 -m venv --system-site-packages /opt/venv");
    expect(text).toContain(
      "python3-torch=1.13.1+dfsg-4 python3-torchvision=0.14.1-2 python3-torchaudio=0.13.1-1",
    );
    expect(text).toContain("python3-jupyter-server=1.23.3-1 openssh-server");
    expect(text).not.toContain("download.pytorch.org");
  });

  it("never puts the runtime flavor on a CUDA base; unhashed, only torch's own +cu128 builds come from the PyTorch index", () => {
    const text = dockerfileFor("pytorch-2.7.yaml", CU128_STACK);
    expect(text).toMatch(/^FROM ubuntu:24\.04$/m);
    expect(text).not.toMatch(/nvidia\/cuda|cudnn.*-runtime|cuda-toolkit/);
    expect(text).toContain(
      "pip install --index-url https://pypi.org/simple --extra-index-url https://download.pytorch.org/whl/cu128 torch==2.7.1+cu128",
    );
    expect(text).not.toMatch(/pip install --index-url https:\/\/download\.pytorch\.org/);
    expect(text).toContain("jupyterlab==4.4.9");
  });

  it("uses uv's pinned CPython only when the OS python does not match", () => {
    expect(dockerfileFor("toolchain-uv.yaml", CU128_STACK)).toContain("uv python install 3.12");
    expect(dockerfileFor("pytorch-2.7.yaml", CU128_STACK)).not.toContain("uv python");
  });

  it("installs nvcc pinned to the wheel's CUDA for devel", () => {
    expect(dockerfileFor("devel.yaml", CU128_STACK)).toContain("cuda-nvcc-12-8");
  });

  it("labels the image with the stack, apps and user, with no timestamps", () => {
    const text = dockerfileFor("cpu-distro.yaml", DISTRO_STACK);
    expect(text).toContain(
      'dev.torchstack.apps="{\\"jupyter\\":{\\"port\\":8888,\\"ui\\":\\"server\\"},\\"ssh\\":{\\"port\\":2222}}"',
    );
    expect(text).toContain('dev.torchstack.user="dev:1000:1000"');
    expect(text).toContain('dev.torchstack.spec-name="cpu-example"');
    expect(text).toContain(
      'HEALTHCHECK --interval=10s --timeout=5s --start-period=30s CMD ["/usr/local/bin/torchstack-healthcheck"]',
    );
    expect(text).not.toMatch(/image\.created|build-date|\d{4}-\d{2}-\d{2}T\d/i);
  });

  it("has no HEALTHCHECK when no app is on", () => {
    const spec = parseSpecText('name: bare\ntorch: "2.7.1"\ncuda: "12.8"\n');
    const text = renderDockerfile(buildLock({ spec, specFile: "x", stack: CU128_STACK }));
    expect(text).not.toContain("HEALTHCHECK");
    expect(text).not.toContain("EXPOSE");
  });
});

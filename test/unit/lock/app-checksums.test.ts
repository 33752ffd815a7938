import { describe, expect, it } from "vitest";
import { renderDockerfile } from "../../../src/image/render-dockerfile.js";
import { assertAppChecksums } from "../../../src/lock/app-checksums.js";
import { buildLock } from "../../../src/lock/build-lock.js";
import { parseSpecText } from "../../../src/spec/load-spec.js";
import { CU128_STACK } from "../../fixtures/specs/stacks.js";

const SHA = "a".repeat(64);
const lockFor = (vscode: string) =>
  buildLock({
    spec: parseSpecText(
      `name: ide\ntorch: "2.7.1"\ncuda: "12.8"\npython: "3.12"\napps: { vscode: ${vscode} }\n`,
    ),
    specFile: "torchstack.yaml",
    stack: CU128_STACK,
  });

describe("code-server's checksum", () => {
  it("refuses a vscode app whose sha256 is unknown, with the exact fix", () => {
    let error: unknown;
    try {
      assertAppChecksums(lockFor("true"));
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: "E_APP_CHECKSUM_UNKNOWN" });
    const remedies = (error as { remedies: string[] }).remedies;
    expect(remedies[0]).toMatch(
      /^on a machine with network access: curl -fsSL https:\/\/github\.com\/coder\/code-server\/releases\/download\/v[\d.]+\/code-server-[\d.]+-linux-amd64\.tar\.gz \| sha256sum$/,
    );
    expect(remedies[1]).toBe(
      "then set it in torchstack.yaml: apps: { vscode: { sha256: <the 64 hex digits> } }",
    );
  });

  it("takes the spec's sha256, and the rendered build verifies the download with it (no build argument needed)", () => {
    const lock = lockFor(`{ sha256: ${SHA} }`);
    expect(() => assertAppChecksums(lock)).not.toThrow();
    expect(lock.pins.apps.find((p) => p.name === "code-server")?.sha256).toBe(SHA);
    const lines = renderDockerfile(lock, { syntax: false }).split("\n");
    expect(lines).toContain(`ARG CODE_SERVER_SHA256=${SHA}`);
    const run = lines.slice(lines.indexOf(`ARG CODE_SERVER_SHA256=${SHA}`) + 1).join("\n");
    expect(run).toMatch(
      /curl -fsSLo \/tmp\/code-server\.tgz https:\/\/github\.com\/coder\/code-server\/releases\//,
    );
    expect(run).toContain('echo "$CODE_SERVER_SHA256  /tmp/code-server.tgz" | sha256sum -c -');
    expect(run.indexOf("sha256sum -c")).toBeLessThan(run.indexOf("tar -xzf /tmp/code-server.tgz"));
  });

  it("rejects a sha256 that is not 64 hex digits in the spec", () => {
    expect(() => parseSpecText("name: x\napps: { vscode: { sha256: abc } }\n")).toThrow(/sha256/);
  });
});

import { describe, expect, it } from "vitest";
import { buildInvocation, detectBuildClient } from "../../../../src/engine/build/build-client.js";
import type { ProcessRunner } from "../../../../src/process/run-process.js";

/** A fake `docker`: versions by path, and which paths have buildx. */
function fakeDocker(versions: Record<string, string>, buildx: string[]): ProcessRunner {
  return async (file, args) => {
    const ok = args[0] === "version" ? file in versions : buildx.includes(file);
    return {
      command: [file, ...args],
      exitCode: ok ? 0 : 1,
      signal: null,
      stdout: versions[file] ?? "",
      stderr: "",
      timedOut: false,
    };
  };
}

describe("detectBuildClient", () => {
  it("prefers a client with buildx", async () => {
    const client = await detectBuildClient(
      {},
      fakeDocker({ "/a/docker": "28.2.2", "/usr/bin/docker": "20.10.24" }, ["/a/docker"]),
      ["/a/docker", "/usr/bin/docker"],
    );
    expect(client).toMatchObject({ kind: "buildx", docker: "/a/docker" });
    expect(
      buildInvocation(client, { contextDir: "ctx", tag: "t", noCache: true, network: "host" }, {}).argv,
    ).toEqual([
      "buildx",
      "build",
      "--load",
      "--progress=plain",
      "-t",
      "t",
      "--network",
      "host",
      "--no-cache",
      "ctx",
    ]);
  });

  it("falls back to a pre-23 classic client with DOCKER_BUILDKIT=1, skipping a newer client without buildx", async () => {
    const client = await detectBuildClient(
      {},
      fakeDocker({ "/usr/local/bin/docker": "28.2.2", "/usr/bin/docker": "20.10.24+dfsg1" }, []),
      ["/usr/local/bin/docker", "/usr/bin/docker"],
    );
    expect(client).toMatchObject({ kind: "classic-buildkit", docker: "/usr/bin/docker" });
    expect(client.reason).toContain("/usr/local/bin/docker 28.2.2 has no buildx");
    expect(
      buildInvocation(client, { contextDir: "ctx", tag: "t", noCache: false }, {}).env.DOCKER_BUILDKIT,
    ).toBe("1");
  });

  it("fails clearly when no client can use BuildKit", async () => {
    await expect(
      detectBuildClient({}, fakeDocker({ "/usr/local/bin/docker": "28.2.2" }, []), ["/usr/local/bin/docker"]),
    ).rejects.toMatchObject({
      code: "E_NO_BUILDKIT",
      remedies: expect.arrayContaining([expect.stringContaining("buildx")]),
    });
  });
});

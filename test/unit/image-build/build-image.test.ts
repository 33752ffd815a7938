import { describe, expect, it } from "vitest";
import type { BuildClient } from "../../../src/engine/build/build-client.js";
import type { Engine, ImageClient } from "../../../src/engine/engine-client.js";
import { ProcessError } from "../../../src/errors/torchstack-error.js";
import { buildImage } from "../../../src/image-build/build-image.js";
import type { ProcessRunner } from "../../../src/process/run-process.js";
import { silentReporter } from "../../../src/report/reporter.js";

const SUCCESS = `#1 [internal] load build definition from Dockerfile
#1 DONE 0.0s
#5 [stage-0 2/4] RUN apt-get update
#5 CACHED
#7 [stage-0 3/4] RUN apt-get install -y python3-torch
#7 CACHED
#8 [stage-0 4/4] COPY rootfs/ /
#8 DONE 0.1s
`;

const FAILURE = `#5 [stage-0 2/4] RUN apt-get update
#5 CACHED
#9 [stage-0 3/4] RUN apt-get install -y --no-install-recommends torchstack-no-such-package
#9 0.512 Reading package lists...
#9 1.020 E: Unable to locate package torchstack-no-such-package
#9 ERROR: executor failed running [/bin/sh -c apt-get install -y torchstack-no-such-package]: exit code: 100
`;

// Recorded on this project's CI machine (Docker 20.10.24, BuildKit, no route to Docker Hub), 2026-12-05:
// `DOCKER_BUILDKIT=1 docker build --progress=plain` of `FROM debian:12-slim`.
const PULL_FAILURE = `#3 [internal] load metadata for docker.io/library/debian:12-slim
#3 sha256:6f25feb8426b0cda44124eda839e7303ab0aa7572bcb76568ca13c6ee796df72
#3 ERROR: failed to do request: Head "https://registry-1.docker.io/v2/library/debian/manifests/12-slim": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host
------
 > [internal] load metadata for docker.io/library/debian:12-slim:
------
failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request: Head "https://registry-1.docker.io/v2/library/debian/manifests/12-slim": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host
`;

function fakeEngine() {
  const calls: string[] = [];
  const images: ImageClient = {
    inspect: async (ref) => ({
      id: "sha256:new",
      tags: [ref],
      repoDigests: [],
      labels: {},
      sizeBytes: 1,
      layers: [],
    }),
    tag: async (ref, target) => {
      calls.push(`tag ${ref} ${target}`);
    },
    remove: async (ref) => {
      calls.push(`remove ${ref}`);
    },
    list: async () => [],
  };
  const engine = { endpoint: { strategy: "test", host: "unix:///test.sock" }, images } as unknown as Engine;
  return { engine, calls };
}

const client: BuildClient = {
  kind: "classic-buildkit",
  docker: "/usr/bin/docker",
  version: "20.10.24",
  reason: "test",
};

function runner(output: string, fail: boolean, seen: string[][] = []): ProcessRunner {
  return async (file, args, options) => {
    seen.push([
      file,
      ...args,
      `DOCKER_BUILDKIT=${options?.env?.DOCKER_BUILDKIT}`,
      `DOCKER_HOST=${options?.env?.DOCKER_HOST}`,
    ]);
    for (const line of output.split(/(?<=\n)/)) options?.onStderr?.(line);
    const result = {
      command: [file, ...args],
      exitCode: fail ? 1 : 0,
      signal: null,
      stdout: "",
      stderr: output,
      timedOut: false,
    };
    if (fail) throw new ProcessError("docker build exited with 1", result);
    return result;
  };
}

const input = (engine: Engine, run: ProcessRunner, signal = new AbortController().signal) => ({
  engine,
  client,
  run,
  contextDir: "/tmp/ctx",
  repository: "demo",
  tags: ["demo:torch1.13.1-cpu-py3.11-runtime", "demo:lock-0123456789ab"],
  noCache: false,
  env: {},
  reporter: silentReporter,
  signal,
});

describe("buildImage", () => {
  it("builds under a temporary tag, then moves the real tags and drops the temporary one", async () => {
    const { engine, calls } = fakeEngine();
    const seen: string[][] = [];
    const built = await buildImage(input(engine, runner(SUCCESS, false, seen)));
    const argv = seen[0] ?? [];
    expect(argv.slice(0, 3)).toEqual(["/usr/bin/docker", "build", "--progress=plain"]);
    expect(argv).toContain("DOCKER_BUILDKIT=1");
    expect(argv).toContain("DOCKER_HOST=unix:///test.sock");
    const temp = argv[argv.indexOf("-t") + 1] ?? "";
    expect(temp).toMatch(/^demo:building-/);
    expect(calls).toEqual([
      `tag ${temp} demo:torch1.13.1-cpu-py3.11-runtime`,
      `tag ${temp} demo:lock-0123456789ab`,
      `remove ${temp}`,
    ]);
    expect(built.cachedSteps).toEqual([
      "[stage-0 2/4] RUN apt-get update",
      "[stage-0 3/4] RUN apt-get install -y python3-torch",
    ]);
  });

  it("moves no tag when the build fails, and quotes the failing step and its output", async () => {
    const { engine, calls } = fakeEngine();
    const error = await buildImage(input(engine, runner(FAILURE, true))).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "E_BUILD_FAILED" });
    const message = (error as Error).message;
    expect(message).toContain(
      "step [stage-0 3/4] RUN apt-get install -y --no-install-recommends torchstack-no-such-package failed",
    );
    expect(message).toContain("E: Unable to locate package torchstack-no-such-package");
    expect(calls.filter((c) => c.startsWith("tag"))).toEqual([]);
  });

  it("a base image that cannot be pulled names the registry and the local base, not a package name", async () => {
    const { engine } = fakeEngine();
    const error = (await buildImage(input(engine, runner(PULL_FAILURE, true))).catch((e: unknown) => e)) as {
      code: string;
      message: string;
      remedies: string[];
    };
    expect(error.code).toBe("E_BUILD_FAILED");
    expect(error.message).toContain(
      "the base image docker.io/library/debian:12-slim could not be pulled: registry registry-1.docker.io did not answer",
    );
    const fixes = error.remedies.join("\n");
    expect(fixes).toContain("base: image:torchstack-local/debian:12");
    expect(fixes).toContain("npm run engine:setup");
    expect(fixes).toContain("mirror");
    expect(fixes).not.toContain("misspelt");
    expect(fixes).not.toMatch(/lock (is|are) unchanged/); // the workflow says what happened to the lock
  });

  it("reports steps in order although BuildKit announces parallel ones out of order", async () => {
    const { engine } = fakeEngine();
    const outOfOrder = `#4 [stage-0 1/4] FROM torchstack-local/debian:12
#4 DONE 0.0s
#5 [stage-0 2/4] RUN apt-get update
#5 CACHED
#8 [stage-0 4/4] COPY rootfs/ /
#8 DONE 0.1s
#7 [stage-0 3/4] RUN apt-get install -y python3-torch
#7 CACHED
`;
    const lines: string[] = [];
    const reporter = {
      step: (m: string) => lines.push(m),
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      debug: () => {},
    };
    await buildImage({ ...input(engine, runner(outOfOrder, false)), reporter });
    expect(lines).toEqual([
      "[stage-0 1/4] FROM torchstack-local/debian:12",
      "[stage-0 2/4] RUN apt-get update",
      "[stage-0 2/4] cached",
      "[stage-0 3/4] RUN apt-get install -y python3-torch",
      // step 4 had started (and finished) already: it follows 3 at once; 3's own result comes as it arrives
      "[stage-0 4/4] COPY rootfs/ /",
      "[stage-0 3/4] cached",
    ]);
  });

  it("moves no tag when interrupted", async () => {
    const { engine, calls } = fakeEngine();
    const controller = new AbortController();
    controller.abort();
    await expect(buildImage(input(engine, runner(SUCCESS, true), controller.signal))).rejects.toMatchObject({
      code: "E_INTERRUPTED",
    });
    expect(calls.filter((c) => c.startsWith("tag"))).toEqual([]);
  });
});

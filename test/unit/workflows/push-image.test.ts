import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine-client.js";
import { ProcessError, UsageError } from "../../../src/errors/torchstack-error.js";
import type { LockFile } from "../../../src/lock/lock-schema.js";
import type { ProcessRunner } from "../../../src/process/run-process.js";
import { silentReporter } from "../../../src/report/reporter.js";
import type { EnvironmentImage } from "../../../src/workflows/environment-image.js";
import {
  digestFromPushOutput,
  mergeImages,
  normalizeRegistry,
  pushFailure,
  pushImage,
  registryRef,
} from "../../../src/workflows/push-image.js";

const D1 = `sha256:${"1".repeat(64)}`;
const D2 = `sha256:${"2".repeat(64)}`;

const lock: LockFile = {
  lockVersion: 1,
  name: "demo",
  specHash: `sha256:${"a".repeat(64)}`,
  torchSource: "distro",
  flavor: "runtime",
  stack: {
    torch: "1.13.1",
    wheel: "cpu",
    cuda: null,
    cudnn: null,
    nccl: null,
    python: "3.11",
    torchvision: null,
    torchaudio: null,
    minDriver: null,
    archList: [],
  },
  base: { os: "debian-12", ref: "torchstack-local/debian:12", digest: null },
  indexUrl: null,
  pins: { torch: [], pip: [], apt: [], apps: [] },
  apps: {},
  user: { name: "dev", uid: 1000, gid: 1000 },
  images: [{ ref: "other.example:5000/demo:lock-abc", digest: D2 }],
};

function processFailure(stderr: string): ProcessError {
  return new ProcessError("`docker push x` exited with 1", {
    command: ["docker", "push", "x"],
    exitCode: 1,
    signal: null,
    stderr,
    timedOut: false,
  });
}

function setup(push: (ref: string) => string | Error) {
  const dir = mkdtempSync(join(tmpdir(), "torchstack-push-unit-"));
  const lockPath = join(dir, "torchstack.lock");
  writeFileSync(lockPath, "original\n");
  const calls: string[] = [];
  const engine = {
    endpoint: { strategy: "test", host: "unix:///test.sock" },
    images: {
      tag: async (ref: string, target: string) => void calls.push(`tag ${ref} ${target}`),
      remove: async (ref: string) => void calls.push(`remove ${ref}`),
      inspect: async () => null,
      list: async () => [],
    },
  } as unknown as Engine;
  const run: ProcessRunner = async (file, args, options) => {
    calls.push(`${file} ${args.join(" ")} DOCKER_HOST=${options?.env?.DOCKER_HOST}`);
    const out = push(args[1] ?? "");
    if (out instanceof Error) throw out;
    options?.onStdout?.(out);
    return { command: [file, ...args], exitCode: 0, signal: null, stdout: out, stderr: "", timedOut: false };
  };
  const image = { lockPath, lock, tags: { stack: "demo:s", lock: "demo:lock-abc" } } as EnvironmentImage;
  const deps = {
    engine,
    run,
    env: {},
    reporter: silentReporter,
    signal: new AbortController().signal,
    client: { kind: "classic-buildkit" as const, docker: "/usr/bin/docker", version: "20.10", reason: "" },
  };
  return { lockPath, calls, image, deps };
}

describe("push-image helpers", () => {
  it("normalizes registry addresses and refuses URLs and junk", () => {
    expect(normalizeRegistry("127.0.0.1:5000/")).toBe("127.0.0.1:5000");
    expect(normalizeRegistry("registry.example.com/team/ml")).toBe("registry.example.com/team/ml");
    expect(() => normalizeRegistry("http://127.0.0.1:5000")).toThrow(UsageError);
    expect(() => normalizeRegistry("http://127.0.0.1:5000")).toThrow(/try --push 127\.0\.0\.1:5000/);
    expect(() => normalizeRegistry("reg.example/Team")).toThrow(UsageError);
    expect(registryRef("r:5000/", "demo:lock-abc")).toBe("r:5000/demo:lock-abc");
  });

  it("reads the digest docker push printed for the tag, and only that tag", () => {
    const out = `abc: Pushed\nother: digest: ${D2} size: 1\nlock-abc: digest: ${D1} size: 2413\n`;
    expect(digestFromPushOutput(out, "r:5000/demo:lock-abc")).toBe(D1);
    expect(digestFromPushOutput(out, "r:5000/demo:missing")).toBeUndefined();
  });

  it("replaces entries for pushed references and keeps the rest", () => {
    const merged = mergeImages(
      [
        { ref: "a/x:1", digest: D2 },
        { ref: "b/x:1", digest: D2 },
      ],
      [{ ref: "a/x:1", digest: D1 }],
    );
    expect(merged).toEqual([
      { ref: "b/x:1", digest: D2 },
      { ref: "a/x:1", digest: D1 },
    ]);
    expect(mergeImages(undefined, [{ ref: "a/x:1", digest: D1 }])).toEqual([{ ref: "a/x:1", digest: D1 }]);
  });

  it.each([
    [
      'Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused',
      /not reachable/,
      "curl -sI",
    ],
    [
      'Get "https://r:5000/v2/": http: server gave HTTP response to HTTPS client',
      /plain HTTP/,
      "insecure-registries",
    ],
    ["unauthorized: authentication required", /refused the push/, "docker login r:5000"],
    ["something odd", /docker push to r:5000 failed/, "docker login r:5000"],
  ])("explains %s", (stderr, why, fix) => {
    const error = pushFailure("r:5000", "r:5000/demo:s", processFailure(`noise\n${stderr}\n`));
    expect(error.code).toBe("E_PUSH_FAILED");
    expect(error.message).toMatch(why);
    expect(error.message).toContain(stderr);
    expect(error.remedies.join("\n")).toContain(fix);
  });
});

describe("pushImage", () => {
  it("pushes each tag through the engine's endpoint and records the digests in the lock", async () => {
    const { lockPath, calls, image, deps } = setup((ref) => {
      const tag = ref.slice(ref.lastIndexOf(":") + 1);
      return `x: Pushed\n${tag}: digest: ${D1} size: 9\n`;
    });
    const pushed = await pushImage(image, ["demo:s", "demo:lock-abc"], "r:5000/", deps);
    expect(pushed).toEqual([
      { ref: "r:5000/demo:s", digest: D1 },
      { ref: "r:5000/demo:lock-abc", digest: D1 },
    ]);
    expect(calls).toContain("tag demo:s r:5000/demo:s");
    expect(calls).toContain("/usr/bin/docker push r:5000/demo:s DOCKER_HOST=unix:///test.sock");
    const written = JSON.parse(readFileSync(lockPath, "utf8")) as LockFile;
    expect(written.images).toEqual([lock.images?.[0], ...pushed]);
  });

  it("on a failed push removes the tag it added and leaves the lock alone", async () => {
    const { lockPath, calls, image, deps } = setup(() =>
      processFailure('Get "http://r:5000/v2/": dial tcp: connection refused'),
    );
    await expect(pushImage(image, ["demo:s", "demo:lock-abc"], "r:5000", deps)).rejects.toMatchObject({
      code: "E_PUSH_FAILED",
    });
    expect(calls).toContain("remove r:5000/demo:s");
    expect(calls.some((c) => c.includes("lock-abc"))).toBe(false);
    expect(readFileSync(lockPath, "utf8")).toBe("original\n");
  });

  it("refuses to record a push without a digest", async () => {
    const { lockPath, image, deps } = setup(() => "x: Pushed\n");
    await expect(pushImage(image, ["demo:s"], "r:5000", deps)).rejects.toMatchObject({
      code: "E_PUSH_NO_DIGEST",
    });
    expect(readFileSync(lockPath, "utf8")).toBe("original\n");
  });
});

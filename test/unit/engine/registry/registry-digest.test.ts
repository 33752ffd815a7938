/**
 * Base-image digests for the lock: reference parsing, the Bearer challenge, and a
 * lookup against a REAL registry (Debian's docker-registry, started here on
 * loopback, which CI installs through `npm run engine:setup`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseImageRef } from "../../../../src/engine/registry/image-ref.js";
import {
  lookupManifestDigest,
  parseBearerChallenge,
} from "../../../../src/engine/registry/registry-digest.js";

describe("parseImageRef", () => {
  it.each([
    ["ubuntu:24.04", "registry-1.docker.io", "library/ubuntu", "24.04"],
    [
      "nvidia/cuda:12.8.1-devel-ubuntu24.04",
      "registry-1.docker.io",
      "nvidia/cuda",
      "12.8.1-devel-ubuntu24.04",
    ],
    ["ghcr.io/astral-sh/uv:0.9.5", "ghcr.io", "astral-sh/uv", "0.9.5"],
    ["127.0.0.1:5000/base:12", "127.0.0.1:5000", "base", "12"],
    ["localhost/x/y", "localhost", "x/y", "latest"],
  ])("%s", (ref, registry, repository, tag) => {
    expect(parseImageRef(ref)).toMatchObject({ registry, repository, tag, digest: null });
  });

  it("keeps a pinned digest and needs no lookup", async () => {
    const digest = `sha256:${"c".repeat(64)}`;
    expect(await lookupManifestDigest(`ubuntu:24.04@${digest}`)).toEqual({ digest });
  });
});

describe("parseBearerChallenge", () => {
  it("reads Docker Hub's challenge", () => {
    expect(
      parseBearerChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"',
      ),
    ).toEqual({
      realm: "https://auth.docker.io/token",
      service: "registry.docker.io",
      scope: "repository:library/ubuntu:pull",
    });
    expect(parseBearerChallenge('Basic realm="x"')).toBeNull();
  });
});

describe("lookupManifestDigest, unreachable", () => {
  it("gives null and says why instead of failing", async () => {
    const found = await lookupManifestDigest("127.0.0.1:9/nothing:1", { timeoutMs: 2000 });
    expect(found).toEqual({ digest: null, reason: "127.0.0.1:9 is not reachable" });
  });
});

describe("lookupManifestDigest, token-protected registry", () => {
  let server: Server;
  let port = 0;
  const digest = `sha256:${"d".repeat(64)}`;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith("/token")) {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ token: "anon" }));
      } else if (req.headers.authorization !== "Bearer anon") {
        res.statusCode = 401;
        res.setHeader(
          "www-authenticate",
          `Bearer realm="http://127.0.0.1:${port}/token",service="test",scope="repository:base:pull"`,
        );
        res.end();
      } else {
        res.setHeader("docker-content-digest", digest);
        res.end();
      }
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  it("answers the Bearer challenge with an anonymous pull token", async () => {
    expect(await lookupManifestDigest(`127.0.0.1:${port}/base:12`)).toEqual({ digest });
  });
});

const REGISTRY = "/usr/bin/docker-registry";

describe.skipIf(!existsSync(REGISTRY))("lookupManifestDigest against Debian's docker-registry", () => {
  let child: ChildProcess;
  let base = "";

  beforeAll(async () => {
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((done) => probe.close(() => done()));
    const dir = mkdtempSync(join(tmpdir(), "ts-registry-"));
    const config = join(dir, "config.yml");
    writeFileSync(
      config,
      `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`,
    );
    child = spawn(REGISTRY, ["serve", config], { stdio: "ignore" });
    base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i += 1) {
      const up = await fetch(`${base}/v2/`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error("docker-registry did not answer");
  });
  afterAll(() => child?.kill());

  async function pushBlob(repo: string, body: Buffer): Promise<string> {
    const digest = `sha256:${createHash("sha256").update(body).digest("hex")}`;
    const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: "POST" });
    const location = new URL(start.headers.get("location") ?? "", base);
    location.searchParams.set("digest", digest);
    const put = await fetch(location, { method: "PUT", body: new Uint8Array(body) });
    expect(put.status).toBe(201);
    return digest;
  }

  it("returns the digest the registry stored for the tag", async () => {
    const repo = "torchstack/base";
    const config = Buffer.from(
      JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers" } }),
    );
    const layer = Buffer.from("not really a tarball");
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: await pushBlob(repo, config),
        size: config.length,
      },
      layers: [
        {
          mediaType: "application/vnd.oci.image.layer.v1.tar",
          digest: await pushBlob(repo, layer),
          size: layer.length,
        },
      ],
    });
    const put = await fetch(`${base}/v2/${repo}/manifests/12`, {
      method: "PUT",
      headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" },
      body: manifest,
    });
    expect(put.status, await put.text()).toBe(201);
    const expected = `sha256:${createHash("sha256").update(manifest).digest("hex")}`;
    const registry = base.replace("http://", "");
    expect(await lookupManifestDigest(`${registry}/${repo}:12`)).toEqual({ digest: expected });
    expect(await lookupManifestDigest(`${registry}/${repo}:13`)).toEqual({
      digest: null,
      reason: `${registry} answered 404 for ${registry}/${repo}:13`,
    });
  });
});

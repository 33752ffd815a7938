// `catalog update` against a real HTTP server on loopback serving the index's own formats
// (test/fixtures/wheel-index/), then `resolve` through the CLI in memory using what it learnt.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCliInMemory } from "../../../support/run-cli-in-memory.js";
import { type IndexServer, startIndexServer } from "./catalog-index-server.js";

let server: IndexServer;
let state: string;
const env = () => ({ TORCHSTACK_STATE_DIR: state });
const overlayFile = () => join(state, "catalog", "overlay.json");
const cli = (...argv: string[]) => runCliInMemory(argv, { env: env() });
const update = (...extra: string[]) =>
  cli("catalog", "update", "--index", server.url, "--pypi", "none", "--json", ...extra);
const errorOf = (stdout: string) =>
  (JSON.parse(stdout) as { error: { code: string; message: string } }).error;

/** A loopback port nothing listens on (bound once, then closed). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  server = await startIndexServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), "torchstack-catalog-"));
  server.reset();
});
afterEach(() => rmSync(state, { recursive: true, force: true }));

describe("catalog update from a wheel index", () => {
  it("learns a release torchstack has never seen; resolve --torch gives its exact stack", async () => {
    const before = await cli("resolve", "--no-host", "--torch", "2.16.0", "--json");
    expect(before.code).toBe(1);
    expect(errorOf(before.stdout).code).toBe("E_UNKNOWN_TORCH");

    const run = await update();
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ ok: true, index: server.url, releases: 2, newReleases: ["2.16.0"] });
    expect(report.pages.map((p: { status: string }) => p.status)).toEqual(["fetched", "fetched", "fetched"]);

    const resolved = await cli("resolve", "--no-host", "--torch", "2.16.0", "--json");
    expect(resolved.code, resolved.stdout).toBe(0);
    expect(JSON.parse(resolved.stdout).stack).toEqual({
      torch: "2.16.0",
      wheel: "cu132",
      cuda: "13.2",
      cudnn: "9.26.0.12",
      nccl: "2.31.2",
      python: "3.12",
      torchvision: "0.31.0",
      torchaudio: null,
      minDriver: "580",
      archList: ["sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120", "compute_120"],
    });
    const warnings = JSON.parse(resolved.stdout).warnings.join("\n");
    expect(warnings).toMatch(/2\.16\.0 is not confirmed/);
  });

  it("records variants, CPython tags, platforms, pins and provenance; inherited arch lists say so", async () => {
    expect((await update()).code).toBe(0);
    const shown = await cli("catalog", "show", "--torch", "2.16.0", "--json");
    const [release] = JSON.parse(shown.stdout).releases;
    expect(release.python).toEqual(["3.10", "3.11", "3.12", "3.13", "3.14", "3.14t", "3.15", "3.15t"]);
    expect(release.requiresPython).toBe(">=3.10");
    // torchvision 0.31.0 has no 3.15 wheels: a torch-only preview, learnt from the torchvision page
    expect(release.torchOnlyPython).toEqual(["3.15", "3.15t"]);
    expect(release.pypiDefault).toBe("cu132");
    expect(release.unconfirmed).toMatch(/inherited from torch 2\.15\.0/);
    const byWheel = Object.fromEntries(release.variants.map((v: { wheel: string }) => [v.wheel, v]));
    expect(Object.keys(byWheel)).toEqual(["cpu", "cu130", "cu132", "cu134"]);
    expect(byWheel.cu130).toMatchObject({
      cudnn: "9.26.0.12",
      nccl: "2.31.2",
      cudaRuntime: "13.0.96",
      triton: "3.8.0",
      platforms: ["aarch64", "x86_64"],
      source: { status: "primary", date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
      archSource: { status: "unverified", note: expect.stringMatching(/inherited from torch 2\.15\.0/) },
    });
    expect(byWheel.cu130.source.ref).toContain(server.url);
    // a CUDA variant no earlier release had: index-only, experimental, architectures unknown
    expect(byWheel.cu134).toMatchObject({ indexOnly: true, experimental: true, archList: [] });

    const status = JSON.parse((await cli("catalog", "status", "--json")).stdout);
    expect(status.overlay).toMatchObject({ index: server.url, newReleases: ["2.16.0"] });
    expect(status.defaultTorch).toBe("2.14.1");
  });

  it("corrects a known release from its wheel metadata and keeps its built-in arch lists", async () => {
    expect((await update()).code).toBe(0);
    const shown = await cli("catalog", "show", "--torch", "2.14.0", "--json");
    const [release] = JSON.parse(shown.stdout).releases;
    expect(release.unconfirmed).toBeUndefined();
    const cu130 = release.variants.find((v: { wheel: string }) => v.wheel === "cu130");
    expect(cu130).toMatchObject({
      cudaRuntime: "13.0.96",
      triton: "3.6.0",
      archSource: { status: "secondary" },
    });
    expect(cu130.archList).toEqual(["sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120"]);
    expect(release.pythonExperimental).toEqual(["3.15", "3.15t"]);
  });

  it("a second update is cheap: pages answer 304 and no metadata is fetched again", async () => {
    expect((await update()).code).toBe(0);
    const first = server.requests.filter((r) => r.endsWith(".metadata")).length;
    expect(first).toBeGreaterThan(5);
    server.requests.length = 0;
    const second = await update();
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report.pages.map((p: { status: string }) => p.status)).toEqual([
      "not-modified",
      "not-modified",
      "not-modified",
    ]);
    expect(report.metadata).toMatchObject({ fetched: 0, cached: first });
    expect(server.requests.every((r) => r.startsWith("conditional "))).toBe(true);
  });

  it("retries a dropped connection once", async () => {
    server.faults.set("/whl/torchvision/", { reset: true, untilRequest: 1 });
    const run = await update();
    expect(run.code, run.stdout).toBe(0);
    expect(server.requests.filter((r) => r.endsWith("/whl/torchvision/")).length).toBe(3); // drop, retry, re-check
  });

  it("--offline rebuilds from the cache alone, and says so when there is none", async () => {
    const none = await cli("catalog", "update", "--offline", "--index", server.url, "--json");
    expect(none.code).toBe(1);
    expect(errorOf(none.stdout).code).toBe("E_CATALOG_NO_CACHE");
    expect((await update()).code).toBe(0);
    server.requests.length = 0;
    const offline = await update("--offline");
    expect(offline.code, offline.stdout).toBe(0);
    expect(server.requests).toEqual([]);
    expect(JSON.parse(offline.stdout).newReleases).toEqual(["2.16.0"]);
  });
});

describe("catalog update failures keep the previous overlay", () => {
  async function failingUpdate(code: string, ...extra: string[]): Promise<string> {
    const run = await update(...extra);
    expect(run.code, run.stdout).toBe(1);
    const error = errorOf(run.stdout);
    expect(error.code).toBe(code);
    return error.message;
  }

  let previous: string;
  beforeEach(async () => {
    expect((await update()).code).toBe(0);
    previous = readFileSync(overlayFile(), "utf8");
    server.reset();
    // make the next update read everything again
    rmSync(join(state, "catalog", "cache"), { recursive: true, force: true });
  });
  afterEach(() => {
    expect(readFileSync(overlayFile(), "utf8")).toBe(previous);
  });

  it("a truncated page", async () => {
    server.faults.set("/whl/torch/", { truncate: 4000 });
    expect(await failingUpdate("E_CATALOG_INDEX_INVALID")).toMatch(
      /\/whl\/torch\/: not a complete simple-index page/,
    );
  });

  it("an HTML error page instead of the index", async () => {
    server.faults.set("/whl/torchvision/", { body: "<h1>Service Unavailable</h1>" });
    expect(await failingUpdate("E_CATALOG_INDEX_INVALID")).toMatch(/torchvision/);
  });

  it("malformed metadata", async () => {
    const page = readFileSync(
      join(import.meta.dirname, "..", "..", "..", "fixtures", "wheel-index", "whl", "torch", "index.html"),
      "utf8",
    );
    const broken = page.replace(
      /data-dist-info-metadata="sha256=[0-9a-f]+" data-core-metadata="sha256=[0-9a-f]+"/g,
      'data-dist-info-metadata="true"',
    );
    server.bodies.set("/whl/torch/", broken);
    server.faults.set("/whl/cu130/torch-2.16.0+cu130-cp315-cp315-manylinux_2_28_x86_64.whl.metadata", {
      body: "<html>not metadata</html>",
    });
    expect(await failingUpdate("E_CATALOG_INDEX_INVALID")).toMatch(/not wheel core metadata/);
  });

  it("an HTTP error", async () => {
    server.faults.set("/whl/torchaudio/", { status: 503 });
    expect(await failingUpdate("E_CATALOG_FETCH")).toMatch(/torchaudio\/: HTTP 503/);
  });

  it("a response slower than the timeout", async () => {
    server.faults.set("/whl/torch/", { delayMs: 3000 });
    expect(await failingUpdate("E_CATALOG_FETCH", "--timeout", "1")).toMatch(/no answer within 1 s/);
  });

  it("no network (nothing listens on the port)", async () => {
    const index = `http://127.0.0.1:${await closedPort()}/whl`;
    const run = await cli(
      "catalog",
      "update",
      "--index",
      index,
      "--pypi",
      "none",
      "--json",
      "--timeout",
      "2",
    );
    expect(run.code).toBe(1);
    expect(errorOf(run.stdout)).toMatchObject({
      code: "E_CATALOG_FETCH",
      message: expect.stringMatching(/ECONNREFUSED/),
    });
  });

  it("a connection that keeps dropping", async () => {
    server.faults.set("/whl/torchvision/", { reset: true });
    expect(await failingUpdate("E_CATALOG_FETCH")).toMatch(
      /torchvision\/: (ECONNRESET|UND_ERR_SOCKET|other side closed)/,
    );
  });

  it("a page that changes while the update reads it", async () => {
    server.faults.set("/whl/torch/", { fromRequest: 2, body: "<html><body></body></html>" });
    expect(await failingUpdate("E_CATALOG_INDEX_CHANGED")).toMatch(/\/whl\/torch\/: the wheel index changed/);
  });

  it("metadata that does not match the hash its page lists", async () => {
    server.faults.set("/whl/cu132/torch-2.16.0+cu132-cp315-cp315-manylinux_2_28_x86_64.whl.metadata", {
      body: "Metadata-Version: 2.1\nName: torch\nVersion: 2.16.0+cu132\n",
    });
    expect(await failingUpdate("E_CATALOG_INDEX_CHANGED")).toMatch(/does not match the sha256/);
  });

  it("a bad --index is a usage error", async () => {
    const run = await cli("catalog", "update", "--index", "ftp://mirror/whl");
    expect(run.code).toBe(2);
  });
});

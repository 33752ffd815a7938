// `catalog update` reading PyPI's simple API (PEP 691 JSON) and wheel metadata (PEP 658, or range
// reads of the wheel's METADATA) from a loopback server serving answers recorded from PyPI on
// 2026-12-05 (test/fixtures/pypi/README.md says where and how).
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { admits } from "../../../../src/catalog/pypi/pypi-releases.js";
import { runCliInMemory } from "../../../support/run-cli-in-memory.js";

const fixtures = join(import.meta.dirname, "../../../fixtures/pypi");
const FILE_HOST = "https://files.pythonhosted.org/";
const PEP658 = "torch-2.15.0-cp315-cp315-manylinux_2_28_x86_64.whl";

/** A zip holding `name-version.dist-info/METADATA` (stored) behind a padding member, as wheels keep .dist-info last. */
function wheelZip(filename: string, metadata: string): Buffer {
  const [dist = "", version = ""] = filename.split("-");
  const members: Array<[string, Buffer]> = [
    [`${dist}/__init__.py`, Buffer.alloc(100_000, 35)],
    [`${dist}-${version}.dist-info/METADATA`, Buffer.from(metadata)],
  ];
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of members) {
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

let server: Server;
let base = "";
const requests: string[] = [];
const metadataOf = (filename: string) => readFileSync(join(fixtures, `${filename}.METADATA`), "utf8");

beforeAll(async () => {
  const wheels = new Set(
    readdirSync(fixtures)
      .filter((f) => f.endsWith(".METADATA"))
      .map((f) => f.slice(0, -9)),
  );
  server = createServer((req, res) => {
    const path = decodeURIComponent(req.url ?? "");
    requests.push(`${req.headers.range ? "RANGE " : ""}${path}`);
    const page = /^\/simple\/([a-z]+)\/$/.exec(path);
    if (page) {
      const doc = JSON.parse(readFileSync(join(fixtures, `${page[1]}.json`), "utf8"));
      for (const file of doc.files) {
        file.url = file.url.replace(FILE_HOST, `${base}/files/`);
        if (file.filename === PEP658)
          file["core-metadata"] = { sha256: createHash("sha256").update(metadataOf(PEP658)).digest("hex") };
      }
      res.writeHead(200, { "content-type": "application/vnd.pypi.simple.v1+json" });
      res.end(JSON.stringify(doc));
      return;
    }
    const name = path.split("/").at(-1) ?? "";
    if (name === `${PEP658}.metadata`) {
      res.end(metadataOf(PEP658));
      return;
    }
    if (!wheels.has(name) || !req.headers.range) {
      res.writeHead(404).end();
      return;
    }
    const zip = wheelZip(name, metadataOf(name));
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range);
    const start = range?.[1] ? Number(range[1]) : Math.max(0, zip.length - Number(range?.[2]));
    const stop = range?.[1] && range[2] ? Math.min(Number(range[2]), zip.length - 1) : zip.length - 1;
    res.writeHead(206, { "content-range": `bytes ${start}-${stop}/${zip.length}` });
    res.end(zip.subarray(start, stop + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let state = "";
beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), "ts-catalog-pypi-"));
  requests.length = 0;
});
afterEach(() => rmSync(state, { recursive: true, force: true }));

const cli = (...args: string[]) =>
  runCliInMemory(args, { env: { ...process.env, TORCHSTACK_STATE_DIR: state } });
const closedIndex = "http://127.0.0.1:9/whl";
const update = (...extra: string[]) =>
  cli(
    "catalog",
    "update",
    "--index",
    closedIndex,
    "--pypi",
    `${base}/simple`,
    "--timeout",
    "5",
    "--json",
    ...extra,
  );

describe("catalog update from PyPI (loopback, recorded answers)", () => {
  it("learns the PyPI build of the newest torch exactly as its wheel metadata states", async () => {
    const run = await update();
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.sources).toMatchObject([
      { id: "pytorch-index", outcome: "unreachable", reason: expect.stringMatching(/127\.0\.0\.1:9/) },
      { id: "pypi", outcome: "read", releases: 2 },
    ]);
    expect(report.bytesFetched).toBeGreaterThan(0);
    // metadata only: range reads and one PEP 658 file, never a whole wheel
    expect(requests.filter((r) => r.startsWith("/files/") && !r.endsWith(".metadata"))).toEqual([]);
    expect(requests).toContain(`/files/${requests.find((r) => r.endsWith(".metadata"))?.slice(7)}`);

    const shown = JSON.parse((await cli("catalog", "show", "--torch", "2.15.0", "--json")).stdout)
      .releases[0];
    const cu132 = shown.variants.find((v: { wheel: string }) => v.wheel === "cu132");
    expect(cu132).toMatchObject({
      cudaRuntime: "13.2.2",
      cudnn: "9.26.0.51",
      nccl: "2.30.7",
      cusparselt: "0.8.1",
      nvshmem: "3.7.2",
      triton: "~=3.9.0",
    });
    expect([...cu132.platforms].sort()).toEqual(["aarch64", "x86_64"]);
    expect(cu132.source.ref).toMatch(/torch-2\.15\.0-cp315-cp315-manylinux_2_28_x86_64\.whl/);
    expect(shown).toMatchObject({ pypiDefault: "cu132", torchvision: "0.29.2", requiresPython: ">=3.11" });
    const r141 = JSON.parse((await cli("catalog", "show", "--torch", "2.14.1", "--json")).stdout).releases[0];
    expect(r141).toMatchObject({ torchvision: "0.29.1", torchaudio: "2.11.1", pypiDefault: "cu130" });
  });

  it("--strict fails when a source is unreachable, and keeps the previous overlay", async () => {
    const run = await update("--strict");
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: "E_CATALOG_FETCH" });
    expect(JSON.parse(run.stdout).error.message).toMatch(/--strict: .*127\.0\.0\.1:9/);
    const status = JSON.parse((await cli("catalog", "status", "--json")).stdout);
    expect(status.overlay).toBeNull();
  });

  it("a second update costs only the four pages (metadata is cached per wheel)", async () => {
    expect((await update()).code).toBe(0);
    requests.length = 0;
    expect((await update()).code).toBe(0);
    expect(requests.every((r) => r.startsWith("/simple/"))).toBe(true);
  });

  it("never stores credentials given in a source URL", async () => {
    const withAuth = `${base.replace("http://", "http://user:s3cret@")}/simple`;
    const run = await cli("catalog", "update", "--index", closedIndex, "--pypi", withAuth, "--json");
    expect(run.code, run.stderr).toBe(0);
    const overlay = readFileSync(join(state, "catalog", "overlay.json"), "utf8");
    expect(overlay).not.toMatch(/s3cret|user:/);
    expect(run.stdout + run.stderr).not.toMatch(/s3cret/);
  });
});

describe("PEP 440 specifiers torchvision and torchaudio use for torch", () => {
  it.each([
    ["2.14.1", ">=2.14.0", true],
    ["2.13.0", ">=2.14.0", false],
    ["2.4.0", "==2.4.0", true],
    ["2.12.0", ">=2.11", true],
    ["3.8.2", "~=3.8.0", true],
    ["3.9.0", "~=3.8.0", false],
  ])("%s against %s", (version, specifier, expected) => {
    expect(admits(version, specifier)).toBe(expected);
  });
});

// Benchmark: `catalog update` against a local server holding a full-size wheel index, and
// `resolve`'s own work with the overlay present (targets: update well under 30 s,
// resolve under 100 ms). The index is generated: as many files as the official torch page lists
// (BENCH_TORCH_FILES, default 16000; the official page's count is not in the sources, so the
// default is a generous estimate), torchvision and torchaudio pages of BENCH_OTHER_FILES each,
// and a PEP 658 .metadata file for every wheel. The server runs in a worker thread so it does
// not share the event loop with the update it serves. Writes docs/bench/bench-catalog.md and .json.
// Run: `node bench/catalog-speed.mjs` (bundles the sources it needs with esbuild; no build step).
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

const sha = (text) => createHash("sha256").update(text).digest("hex");

/** The generated index: path → body. */
function generateIndex({ torchFiles, otherFiles }) {
  const files = new Map();
  const pages = { torch: [], torchvision: [], torchaudio: [] };
  const add = (pkg, dir, filename, metadata) => {
    const url = `/whl/${dir}/${filename.replace("+", "%2B")}`;
    const hash = metadata ? sha(metadata) : null;
    if (metadata) files.set(`/whl/${dir}/${filename}.metadata`, metadata);
    const meta = hash ? ` data-dist-info-metadata="sha256=${hash}" data-core-metadata="sha256=${hash}"` : "";
    pages[pkg].push(
      `    <a href="${url}#sha256=${sha(filename)}" data-requires-python="&gt;=3.10"${meta}>${filename}</a><br/>`,
    );
  };
  const metadata = (name, version, deps) =>
    [
      "Metadata-Version: 2.1",
      `Name: ${name}`,
      `Version: ${version}`,
      "Requires-Python: >=3.10",
      ...deps.map((d) => `Requires-Dist: ${d}; platform_system == "Linux" and platform_machine == "x86_64"`),
      "",
    ].join("\n");
  const torchDeps = (variant, minor) =>
    variant === "cpu"
      ? [`triton==3.${minor % 10}.0`]
      : [
          `nvidia-cuda-runtime-cu${variant.slice(2, 4)}==${variant.slice(2, 4)}.${variant.slice(4)}.90`,
          `nvidia-cudnn-cu${variant.slice(2, 4)}==9.${minor}.0.1`,
          `nvidia-nccl-cu${variant.slice(2, 4)}==2.${20 + minor}.1`,
          `triton==3.${minor % 10}.0`,
        ];
  const variantsFor = (minor) =>
    minor < 4
      ? ["cpu", "cu118", "cu121"]
      : minor < 9
        ? ["cpu", "cu126", "cu128", "cu129"]
        : ["cpu", "cu126", "cu128", "cu129", "cu130", "cu132"];
  const platforms = ["manylinux_2_28_x86_64", "manylinux_2_28_aarch64", "win_amd64"];
  let count = 0;
  outer: for (let round = 0; ; round += 1) {
    for (let minor = 0; minor <= 16; minor += 1) {
      for (let patch = 0; patch < 3; patch += 1) {
        const version = round === 0 ? `2.${minor}.${patch}` : `1.${minor}.${patch + 3 * round}`;
        for (const variant of [...variantsFor(minor), "rocm6.3", "rocm6.4"]) {
          for (const py of ["cp310", "cp311", "cp312", "cp313", "cp314", "cp314t"]) {
            for (const platform of platforms) {
              if (count >= torchFiles) break outer;
              const filename = `torch-${version}+${variant}-${py.replace("t", "")}-${py}-${platform}.whl`;
              const linux = !platform.startsWith("win") && !variant.startsWith("rocm");
              add(
                "torch",
                variant,
                filename,
                linux ? metadata("torch", `${version}+${variant}`, torchDeps(variant, minor)) : null,
              );
              count += 1;
            }
          }
        }
      }
    }
  }
  for (const [pkg, major] of [
    ["torchvision", 0],
    ["torchaudio", 2],
  ]) {
    let n = 0;
    outer2: for (let minor = 0; ; minor += 1) {
      for (const variant of ["cpu", "cu126", "cu128", "cu130"]) {
        for (const py of ["cp310", "cp311", "cp312", "cp313", "cp314"]) {
          if (n >= otherFiles) break outer2;
          const version =
            pkg === "torchvision"
              ? `0.${15 + (minor % 17)}.${Math.floor(minor / 17)}`
              : `${major}.${minor % 17}.${Math.floor(minor / 17)}`;
          const torch = `2.${minor % 17}.${Math.floor(minor / 17)}`;
          const filename = `${pkg}-${version}+${variant}-${py}-${py}-manylinux_2_28_x86_64.whl`;
          add(pkg, variant, filename, metadata(pkg, `${version}+${variant}`, [`torch==${torch}`]));
          n += 1;
        }
      }
    }
  }
  for (const [pkg, links] of Object.entries(pages)) {
    files.set(
      `/whl/${pkg}/`,
      `<!DOCTYPE html>\n<html>\n  <body>\n    <h1>Links for ${pkg}</h1>\n${links.join("\n")}\n  </body>\n</html>\n`,
    );
  }
  return { files, counts: Object.fromEntries(Object.entries(pages).map(([k, v]) => [k, v.length])) };
}

function serve() {
  const { files, counts } = generateIndex(workerData);
  const etags = new Map([...files].map(([path, body]) => [path, `"${sha(body).slice(0, 16)}"`]));
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    const body = files.get(path);
    if (body === undefined) return res.writeHead(404).end();
    const etag = etags.get(path);
    if (req.headers["if-none-match"] === etag) return res.writeHead(304, { etag }).end();
    res.writeHead(200, { "content-type": "text/html", etag }).end(body);
  });
  server.listen(0, "127.0.0.1", () => {
    const pageBytes = files.get("/whl/torch/")?.length ?? 0;
    parentPort.postMessage({ port: server.address().port, counts, pageBytes });
  });
}

async function bundle() {
  const esbuild = await import("esbuild");
  const dir = mkdtempSync(join(tmpdir(), "torchstack-bench-catalog-"));
  await esbuild.build({
    stdin: {
      contents: [
        'export { updateCatalog } from "./src/catalog/update/update-catalog.ts";',
        'export { httpIndexFetcher } from "./src/catalog/update/index-fetcher.ts";',
        'export { parseSimpleIndex } from "./src/catalog/index/parse-simple-index.ts";',
        'export { loadCatalog } from "./src/catalog/catalog.ts";',
        'export { resolveStack } from "./src/resolve/resolve-stack.ts";',
        'export { silentReporter } from "./src/report/reporter.ts";',
      ].join("\n"),
      resolveDir: process.cwd(),
      loader: "ts",
    },
    outfile: join(dir, "bench-catalog.mjs"),
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
  return { dir, module: await import(pathToFileURL(join(dir, "bench-catalog.mjs")).href) };
}

function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  const torchFiles = Number(process.env.BENCH_TORCH_FILES ?? 16000);
  const otherFiles = Number(process.env.BENCH_OTHER_FILES ?? 3000);
  const worker = new Worker(new URL(import.meta.url), { workerData: { torchFiles, otherFiles } });
  const ready = await new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  const { dir, module: m } = await bundle();
  const state = join(dir, "state");
  const env = { TORCHSTACK_STATE_DIR: state };
  const index = `http://127.0.0.1:${ready.port}/whl`;
  const options = (offline) => ({
    env,
    index,
    offline,
    fetcher: m.httpIndexFetcher({ timeoutMs: 30_000 }),
    reporter: m.silentReporter,
    now: () => new Date(),
    concurrency: 8,
  });
  const timed = async (offline) => {
    const start = performance.now();
    const report = await m.updateCatalog(options(offline));
    return { ms: performance.now() - start, report };
  };
  const cold = await timed(false);
  const warm = await timed(false);
  const offline = await timed(true);
  await worker.terminate();

  // the server is gone now: parse the cached copy of the torch page
  const cacheDir = join(state, "catalog", "cache");
  const torchPage = readdirSync(cacheDir)
    .map((f) => JSON.parse(readFileSync(join(cacheDir, f), "utf8")))
    .find((e) => e.url.endsWith("/whl/torch/"));
  const parseSamples = [];
  for (let i = 0; i < 5; i += 1) {
    const start = performance.now();
    m.parseSimpleIndex(torchPage.body, torchPage.url);
    parseSamples.push(performance.now() - start);
  }

  const requests = [
    { torch: "2.7", gpus: ["rtx 5090"], driver: "570.124.06" },
    { gpus: ["sm_61"], driver: "560.35.05" },
    { torch: "2.11", gpus: ["v100"] },
    { cuda: "cpu" },
    { torch: "2.9", python: "3.12", driver: "580.65.06", gpus: ["h100", "a100"] },
    { torch: "2.16.0" },
  ];
  const loadSamples = [];
  const resolveSamples = [];
  for (let i = 0; i < 25; i += 1) {
    let start = performance.now();
    const catalog = await m.loadCatalog({ env });
    loadSamples.push(performance.now() - start);
    start = performance.now();
    for (const request of requests) {
      try {
        m.resolveStack(request, catalog);
      } catch {}
    }
    resolveSamples.push((performance.now() - start) / requests.length);
  }
  rmSync(dir, { recursive: true, force: true });

  const perPage = (report) =>
    report.pages.map((p) => ({ package: p.package, status: p.status, links: p.links, ms: p.ms }));
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cores: availableParallelism(),
    loadAverage: Number(loadavg()[0].toFixed(1)),
    index: { ...ready.counts, torchPageBytes: ready.pageBytes },
    update: {
      cold: {
        ms: Math.round(cold.ms),
        pages: perPage(cold.report),
        metadata: cold.report.metadata,
        releases: cold.report.releases,
      },
      warm: { ms: Math.round(warm.ms), pages: perPage(warm.report), metadata: warm.report.metadata },
      offline: { ms: Math.round(offline.ms), metadata: offline.report.metadata },
      torchPageParseMs: Math.round(median(parseSamples)),
    },
    resolve: {
      loadCatalogMs: Number(median(loadSamples).toFixed(2)),
      resolveStackMsPerRequest: Number(median(resolveSamples).toFixed(2)),
      ownWorkMs: Number((median(loadSamples) + median(resolveSamples)).toFixed(2)),
    },
  };
  writeFileSync("docs/bench/bench-catalog.json", `${JSON.stringify(result, null, 2)}\n`);
  const rows = (pages) =>
    pages.map((p) => `| ${p.package} | ${p.links} | ${p.status} | ${p.ms} |`).join("\n");
  const perMetadata =
    cold.report.metadata.fetched > 0 ? (cold.ms / cold.report.metadata.fetched).toFixed(1) : "-";
  writeFileSync(
    "docs/bench/bench-catalog.md",
    `# Catalog speed (generated by \`node bench/catalog-speed.mjs\`)

Measured ${result.date.slice(0, 16)}Z on this machine (Node ${result.node}, ${result.cores} cores shared with other
work: load average ${result.loadAverage}), one run. The wheel index is
generated and served on loopback by a worker thread: the torch page lists ${ready.counts.torch} files
(${(ready.pageBytes / 1e6).toFixed(1)} MB; an estimate of the official page's size, which the sources do not give),
torchvision ${ready.counts.torchvision} and torchaudio ${ready.counts.torchaudio}, each Linux wheel with its PEP 658 metadata.

## \`catalog update\` (target: well under 30 s)

| run | total | metadata fetched | from cache |
| --- | ---: | ---: | ---: |
| first (empty state folder) | ${result.update.cold.ms} ms | ${cold.report.metadata.fetched} | ${cold.report.metadata.cached} |
| second (conditional requests) | ${result.update.warm.ms} ms | ${warm.report.metadata.fetched} | ${warm.report.metadata.cached} |
| \`--offline\` (cache only) | ${result.update.offline.ms} ms | ${offline.report.metadata.fetched} | ${offline.report.metadata.cached} |

Time per wheel page, first run (fetch and parse; the metadata reads come after, 8 in flight,
about ${perMetadata} ms of the total per metadata file):

| page | files | status | ms |
| --- | ---: | --- | ---: |
${rows(result.update.cold.pages)}

Second run: ${result.update.warm.pages.map((p) => `${p.package} ${p.status} ${p.ms} ms`).join(", ")}.
Parsing the torch page alone: ${result.update.torchPageParseMs} ms (median of 5).

## \`resolve\` with the overlay present (target: under 100 ms of its own work)

| step | median |
| --- | ---: |
| \`loadCatalog\` (read overlay.json, merge ${cold.report.releases} releases) | ${result.resolve.loadCatalogMs} ms |
| \`resolveStack\` per request (6 requests, merged catalog) | ${result.resolve.resolveStackMsPerRequest} ms |
| own work (sum) | ${result.resolve.ownWorkMs} ms |
`,
  );
  console.error(
    `catalog update: cold ${result.update.cold.ms} ms, warm ${result.update.warm.ms} ms, offline ${result.update.offline.ms} ms; resolve own work ${result.resolve.ownWorkMs} ms`,
  );
}

if (isMainThread) await main();
else serve();

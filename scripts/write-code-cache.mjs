// Writes dist/cli.cjs.cache and dist/vendor/*.cjs.cache, the V8 code caches bin/load-bundle.js loads the
// bundled CLI and its side bundles with. V8 serializes only what has been compiled, so the CLI's cache is made
// after a warm-up: the commands below run in this process (against a spec in a temporary folder, offline,
// without reading the host), then the compiled code is saved; a side bundle's after it has been loaded (its
// modules' initialisation, which is most of what requiring one costs). A warm-up command that fails is reported
// and the cache is written from what did run. Called by scripts/bundle.mjs after each build;
// `node scripts/write-code-cache.mjs` rewrites the caches alone.
import { mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable, Writable } from "node:stream";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { BUNDLE, loadBundle } = require("../bin/load-bundle.js");

const WARM_UP_SPEC = `name: code-cache-warm-up
base: image:torchstack-local/debian:12
torchSource: distro
cuda: cpu
python: "3.11"
job:
  command: [python3, train.py]
  nodes: 2
  procsPerNode: 2
  shm: 1g
  restarts: 1
  env: {NCCL_DEBUG: INFO}
  slurm: {partition: gpu, container: pyxis}
  kubernetes: {namespace: research}
`;

/** Every multi-node `job render`: the commands with a start-up target (bench/job-render.mjs times these). */
export const JOB_RENDER_COMMANDS = [
  ["job", "render", "--target", "slurm"],
  ...["indexed-job", "jobset", "trainjob", "pytorchjob"].map((flavor) => [
    "job",
    "render",
    "--target",
    "kubernetes",
    "--flavor",
    flavor,
  ]),
];

/** What short commands load: help, lock, and every job render. */
const WARM_UP_COMMANDS = [
  ["--help"],
  ["lock", "--offline", "--no-host"],
  ["lock", "--check"],
  ...JOB_RENDER_COMMANDS,
];

function collector() {
  const chunks = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

export async function writeCodeCache(bundle = BUNDLE) {
  const loaded = loadBundle(bundle, { useCache: false });
  const project = mkdtempSync(join(tmpdir(), "torchstack-code-cache-"));
  const failed = [];
  try {
    writeFileSync(join(project, "torchstack.yaml"), WARM_UP_SPEC);
    const env = { ...process.env, TORCHSTACK_STATE_DIR: join(project, "state"), NO_COLOR: "1" };
    for (const argv of WARM_UP_COMMANDS) {
      const stdout = collector();
      const stderr = collector();
      const code = await loaded.exports.runCli({
        argv,
        cwd: project,
        env,
        stdin: Readable.from([]),
        stdout: stdout.stream,
        stderr: stderr.stream,
        signal: new AbortController().signal,
      });
      if (code !== 0)
        failed.push(`${argv.join(" ")} (exit ${code}): ${stderr.text().trim().split("\n").at(-1)}`);
    }
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
  for (const line of failed) process.stderr.write(`code cache: warm-up command failed: ${line}\n`);
  writeCache(bundle, loaded.cacheBytes());
  const vendor = join(dirname(bundle), "vendor");
  for (const name of readdirSync(vendor).filter((file) => file.endsWith(".cjs"))) {
    const side = join(vendor, name);
    writeCache(side, loadBundle(side, { useCache: false }).cacheBytes());
  }
  return { failed };
}

/** FILE.cache, whole or not at all: written beside it under another name, then renamed over it. */
function writeCache(file, bytes) {
  const partial = `${file}.cache.partial-${process.pid}`;
  writeFileSync(partial, bytes);
  renameSync(partial, `${file}.cache`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await writeCodeCache();

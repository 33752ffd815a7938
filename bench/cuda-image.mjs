// Benchmark: a CUDA wheel image from PyPI against a hand-written Dockerfile, side by side in one run, written to
// docs/bench/bench-cuda-image.md and .json. Both sides build on the local Debian 13 base, install the same
// torch, torchvision and JupyterLab versions (read from torchstack's lock) and start from an empty wheel cache:
// the engine's whole BuildKit cache (layers and cache mounts) is cleared first and both builds run with
// --no-cache; the hand-written side uses `pip install --no-cache-dir`, as such Dockerfiles do. Measured:
// - the cold build of each (torchstack's with and without its `lock`, which resolves the wheel set and its
//   hashes from metadata before the build; the hand-written build resolves inside the build);
// - the floor: the same three requirements installed into a host venv by uv from an empty cache, no image
//   (the host's CPython 3.11 rather than the image's 3.13: the same wheels for another tag);
// - the rebuild after one pip package is added to the spec (lock and build), and how many of the cold image's
//   layers it reuses (a reused torch layer downloads no torch or nvidia-* wheel again);
// - both image sizes.
// Needs root, a running engine, torchstack-local/debian:13 (`npm run engine:setup`), the bundle
// (`npm run build`) and PyPI (or PIP_INDEX_URL's mirror). About 10 minutes and 20 GB of disk on 2 shared
// cores; every image it builds is removed at the end.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const DOCKER = "/usr/bin/docker";
const NAME = "bench-cuda";
const HW = "bench-handwritten-cuda";
const root = mkdtempSync(join(tmpdir(), "torchstack-bench-cuda-"));
const env = { ...process.env, TORCHSTACK_STATE_DIR: join(root, "state"), DOCKER_BUILDKIT: "1" };

function sh(file, args, options = {}) {
  const result = spawnSync(file, args, { encoding: "utf8", env, maxBuffer: 256 * 1024 * 1024, ...options });
  if (result.status !== 0 && !options.allowFail)
    throw new Error(
      `${file} ${args.join(" ")} exited ${result.status}\n${(result.stderr ?? "").slice(-3000)}`,
    );
  return result;
}
function timed(file, args, options) {
  const start = performance.now();
  const result = sh(file, args, options);
  return { seconds: (performance.now() - start) / 1000, result };
}
const torchstack = (args) => timed(process.execPath, ["bin/torchstack.js", ...args]);
const round = (s) => Math.round(s * 10) / 10;
const gb = (bytes) => Math.round(bytes / 1e7) / 100;
const ratio = (a, b) => Math.round((a / b) * 100) / 100;
const sizeOf = (ref) => Number(sh(DOCKER, ["image", "inspect", "--format", "{{.Size}}", ref]).stdout.trim());
const layersOf = (ref) =>
  JSON.parse(sh(DOCKER, ["image", "inspect", "--format", "{{json .RootFS.Layers}}", ref]).stdout);

if (sh(DOCKER, ["image", "inspect", "torchstack-local/debian:13"], { allowFail: true }).status !== 0) {
  console.error(
    "cuda-image: skipped (needs a running engine and torchstack-local/debian:13: npm run engine:setup)",
  );
  process.exit(0);
}

/** The newest release whose PyPI CUDA build the catalog confirms for CPython 3.13, as the engine test picks it. */
function newestPypiRelease() {
  const lines = sh(process.execPath, [
    "bin/torchstack.js",
    "resolve",
    "--no-host",
    "--python",
    "3.13",
    "--json",
  ]).stdout;
  const stack = JSON.parse(lines).stack;
  return { torch: stack.torch, cuda: stack.cuda };
}

function writeSpec(folder, extraPip) {
  const dir = join(root, folder);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "torchstack.yaml");
  writeFileSync(
    file,
    [
      `name: ${NAME}`,
      "base: image:torchstack-local/debian:13",
      `torch: "${release.torch}"`,
      `cuda: "${release.cuda}"`,
      'python: "3.13"',
      "torchaudio: false",
      "apps:\n  jupyter: true",
      ...(extraPip ? [`packages:\n  pip: ["${extraPip}"]`] : []),
      "",
    ].join("\n"),
  );
  return file;
}

function removeImages() {
  for (const filter of [`label=dev.torchstack.spec-name=${NAME}`, `reference=${HW}`]) {
    const ids = [
      ...new Set(sh(DOCKER, ["images", "-q", "--filter", filter]).stdout.split(/\s+/).filter(Boolean)),
    ];
    if (ids.length > 0) sh(DOCKER, ["rmi", "-f", ...ids], { allowFail: true });
  }
}

/** The host's CA bundle as the hand-written build's `ca` secret (torchstack's build passes the same one). */
function caSecret() {
  const ca = [env.PIP_CERT, env.REQUESTS_CA_BUNDLE, env.SSL_CERT_FILE].find((f) => f && existsSync(f));
  return ca ? ["--secret", `id=ca,src=${ca}`] : [];
}

const release = newestPypiRelease();
console.error(`› torch ${release.torch} (CUDA ${release.cuda}) from PyPI on Debian 13`);
removeImages();
// All of it, not only the cache mounts: an earlier build of the same steps would otherwise serve the rebuild's
// layers, and the rebuild would not be measured against this cold build.
console.error(
  "› clearing the engine's whole BuildKit cache (both sides start from an empty wheel and layer cache)",
);
sh(DOCKER, ["builder", "prune", "-af"]);

const spec = writeSpec("cold", null);
console.error("› torchstack lock (the wheel set by sha256, from metadata)");
const tsLock = torchstack(["lock", "-f", spec, "--no-host", "--json"]);
const lock = JSON.parse(readFileSync(spec.replace(/yaml$/, "lock"), "utf8"));
const pinOf = (name) =>
  [...lock.pins.torch, ...lock.pins.apps]
    .map((p) => p.requirement)
    .find((r) => r.startsWith(`${name}==`))
    ?.split("==")[1];
const versions = {
  torch: pinOf("torch"),
  torchvision: pinOf("torchvision"),
  jupyterlab: pinOf("jupyterlab"),
};
console.error("› torchstack build --no-cache");
const tsCold = torchstack(["build", "-f", spec, "--network", "host", "--no-cache", "--json"]);
const tsImage = JSON.parse(tsCold.result.stdout).image;
// Read now: the rebuild moves the same stack tag to the grown image.
const coldLayers = layersOf(tsImage);
const tsSize = sizeOf(tsImage);

console.error("› hand-written build --no-cache (pip install torch torchvision jupyterlab)");
const hwCold = timed(DOCKER, [
  "build",
  "--no-cache",
  "--network",
  "host",
  ...["--build-arg", `TORCH=${versions.torch}`],
  ...["--build-arg", `TORCHVISION=${versions.torchvision}`],
  ...["--build-arg", `JUPYTERLAB=${versions.jupyterlab}`],
  ...["-t", `${HW}:cold`],
  ...caSecret(),
  "bench/handwritten-cuda",
]);

console.error("› floor: uv into a host venv from an empty cache (no image)");
const uvTool = join(root, "uv-tool");
sh("python3", ["-m", "venv", uvTool]);
sh(join(uvTool, "bin", "pip"), ["install", "--quiet", "uv"]);
const uv = join(uvTool, "bin", "uv");
const uvEnv = { ...env, UV_CACHE_DIR: join(root, "uv-cache") };
sh(uv, ["venv", "--python", "/usr/bin/python3", join(root, "floor")], { env: uvEnv });
const floor = timed(
  uv,
  [
    "pip",
    "install",
    "--python",
    join(root, "floor", "bin", "python"),
    `torch==${versions.torch}`,
    `torchvision==${versions.torchvision}`,
    `jupyterlab==${versions.jupyterlab}`,
  ],
  { env: uvEnv },
);

console.error("› one more pip package in the spec: lock, then build");
const grown = writeSpec("cold", "rich==13.9.4");
const reLock = torchstack(["lock", "-f", grown, "--no-host", "--json"]);
const torchLayer = (l) => JSON.stringify(l.wheels?.wheels.filter((w) => w.layer === "torch"));
const torchWheelsKept =
  torchLayer(JSON.parse(readFileSync(grown.replace(/yaml$/, "lock"), "utf8"))) === torchLayer(lock);
const reBuild = torchstack(["build", "-f", grown, "--network", "host", "--json"]);
const grownImage = JSON.parse(reBuild.result.stdout).image;
const grownLayers = layersOf(grownImage);
const shared = grownLayers.filter((layer, i) => coldLayers[i] === layer).length;

const results = {
  date: new Date().toISOString().slice(0, 10),
  machine: "2 shared cores, Debian 12 host, Docker 20.10 (BuildKit), wheels from PyPI",
  stack: { ...versions, cuda: release.cuda, python: "3.13", base: "torchstack-local/debian:13" },
  wheels: lock.wheels?.wheels.length ?? 0,
  torchstack: {
    lockSeconds: round(tsLock.seconds),
    buildSeconds: round(tsCold.seconds),
    sizeGB: gb(tsSize),
    rebuild: {
      lockSeconds: round(reLock.seconds),
      buildSeconds: round(reBuild.seconds),
      layersReused: shared,
      torchWheelsKept,
      layers: grownLayers.length,
    },
  },
  handwritten: { buildSeconds: round(hwCold.seconds), sizeGB: gb(sizeOf(`${HW}:cold`)) },
  uvFloorSeconds: round(floor.seconds),
};
const ts = results.torchstack;
results.ratios = {
  buildVsHandwritten: ratio(ts.buildSeconds, results.handwritten.buildSeconds),
  lockAndBuildVsHandwritten: ratio(ts.lockSeconds + ts.buildSeconds, results.handwritten.buildSeconds),
  buildVsUvFloor: ratio(ts.buildSeconds, results.uvFloorSeconds),
  rebuildBuildShare: ratio(ts.rebuild.buildSeconds, ts.buildSeconds),
  sizeVsHandwritten: ratio(ts.sizeGB, results.handwritten.sizeGB),
};
mkdirSync("docs/bench/", { recursive: true });
writeFileSync("docs/bench/bench-cuda-image.json", `${JSON.stringify(results, null, 2)}\n`);

const r = results.ratios;
const met = (ok) => (ok ? "yes" : "**no**");
const md = `# A CUDA wheel image against a hand-written Dockerfile

Measured by \`node bench/cuda-image.mjs\` on ${results.date} (${results.machine}): torch ${versions.torch}
(CUDA ${release.cuda}), torchvision ${versions.torchvision}, JupyterLab ${versions.jupyterlab}, Python 3.13, on the
local Debian 13 base; ${results.wheels} wheels in torchstack's lock. Both sides started from an empty wheel cache
(the engine's whole BuildKit cache cleared, \`--no-cache\` builds); the hand-written Dockerfile is
[bench/handwritten-cuda/Dockerfile](../../bench/handwritten-cuda/Dockerfile).

| measure | target | measured | met |
| --- | --- | --- | --- |
| cold build vs hand-written | ≤ 0.7× | torchstack build ${ts.buildSeconds} s vs ${results.handwritten.buildSeconds} s (${r.buildVsHandwritten}×); with its lock first ${round(ts.lockSeconds + ts.buildSeconds)} s (${r.lockAndBuildVsHandwritten}×) | ${met(r.buildVsHandwritten <= 0.7)} |
| cold build vs uv into a host venv (no image) | ≤ 1.5× | ${ts.buildSeconds} s vs ${results.uvFloorSeconds} s (${r.buildVsUvFloor}×) | ${met(r.buildVsUvFloor <= 1.5)} |
| rebuild after one added pip package | ≤ 5% of the cold build | build ${ts.rebuild.buildSeconds} s (${Math.round(r.rebuildBuildShare * 100)}%), ${ts.rebuild.layersReused} of ${ts.rebuild.layers} layers reused (torch and every nvidia-* wheel among them); its lock ${ts.rebuild.lockSeconds} s, ${ts.rebuild.torchWheelsKept ? "keeping" : "**not** keeping"} the torch layer's wheels | ${met(r.rebuildBuildShare <= 0.05)} |
| image size vs hand-written | ≤ 1.0× | ${ts.sizeGB} GB vs ${results.handwritten.sizeGB} GB (${r.sizeVsHandwritten}×) | ${met(r.sizeVsHandwritten <= 1.0)} |

What each side does: torchstack's build installs uv (a locked wheel) with pip, then the locked wheels with
\`uv pip install --require-hashes --no-deps --compile-bytecode\` (no resolution in the build), in layers (torch
and its CUDA wheels, unpacked in place and hard-linked; the apps; your packages), runs the self-check, and writes
the full-freeze constraints; its lock resolved the set beforehand from metadata, and the rebuild's lock kept the
torch and apps layers' wheels and resolved only the added package. The hand-written build resolves and installs in one \`pip
install\` (which compiles bytecode too). The uv floor is the host's CPython 3.11 (the image's 3.13 is not on the
host): the same packages, another wheel tag. The official \`pytorch/pytorch\` runtime image's
published size is not compared here: its registry is not reachable from these machines.
`;
writeFileSync("docs/bench/bench-cuda-image.md", md);
console.log(md);

removeImages();
rmSync(root, { recursive: true, force: true });

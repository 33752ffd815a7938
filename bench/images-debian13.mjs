// Benchmark: the Debian 13 image, SBOM and exports against their targets, side by side in one run, written to docs/bench/bench-images.md and .json:
// - the Debian 13 toolchain image (examples/cpu) against a hand-written Dockerfile with the same packages
//   (bench/handwritten-debian13/): image size (target ≤ 1.0×), a --no-cache build of each (downloads come
//   from the BuildKit apt cache mount on both sides, so this is install time, not network time), and the
//   rebuild after one added package (target ≤ 15% of the cold build);
// - verify's torch.compile check time inside the image;
// - `torchstack sbom` from the lock's inventory (target < 2 s) and `export devcontainer|compose` (< 300 ms):
//   each run CLI_RUNS times, the median reported with the range and the load average around them (the
//   cores are shared, and one run alone swings with whatever else runs).
// Needs root, a running engine, torchstack-local/debian:13 (`npm run engine:setup`) and the bundle
// (`npm run build`). About 30 minutes on 2 shared cores; BENCH_IMAGES_QUICK=1 skips the two cold builds.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const DOCKER = "/usr/bin/docker";
const root = mkdtempSync(join(tmpdir(), "torchstack-bench-images-"));
const env = { ...process.env, TORCHSTACK_STATE_DIR: join(root, "state"), DOCKER_BUILDKIT: "1" };
const quick = process.env.BENCH_IMAGES_QUICK === "1";

function sh(file, args, options = {}) {
  const result = spawnSync(file, args, { encoding: "utf8", env, maxBuffer: 256 * 1024 * 1024, ...options });
  if (result.status !== 0 && !options.allowFail)
    throw new Error(
      `${file} ${args.join(" ")} exited ${result.status}\n${(result.stderr ?? "").slice(-2000)}`,
    );
  return result;
}

function timed(file, args, options) {
  const start = performance.now();
  const result = sh(file, args, options);
  return { seconds: (performance.now() - start) / 1000, result };
}

if (sh(DOCKER, ["image", "inspect", "torchstack-local/debian:13"], { allowFail: true }).status !== 0) {
  console.error(
    "images-debian13: skipped (needs a running engine and torchstack-local/debian:13: npm run engine:setup)",
  );
  process.exit(0);
}

const torchstack = (args, options) => timed(process.execPath, ["bin/torchstack.js", ...args], options);
const CLI_RUNS = 5;
/** The command CLI_RUNS times: the median, the fastest and the slowest run, in seconds. */
function torchstackRuns(args) {
  const seconds = Array.from({ length: CLI_RUNS }, () => torchstack(args).seconds).sort((a, b) => a - b);
  return { median: seconds[Math.floor(CLI_RUNS / 2)], min: seconds[0], max: seconds[CLI_RUNS - 1] };
}
const sizeOf = (ref) => Number(sh(DOCKER, ["image", "inspect", "--format", "{{.Size}}", ref]).stdout.trim());
const mb = (bytes) => Math.round(bytes / 1e6);
const round = (s) => Math.round(s * 10) / 10;
const ms = (s) => Math.round(s * 1000);

function specCopy(folder, extra = "") {
  const dir = join(root, folder);
  mkdirSync(dir, { recursive: true });
  const yaml = readFileSync("examples/cpu/torchstack.yaml", "utf8").replace(
    "name: cpu-example",
    "name: bench-images",
  );
  writeFileSync(join(dir, "torchstack.yaml"), yaml + extra);
  return join(dir, "torchstack.yaml");
}

const base = specCopy("base");
console.error(`› torchstack build${quick ? "" : " --no-cache"} (Debian 13 toolchain example)`);
const tsCold = torchstack([
  "build",
  "-f",
  base,
  "--network",
  "host",
  "--json",
  ...(quick ? [] : ["--no-cache"]),
]);
const tsImage = JSON.parse(tsCold.result.stdout).image;
console.error("› torchstack rebuild with one more package (less)");
const grown = specCopy("grown", "packages:\n  apt: [less]\n");
const tsRebuild = torchstack(["build", "-f", grown, "--network", "host", "--json"]);

const hwBuild = (extra, cold) =>
  timed(DOCKER, [
    "build",
    ...(cold ? ["--no-cache"] : []),
    "--network",
    "host",
    "--build-arg",
    `BENCH_EXTRA=${extra}`,
    "-t",
    extra ? "bench-handwritten13:grown" : "bench-handwritten13:base",
    "bench/handwritten-debian13",
  ]);
console.error(`› hand-written build${quick ? "" : " --no-cache"}`);
const hwCold = hwBuild("", !quick);
console.error("› hand-written rebuild with one more package (less)");
const hwRebuild = hwBuild("less", false);

console.error("› verify's torch.compile check inside the image");
const verify = sh(
  DOCKER,
  [
    "run",
    "--rm",
    "-i",
    "--network",
    "none",
    "--shm-size",
    "1g",
    "--entrypoint",
    "python3",
    tsImage,
    "-",
    "--json",
  ],
  {
    input: readFileSync("src/probe/scripts/verify_probe.py", "utf8"),
    allowFail: true,
  },
);
const checks = JSON.parse(verify.stdout.trim().split("\n").at(-1) ?? "{}").checks ?? [];
const compile = checks.find((c) => c.name === "torch_compile") ?? { status: "missing", ms: 0 };

console.error(`› sbom and exports (${CLI_RUNS} runs each)`);
const loadBefore = loadavg()[0];
const sbom = torchstackRuns(["sbom", "-f", base, "--json"]);
const outDir = join(root, "out");
mkdirSync(outDir);
const devcontainer = torchstackRuns(["export", "devcontainer", "-f", base, "-o", outDir, "--json"]);
const compose = torchstackRuns([
  "export",
  "compose",
  "-f",
  base,
  "-o",
  join(outDir, "compose.yaml"),
  "--workspace",
  outDir,
  "--json",
]);

const results = {
  date: new Date().toISOString().slice(0, 10),
  machine: "2 shared cores, Debian 12 host, Docker 20.10 (BuildKit), downloads from the BuildKit apt cache",
  coldBuildsMeasured: !quick,
  torchstack: {
    image: tsImage,
    sizeMB: mb(sizeOf(tsImage)),
    buildSeconds: round(tsCold.seconds),
    rebuildSeconds: round(tsRebuild.seconds),
  },
  handwritten: {
    sizeMB: mb(sizeOf("bench-handwritten13:base")),
    buildSeconds: round(hwCold.seconds),
    rebuildSeconds: round(hwRebuild.seconds),
  },
  verifyTorchCompile: { status: compile.status, seconds: round(compile.ms / 1000) },
  cliRuns: CLI_RUNS,
  cliLoadAverage: { before: round(loadBefore), after: round(loadavg()[0]) },
  sbomSeconds: round(sbom.median),
  sbomRangeSeconds: [round(sbom.min), round(sbom.max)],
  exportDevcontainerMs: ms(devcontainer.median),
  exportDevcontainerRangeMs: [ms(devcontainer.min), ms(devcontainer.max)],
  exportComposeMs: ms(compose.median),
  exportComposeRangeMs: [ms(compose.min), ms(compose.max)],
};
results.sizeRatio = Math.round((results.torchstack.sizeMB / results.handwritten.sizeMB) * 100) / 100;
results.rebuildShare = Math.round(
  (results.torchstack.rebuildSeconds / results.torchstack.buildSeconds) * 100,
);
// A hand-written rebuild (its one RUN again) far below its cold build can only be a build-cache hit.
const staleRebuild = !quick && results.handwritten.rebuildSeconds < 0.2 * results.handwritten.buildSeconds;
results.rebuildFromEarlierCache = staleRebuild;
writeFileSync("docs/bench/bench-images.json", `${JSON.stringify(results, null, 2)}\n`);

const row = (what, target, value, ok) =>
  `| ${what} | ${target} | ${value} | ${typeof ok === "string" ? ok : ok ? "yes" : "**no**"} |`;
const md = `# Images: the Debian 13 toolchain image against a hand-written Dockerfile

Measured by \`node bench/images-debian13.mjs\` on ${results.date} (${results.machine}). Both sides install the
same packages on the same local base (\`torchstack-local/debian:13\`): Debian 13's torch 2.6 family, the
toolchain torch.compile needs (g++, python3-dev, python3-setuptools, libtorch-dev), JupyterLab and OpenSSH.
${quick ? "\nQuick run (BENCH_IMAGES_QUICK=1): the builds were cached, so build times are not cold.\n" : ""}
| measure | target | torchstack | met |
| --- | --- | --- | --- |
${row("image size vs hand-written", "≤ 1.0×", `${results.torchstack.sizeMB} MB vs ${results.handwritten.sizeMB} MB (${results.sizeRatio}×)`, results.sizeRatio <= 1.0)}
${row("rebuild after one added package", "≤ 15% of a cold build", `${results.torchstack.rebuildSeconds} s of ${results.torchstack.buildSeconds} s (${results.rebuildShare}%); hand-written ${results.handwritten.rebuildSeconds} s of ${results.handwritten.buildSeconds} s`, staleRebuild ? "not measured (cache, see below)" : results.rebuildShare <= 15)}
${row("verify's torch.compile check", "reported", `${compile.status}, ${results.verifyTorchCompile.seconds} s (first compile, CPU inductor)`, compile.status === "pass")}
${row("sbom on the example image", "< 2 s", `${results.sbomSeconds} s (${results.sbomRangeSeconds.join(" to ")} s)`, results.sbomSeconds < 2)}
${row("export devcontainer", "< 300 ms", `${results.exportDevcontainerMs} ms (${results.exportDevcontainerRangeMs.join(" to ")} ms)`, results.exportDevcontainerMs < 300)}
${row("export compose", "< 300 ms", `${results.exportComposeMs} ms (${results.exportComposeRangeMs.join(" to ")} ms)`, results.exportComposeMs < 300)}

The hand-written image rebuilds everything after one added package (one RUN); torchstack's layers put your
packages last, so only that layer is rebuilt.
${
  staleRebuild
    ? `
The rebuilds found the added package's layer in the engine's build cache from an earlier run of this bench
(BuildKit keeps it; a one-RUN hand-written rebuild cannot take ${results.handwritten.rebuildSeconds} s otherwise), so that row does not
measure a fresh rebuild on this run. An earlier run (2026-12-01, first on this machine) measured torchstack
2.8 s of 615.6 s and the hand-written image 496.3 s of 545 s.
`
    : ""
}
sbom and export: the median of ${CLI_RUNS} runs of each command, with the fastest and slowest in brackets;
the 1-minute load average was ${results.cliLoadAverage.before} before them and ${results.cliLoadAverage.after} after (2 cores shared with other
work). Each time is the whole process: Node's start-up (about 0.1 s here) and the bundle's load; for
export the spec loaded, its lock re-checked against the catalog and both files written; for sbom the
inventory read beside the lock, the document built, validated against the official CycloneDX 1.6 schema
and written. The schema is compiled ahead of time (\`scripts/write-sbom-validator.mjs\`, ajv's
standalone code), and an export whose spec sets \`run.network\` neither loads the engine client nor asks
the engine. Before those two changes (2026-12-01, same machine) sbom took 2.0 to 3.1 s and export 340 to
756 ms.
`;
writeFileSync("docs/bench/bench-images.md", md);
console.error(md);

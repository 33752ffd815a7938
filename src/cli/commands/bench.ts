/** `torchstack bench`: measure this torch stack against the GPU's datasheet, or compare two saved runs. */

import { resolve } from "node:path";
import { UsageError } from "../../errors/torchstack-error.js";
import { environmentNameValue, outputFileValue } from "../args.js";
import { defineCommand } from "../command.js";
import { chooseProbeTarget } from "../spec-environment.js";

export const benchCommand = defineCommand({
  name: "bench",
  summary: "measure matmul TFLOPS, bandwidth, copies, compile/AMP speedups, all-reduce, DataLoader",
  usage: "bench [--python PATH] [--in NAME] [--quick] [--json] [-o FILE] | bench --compare A.json B.json",
  description:
    "Runs the bench probe (src/probe/scripts/bench_probe.py). Each figure is shown next to the GPU's datasheet peak " +
    "from the catalog and the fraction reached; clocks, power and throttle reasons are sampled during the run. On a " +
    "machine without a usable GPU it runs CPU-sized versions and says so. The result is saved as the latest bench " +
    "result (and to FILE with -o). --compare shows two saved results side by side with deltas. Without --in or " +
    "--python, in a folder whose torchstack.yaml environment is running, it benchmarks that environment and says so.",
  options: {
    python: {
      type: "string",
      valueName: "PATH",
      description: "Python interpreter to bench (default: python3 on PATH)",
    },
    in: {
      type: "string",
      valueName: "NAME",
      description: "bench inside the environment NAME (default: the spec's, when it is running)",
    },
    quick: { type: "boolean", description: "fewer sizes and repeats (about a minute on a GPU)" },
    output: { type: "string", short: "o", valueName: "FILE", description: "also write the result to FILE" },
    compare: { type: "boolean", description: "compare two saved results: bench --compare A.json B.json" },
  },
  positionals: [{ name: "FILES", description: "with --compare: the two result files", variadic: true }],
  examples: [
    "torchstack bench --quick --python /usr/bin/python3",
    "torchstack bench --compare a.json b.json",
  ],
  async run(input, io) {
    if (input.flags.compare) {
      const [a, b, ...extra] = input.positionals;
      if (!a || !b || extra.length > 0)
        throw new UsageError("bench --compare needs exactly two files: A.json B.json");
      const { loadBench } = await import("../../probe/run-bench.js");
      const { compareBench, renderCompare } = await import("../../probe/render-bench.js");
      const rows = compareBench(await loadBench(resolve(io.cwd, a)), await loadBench(resolve(io.cwd, b)));
      return { json: { a, b, rows }, text: renderCompare(rows, [a, b]) };
    }
    if (input.positionals.length > 0)
      throw new UsageError("bench takes no arguments (did you mean --compare A B?)");
    const { runBench } = await import("../../probe/run-bench.js");
    const { renderBench } = await import("../../probe/render-bench.js");
    const output = outputFileValue(input.flags.output, "--output", io.cwd, "bench.json");
    if (output === "-")
      throw new UsageError(
        "bench prints its result on standard output already; -o takes a FILE (use --json for JSON)",
      );
    if (output !== undefined) {
      const { checkWritable } = await import("../../probe/save-result.js");
      checkWritable(resolve(io.cwd, output));
    }
    const { isEnvironmentRunning } = await import("../../environments/environment-running.js");
    const python = input.flags.python;
    const target = await chooseProbeTarget(
      { inEnv: environmentNameValue(input.flags.in, "--in"), python },
      io.cwd,
      (name) => isEnvironmentRunning(io.env, name),
    );
    const inEnv = target.inEnv;
    io.reporter.step(
      `benchmarking ${target.note ?? (inEnv ? `environment ${inEnv}` : "this host")}${input.flags.quick ? " (quick)" : ""}`,
    );
    const result = await runBench({
      env: io.env,
      signal: io.signal,
      timeoutMs: 1_800_000,
      python,
      inEnv,
      quick: input.flags.quick,
      warn: (message) => io.reporter.warn(message),
      output: output === undefined ? undefined : resolve(io.cwd, output),
      onStderr: (chunk) => {
        for (const line of chunk.split("\n")) if (line.startsWith("bench: ")) io.reporter.info(line.slice(7));
      },
    });
    return { json: result, text: renderBench(result) };
  },
});

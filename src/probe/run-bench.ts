/**
 * `bench` core: runs the bench probe (with the harness self-check), annotates
 * each figure with the datasheet peak, saves the result (latest.json and -o
 * FILE), and loads two saved results for `--compare`.
 */
import { readFile } from "node:fs/promises";
import { TorchstackError } from "../errors/torchstack-error.js";
import { latestResultPath } from "../fs/state-dir.js";
import { type BenchSummary, summariseBench } from "./bench-peaks.js";
import { type BenchProbe, benchProbeSchema } from "./probe-schemas.js";
import { type RunProbeOptions, runProbe } from "./run-probe.js";
import { saveLatestResult, saveResult } from "./save-result.js";

export type SavedBench = BenchSummary & { raw: BenchProbe };

export interface BenchOptions extends RunProbeOptions {
  python?: string | undefined;
  inEnv?: string | undefined;
  quick?: boolean;
  output?: string | undefined;
  save?: string | false;
  /** Told when the latest result cannot be saved (the command still succeeds). */
  warn?: (message: string) => void;
}

export async function runBench(options: BenchOptions): Promise<SavedBench> {
  const args = ["--selfcheck", ...(options.quick ? ["--quick"] : [])];
  const run = await runProbe("bench", { python: options.python, inEnv: options.inEnv }, { ...options, args });
  if (!run.doc.ok) {
    throw new TorchstackError(
      "E_BENCH_FAILED",
      `bench could not run in ${run.where}: ${run.doc.error ?? "unknown error"}`,
      {
        remedies: options.inEnv
          ? [`check the environment first: torchstack doctor --in ${options.inEnv}`]
          : [
              "bench an environment started with torchstack up: torchstack bench --in NAME (the default in its spec's folder)",
              "or pass a Python with torch: --python /usr/bin/python3",
              "check the interpreter first: torchstack doctor --python PATH",
            ],
      },
    );
  }
  const result: SavedBench = { ...summariseBench(run.doc), raw: run.doc };
  const latest = options.save === undefined ? latestResultPath(options.env, "bench") : options.save;
  if (latest) saveLatestResult(latest, result, options.warn ?? (() => {}));
  if (options.output) saveResult(options.output, result);
  return result;
}

/** Reads a file written by `bench -o` (or a raw probe document) and summarises it. */
export async function loadBench(file: string): Promise<BenchSummary> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new TorchstackError("E_BENCH_FILE", `${file} is not a readable JSON bench result`, {
      remedies: ["write one with: torchstack bench -o FILE"],
      cause: error,
    });
  }
  const inner = typeof raw === "object" && raw !== null && "raw" in raw ? (raw as { raw: unknown }).raw : raw;
  const parsed = benchProbeSchema.safeParse(inner);
  if (!parsed.success) {
    throw new TorchstackError("E_BENCH_FILE", `${file} is not a torchstack bench result`, {
      remedies: ["write one with: torchstack bench -o FILE"],
    });
  }
  return summariseBench(parsed.data);
}

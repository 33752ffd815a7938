/** `torchstack diagnose`: name the known problems in a log or traceback, with cause, evidence and fix. */

import { existsSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { resolve } from "node:path";
import { TorchstackError, UsageError } from "../../errors/torchstack-error.js";
import { environmentNameValue } from "../args.js";
import { defineCommand } from "../command.js";

/**
 * File reads of 64 KiB: each chunk and its decoded string stay in V8's young
 * generation (1 MiB chunks go to the large-object space and pile up until a
 * full collection: +30 MiB resident in docs/bench/bench-diagnose.md's file case).
 */
const READ_CHUNK = 2 ** 16;

/** Why a log file could not be read, by errno code. */
const UNREADABLE: Record<string, string> = {
  ENOENT: "no such file",
  EISDIR: "it is a directory, not a log file",
  EACCES: "permission denied",
};

function unreadable(file: string, error: unknown): TorchstackError {
  const code = error instanceof Error && "code" in error ? String(error.code) : "";
  const why = UNREADABLE[code] ?? (error instanceof Error ? error.message : String(error));
  return new TorchstackError("E_LOG_UNREADABLE", `cannot read ${file}: ${why}`, {
    remedies: [
      "give the path of a log file: torchstack diagnose train.log",
      "or pipe it in: … 2>&1 | torchstack diagnose -",
    ],
    cause: error,
  });
}

async function openLog(path: string, file: string): Promise<FileHandle> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, "r");
    if ((await handle.stat()).isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
    return handle;
  } catch (error) {
    await handle?.close();
    throw unreadable(file, error);
  }
}

export const diagnoseCommand = defineCommand({
  name: "diagnose",
  summary: "read a log or traceback and name each known problem with its cause, evidence and fix",
  usage: "diagnose [FILE|-] [--tee] [--in NAME] [--json]",
  description:
    "Matches the log line by line against known PyTorch/CUDA failures (src/diagnose/known-errors.ts): " +
    "kernel images and architectures, drivers (E_DRIVER_TOO_OLD, E_NVML_MISMATCH), libraries, shared memory, " +
    "GPU memory (E_CUDA_OOM, E_CUBLAS_ALLOC), kernel faults (E_ILLEGAL_MEMORY_ACCESS, E_DEVICE_ASSERT), " +
    "hardware (E_GPU_XID with the Xid's meaning, E_ECC_ERROR) and killed processes (E_PROCESS_KILLED). " +
    'With --json: {"ok":true,"findings":[{"code","title","cause","evidence","fix","line","occurrences"}]}. ' +
    "Reads stdin with - (or no FILE) and streams: any size of log in bounded memory. " +
    "With --tee every input line is passed through as it arrives (to stdout, or to stderr with --json) " +
    "and the findings follow at the end, so it can sit at the end of a pipe. " +
    "Exits 0 whether or not problems were found (the diagnosis itself succeeded); 1 only when the log cannot be read. " +
    "With --in NAME, doctor facts from that environment confirm or rule out each cause.",
  options: {
    in: { type: "string", valueName: "NAME", description: "add doctor facts from the environment NAME" },
    tee: {
      type: "boolean",
      description: "pass every input line through as it arrives (stderr with --json), findings at the end",
    },
  },
  positionals: [{ name: "FILE", description: "log file, or - for stdin (default: stdin)" }],
  examples: [
    "torchstack diagnose train.log",
    "python train.py 2>&1 | torchstack diagnose --tee -",
    "torchstack diagnose crash.txt --in dev --json",
  ],
  async run(input, io) {
    const [file, ...extra] = input.positionals;
    if (extra.length > 0) throw new UsageError("diagnose takes one FILE (or - for stdin)");
    const inEnv = environmentNameValue(input.flags.in, "--in");
    const tee = input.flags.tee ? (io.json ? io.stderr : io.stdout) : undefined;
    const { diagnoseStream } = await import("../../diagnose/diagnose-stream.js");
    const { loadCatalog } = await import("../../catalog/catalog.js");
    const catalog = await loadCatalog({ env: io.env });
    const options = { signal: io.signal, catalog, ...(tee ? { tee } : {}) };
    let diagnosis: Awaited<ReturnType<typeof diagnoseStream>>;
    if (file === undefined || file === "-") {
      if (file === undefined && io.stdinIsTTY) throw new UsageError("give a log FILE, or pipe one in with -");
      diagnosis = await diagnoseStream(io.stdin, options);
    } else {
      const handle = await openLog(resolve(io.cwd, file), file);
      try {
        diagnosis = await diagnoseStream(
          handle.createReadStream({ autoClose: false, highWaterMark: READ_CHUNK }),
          options,
        );
      } catch (error) {
        throw unreadable(file, error);
      } finally {
        await handle.close();
      }
    }
    const { renderDiagnosis } = await import("../../diagnose/render-diagnosis.js");
    if (diagnosis.interrupted)
      io.reporter.warn(`interrupted after ${diagnosis.lines} lines: findings so far`);
    let findings = diagnosis.findings;
    if (inEnv && findings.length > 0) {
      io.reporter.step(`collecting doctor facts in environment ${inEnv}`);
      const { runDoctor } = await import("../../probe/run-doctor.js");
      const { addDoctorFacts } = await import("../../diagnose/add-doctor-facts.js");
      const doctor = await runDoctor({ env: io.env, signal: io.signal, inEnv, save: false });
      findings = addDoctorFacts(findings, doctor, `environment ${inEnv}`);
    }
    // Beside a torchstack.yaml or for an environment, torch changes go through the spec (pip is refused there).
    if (inEnv || existsSync(resolve(io.cwd, "torchstack.yaml"))) {
      const { findingsInSpecTerms } = await import("../../diagnose/spec-fixes.js");
      findings = findingsInSpecTerms(findings);
    }
    // ok: the diagnosis itself succeeded (exit 0 whether or not problems were found; read `findings`)
    return { json: { ok: true, findings }, text: renderDiagnosis(findings) };
  },
});

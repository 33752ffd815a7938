/** `torchstack diagnose`: name the known problems in a log or traceback, with cause, evidence and fix. */

import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { TorchstackError, UsageError } from "../../errors/torchstack-error.js";
import { environmentFlag } from "../args.js";
import { defineCommand } from "../command.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** Why a log file could not be read, by errno code. */
const UNREADABLE: Record<string, string> = {
  ENOENT: "no such file",
  EISDIR: "it is a directory, not a log file",
  EACCES: "permission denied",
};

export const diagnoseCommand = defineCommand({
  name: "diagnose",
  summary: "read a log or traceback and name each known problem with its cause, evidence and fix",
  usage: "diagnose [FILE|-] [--in NAME] [--json]",
  description:
    "Matches the log against known PyTorch/CUDA failures (src/diagnose/known-errors.ts): E_NO_KERNEL_IMAGE, " +
    "E_ARCH_NOT_COMPATIBLE, E_DRIVER_TOO_OLD, E_INVALID_DEVICE_ORDINAL, E_LIBRARY_MISMATCH, E_EXTENSION_ABI_MISMATCH, " +
    "E_TORCHVISION_MISMATCH, " +
    "E_NOT_COMPILED_WITH_CUDA, E_NCCL_SHM, E_DATALOADER_SHM, E_NO_GPU_VISIBLE, E_CUDA_OOM. " +
    'With --json: {"findings":[{"code","title","cause","evidence","fix"}]}. Reads stdin with - (or no FILE). ' +
    "Exits 0 whether or not problems were found (the diagnosis itself succeeded); 1 only when the log cannot be read. " +
    "With --in NAME, doctor facts from that environment confirm or rule out each cause.",
  options: {
    in: { type: "string", valueName: "NAME", description: "add doctor facts from the environment NAME" },
  },
  positionals: [{ name: "FILE", description: "log file, or - for stdin (default: stdin)" }],
  examples: [
    "torchstack diagnose train.log",
    "python train.py 2>&1 | torchstack diagnose -",
    "torchstack diagnose crash.txt --in dev --json",
  ],
  async run(input, io) {
    const [file, ...extra] = input.positionals;
    if (extra.length > 0) throw new UsageError("diagnose takes one FILE (or - for stdin)");
    const inEnv = environmentFlag(input, "in");
    let log: string;
    if (file === undefined || file === "-") {
      if (file === undefined && process.stdin.isTTY)
        throw new UsageError("give a log FILE, or pipe one in with -");
      log = await readStdin();
    } else {
      try {
        log = await readFile(resolve(io.cwd, file), "utf8");
      } catch (error) {
        const code = error instanceof Error && "code" in error ? String(error.code) : "";
        const why = UNREADABLE[code] ?? (error instanceof Error ? error.message : String(error));
        throw new TorchstackError("E_LOG_UNREADABLE", `cannot read ${file}: ${why}`, {
          remedies: [
            "give the path of a log file: torchstack diagnose train.log",
            "or pipe it in: … 2>&1 | torchstack diagnose -",
          ],
          cause: error,
        });
      }
    }
    const { diagnoseLog } = await import("../../diagnose/diagnose-log.js");
    const { renderDiagnosis } = await import("../../diagnose/render-diagnosis.js");
    let findings = diagnoseLog(log);
    if (inEnv && findings.length > 0) {
      io.reporter.step(`collecting doctor facts in environment ${inEnv}`);
      const { runDoctor } = await import("../../probe/run-doctor.js");
      const { addDoctorFacts } = await import("../../diagnose/add-doctor-facts.js");
      const doctor = await runDoctor({ env: io.env, signal: io.signal, inEnv, save: false });
      findings = addDoctorFacts(findings, doctor, `environment ${inEnv}`);
    }
    return { json: { findings }, text: renderDiagnosis(findings) };
  },
});

/**
 * What every `job` command after render hands the job workflows: the env, the
 * project's process runner and progress on stderr.
 */
import type { BackendContext } from "../../job/run/job-backend.js";
import { runProcess } from "../../process/run-process.js";
import type { CliIo } from "../command.js";

export function backendContext(io: CliIo): BackendContext {
  return { env: io.env, run: runProcess, progress: (line) => io.reporter.step(line) };
}

/** Runs the CLI in-process with captured stdout/stderr, for fast command tests. */
import { PassThrough } from "node:stream";
import { runCli } from "../../src/cli/run-cli.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString("utf8");
}

export async function runCliInMemory(
  argv: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const readOut = collect(stdout);
  const readErr = collect(stderr);
  const code = await runCli({
    argv,
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    stdout,
    stderr,
    signal: new AbortController().signal,
  });
  return { code, stdout: readOut(), stderr: readErr() };
}

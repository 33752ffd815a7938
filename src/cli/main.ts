/**
 * Process entry: `main()` wires the real process to runCli and turns Ctrl-C
 * and SIGTERM into an abort. A closed pipe on stdout (`… | head`) ends quietly
 * with 141 (128 + SIGPIPE, as the shell reports it); a full disk or another
 * write error on stdout (`… > /dev/full`) ends with one line on stderr and
 * exit 1, never a Node stack trace.
 *
 * This module is the bundle's entry (dist/cli.cjs): bin/torchstack.js loads
 * the bundle and calls `main()`; the build's code-cache warm-up calls `runCli`
 * with its own streams (scripts/write-code-cache.mjs).
 */
import { runCli } from "./run-cli.js";

export { runCli };

function endQuietlyOnWriteErrors(stream: NodeJS.WriteStream, name: string): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(141);
    if (name === "stdout") {
      const why = error.code === "ENOSPC" ? "no space left on device" : error.message;
      process.stderr.write(
        `torchstack: cannot write to standard output: ${why} (${error.code ?? "error"})\n`,
      );
    }
    process.exit(1);
  });
}

/** Runs the command line of this process; its exit code becomes the process's. */
export async function main(): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  const interrupt = (signal: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1) process.exit(signal === "SIGINT" ? 130 : 143);
    process.stderr.write(`\ninterrupted (${signal}): cleaning up (press Ctrl-C again to force)\n`);
    controller.abort(signal); // the reason tells runCli which exit code the shell expects (130 or 143)
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);
  endQuietlyOnWriteErrors(process.stdout, "stdout");
  endQuietlyOnWriteErrors(process.stderr, "stderr");

  process.exitCode = await runCli({
    argv: process.argv.slice(2),
    cwd: process.cwd(),
    env: process.env,
    stdin: process.stdin,
    stdinIsTTY: process.stdin.isTTY === true,
    stdout: process.stdout,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderr: process.stderr,
    signal: controller.signal,
  });
}

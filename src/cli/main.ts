/** Process entry: wires the real process to runCli and turns Ctrl-C into an abort. */
import { runCli } from "./run-cli.js";

const controller = new AbortController();
let interrupts = 0;
process.on("SIGINT", () => {
  interrupts += 1;
  if (interrupts > 1) process.exit(130);
  process.stderr.write("\ninterrupted: cleaning up (press Ctrl-C again to force)\n");
  controller.abort();
});

const code = await runCli({
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
process.exitCode = code;

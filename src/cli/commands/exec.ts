/**
 * `torchstack exec NAME -- CMD…`: runs a command in the environment as its
 * non-root user, in /workspace, streaming output and passing the exit code
 * through. With a terminal (or -i) stdin is attached; with a terminal also a TTY.
 */
import { connectEngine } from "../../engine/connect-engine.js";
import { findRunningEnvironment, userExecContext } from "../../environments/find-environment.js";
import { UsageError } from "../../errors/torchstack-error.js";
import { environmentPositional } from "../args.js";
import { defineCommand } from "../command.js";

export const execCommand = defineCommand({
  name: "exec",
  summary: "run a command in an environment as its user",
  usage: "exec NAME [-i] [--workdir DIR] -- CMD [ARG…]",
  description:
    "Runs CMD in the running environment NAME as the environment's user (the workspace owner's UID:GID), in " +
    "/workspace unless --workdir says otherwise. Output streams as it comes; the exit code is CMD's.",
  options: {
    interactive: { type: "boolean", short: "i", description: "attach stdin (automatic on a terminal)" },
    workdir: { type: "string", valueName: "DIR", description: "working directory (default /workspace)" },
  },
  positionals: [{ name: "NAME", description: "environment name", required: true }],
  passThrough: true,
  examples: [
    "torchstack exec cpu-example -- python3 -c 'import torch; print(torch.__version__)'",
    "torchstack exec cpu-example -- bash",
  ],
  async run(input, io) {
    const name = environmentPositional(input, 0);
    if (input.rest.length === 0)
      throw new UsageError("exec needs a command after --, e.g. torchstack exec NAME -- python3");
    const engine = await connectEngine(io.env, io.reporter);
    const container = await findRunningEnvironment(engine, name);
    const context = userExecContext(container);
    const tty = !io.json && io.stdinIsTTY && io.stdoutIsTTY;
    const attach = tty || input.flags.interactive;
    const stdin = io.stdin as typeof io.stdin & { setRawMode?: (raw: boolean) => unknown };
    if (tty) stdin.setRawMode?.(true);
    try {
      const result = await engine.containers.exec(container.id, {
        cmd: [...context.wrap, ...input.rest],
        user: context.user,
        workingDir: input.flags.workdir ?? "/workspace",
        env: context.env,
        tty,
        signal: io.signal,
        ...(attach ? { stdin } : {}),
        ...(io.json
          ? {}
          : { onStdout: (c: Buffer) => io.stdout.write(c), onStderr: (c: Buffer) => io.stderr.write(c) }),
      });
      return {
        json: {
          ok: result.exitCode === 0,
          exitCode: result.exitCode,
          stdout: result.stdout,
          stderr: result.stderr,
        },
        exitCode: result.exitCode,
      };
    } finally {
      if (tty) stdin.setRawMode?.(false);
      if (attach) stdin.pause();
    }
  },
});

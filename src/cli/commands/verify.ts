/** `torchstack verify`: prove a torch stack works, check by check (pass, fail or skipped with the reason). */

import { environmentNameValue } from "../args.js";
import { defineCommand } from "../command.js";
import { chooseProbeTarget } from "../spec-environment.js";

export const verifyCommand = defineCommand({
  name: "verify",
  summary: "run torch checks (CUDA, matmul, cuDNN, AMP, bf16/TF32, compile, DDP, DataLoader) and report each",
  usage: "verify [--python PATH] [--in NAME] [--json]",
  description:
    "Runs the verify probe (src/probe/scripts/verify_probe.py). Each check is pass, fail or skip with its reason " +
    "and time; a GPU check that cannot run is reported as skip, never as pass. " +
    'With --json: {"ok":bool,"checks":[{"name","status","reason","ms"}]}. Exits 1 when any check fails. ' +
    "Without --in or --python, in a folder whose torchstack.yaml environment is running (after `torchstack up`), " +
    "the checks run inside that environment, and verify says so.",
  options: {
    python: {
      type: "string",
      valueName: "PATH",
      description: "Python interpreter to verify (default: python3 on PATH)",
    },
    in: {
      type: "string",
      valueName: "NAME",
      description: "verify inside the environment NAME (default: the spec's, when it is running)",
    },
  },
  examples: ["torchstack verify --python /usr/bin/python3", "torchstack verify --in dev --json"],
  async run(input, io) {
    const { runProbe } = await import("../../probe/run-probe.js");
    const { renderVerify } = await import("../../probe/render-verify.js");
    const { isEnvironmentRunning } = await import("../../environments/environment-running.js");
    const python = input.flags.python;
    const target = await chooseProbeTarget(
      { inEnv: environmentNameValue(input.flags.in, "--in"), python },
      io.cwd,
      (name) => isEnvironmentRunning(io.env, name),
    );
    const inEnv = target.inEnv;
    io.reporter.step(
      `running verify checks ${target.note ?? (inEnv ? `in environment ${inEnv}` : "on this host")} (takes a few seconds)`,
    );
    const run = await runProbe(
      "verify",
      { python, inEnv },
      {
        env: io.env,
        signal: io.signal,
        timeoutMs: 900_000,
        onStderr: (chunk) => {
          for (const line of chunk.split("\n"))
            if (line.startsWith("verify: ")) io.reporter.info(line.slice(8));
        },
      },
    );
    const json = { ok: run.doc.ok, checks: run.doc.checks };
    // In a terminal each check's line was just shown as it ran: the result adds the reasons, not a second copy.
    const progressShown = io.stdoutIsTTY && !io.quiet;
    return { json, text: renderVerify(json, run.where, { progressShown }), exitCode: run.doc.ok ? 0 : 1 };
  },
});

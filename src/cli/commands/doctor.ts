/** `torchstack doctor`: host and Python facts, and each problem as a finding with its fix. */

import { loadProject } from "../../project/load-project.js";
import { environmentNameValue } from "../args.js";
import { defineCommand } from "../command.js";
import { chooseProbeTarget } from "../spec-environment.js";

export const doctorCommand = defineCommand({
  name: "doctor",
  summary: "check the host, the GPU driver and a Python's torch stack; name each problem and its fix",
  usage: "doctor [--python PATH] [--in NAME] [-f FILE] [--strip-uuids] [--full] [--json]",
  description:
    "Runs the doctor probe (src/probe/scripts/doctor_probe.py) with a Python on this host (default: python3 on PATH) " +
    "or inside an environment, and prints facts like torch's collect_env followed by findings " +
    '({code, severity, message, fix}). With --json: {"ok":bool,"host":{…},"python":{…},"findings":[…]}. ' +
    "Exits 1 when a finding is an error (so `torchstack doctor && torchstack up` stops there); warnings and " +
    "notes exit 0. " +
    "On a host without an NVIDIA driver, torch facts are read from its files without importing it and pip check is " +
    "skipped, so doctor answers in well under a second; --full imports torch and runs pip check anyway. " +
    "The result is also saved as the latest doctor result for the dashboard. Without --in or --python, in a folder " +
    "whose torchstack.yaml environment is running, it inspects that environment and says so.",
  options: {
    python: {
      type: "string",
      valueName: "PATH",
      description: "Python interpreter to inspect (default: python3 on PATH)",
    },
    in: {
      type: "string",
      valueName: "NAME",
      description: "inspect inside the environment NAME (default: the spec's, when it is running)",
    },
    "strip-uuids": {
      type: "boolean",
      description: "replace GPU-/MIG- UUIDs with <uuid> (for sharing the output)",
    },
    file: {
      type: "string",
      short: "f",
      valueName: "FILE",
      description: "also check how this host fits FILE's lock (default ./torchstack.lock when present)",
    },
    full: {
      type: "boolean",
      description: "import torch and run pip check even on a host without an NVIDIA driver (slower)",
    },
  },
  examples: [
    "torchstack doctor",
    "torchstack doctor --python /usr/bin/python3 --json",
    "torchstack doctor --in dev",
  ],
  async run(input, io) {
    const { runDoctor } = await import("../../probe/run-doctor.js");
    const { renderDoctor } = await import("../../probe/render-doctor.js");
    const { isEnvironmentRunning } = await import("../../environments/environment-running.js");
    const python = input.flags.python;
    const target = await chooseProbeTarget(
      { inEnv: environmentNameValue(input.flags.in, "--in"), python },
      io.cwd,
      (name) => isEnvironmentRunning(io.env, name),
    );
    const inEnv = target.inEnv;
    io.reporter.step(
      target.note ? `probing ${target.note}` : inEnv ? `probing environment ${inEnv}` : "probing this host",
    );
    const result = await runDoctor({
      env: io.env,
      signal: io.signal,
      python,
      inEnv,
      stripUuids: input.flags["strip-uuids"],
      full: input.flags.full,
      warn: (message) => io.reporter.warn(message),
    });
    // Host fit: how this host fits the lock beside the spec (-f, default ./torchstack.yaml), when there is one.
    const project =
      !inEnv && result.host
        ? await loadProject({ cwd: io.cwd, file: input.flags.file, spec: "path", lock: "optional" })
        : undefined;
    if (result.host && project?.lock) {
      const { lockFitFindings } = await import("../../probe/doctor-findings.js");
      result.findings.unshift(...lockFitFindings(result.host, project.lock, project.lockPath));
    }
    // Inside an environment torch changes go through the spec: pip cannot replace the image's torch.
    if (inEnv) {
      const { findingsInSpecTerms } = await import("../../diagnose/spec-fixes.js");
      result.findings = findingsInSpecTerms(result.findings);
    }
    // An error-level finding fails the command (exit 1); warnings and notes do not.
    const ok = !result.findings.some((finding) => finding.severity === "error");
    return { json: { ok, ...result }, text: renderDoctor(result), exitCode: ok ? 0 : 1 };
  },
});

/**
 * Runs a probe script and returns its validated JSON document. Two targets: a
 * Python on this host (`--python PATH`, default `python3` on PATH) running the
 * script file, or an environment (`--in NAME`) where the script's source goes
 * on stdin to `python3 - --json` through the engine. The exit code is kept
 * (verify exits 1 on a failed check) and stderr is streamed for progress.
 */

import type { z } from "zod";
import { isTorchstackError, TorchstackError } from "../errors/torchstack-error.js";
import { type ProcessRunner, runProcess } from "../process/run-process.js";
import { type EnvRunner, loadEnvRunner } from "./env-runner.js";
import { probeScriptPath, probeScriptSource } from "./locate-scripts.js";
import { type ProbeKind, probeSchemas } from "./probe-schemas.js";

export interface ProbeTarget {
  /** Interpreter on this host; default "python3" from PATH. */
  python?: string | undefined;
  /** Name of a torchstack environment to run the probe inside. */
  inEnv?: string | undefined;
}

export interface RunProbeOptions {
  env: NodeJS.ProcessEnv;
  args?: readonly string[];
  signal?: AbortSignal;
  timeoutMs?: number;
  onStderr?: (chunk: string) => void;
  runner?: ProcessRunner;
  envRunner?: EnvRunner;
}

export interface ProbeRun<K extends ProbeKind> {
  doc: z.infer<(typeof probeSchemas)[K]>;
  exitCode: number;
  stderr: string;
  /** "python3", "/usr/bin/python3" or "env NAME". */
  where: string;
}

export async function runProbe<K extends ProbeKind>(
  kind: K,
  target: ProbeTarget,
  options: RunProbeOptions,
): Promise<ProbeRun<K>> {
  const args = ["--json", ...(options.args ?? [])];
  if (target.inEnv) {
    const run = options.envRunner ?? (await loadEnvRunner());
    const result = await run(target.inEnv, {
      argv: ["python3", "-", ...args],
      stdin: probeScriptSource(kind),
      env: { PYTHONUNBUFFERED: "1" },
      env0: options.env,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    options.onStderr?.(result.stderr);
    const byHand = `torchstack exec ${target.inEnv} -i -- python3 - --json < ${probeScriptPath(kind)}`;
    return finish(kind, `env ${target.inEnv}`, byHand, result.exitCode, result.stdout, result.stderr);
  }
  const python = target.python ?? "python3";
  const runner = options.runner ?? runProcess;
  try {
    const result = await runner(python, [probeScriptPath(kind), ...args], {
      env: options.env,
      reject: false,
      timeoutMs: options.timeoutMs ?? 600_000,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onStderr ? { onStderr: options.onStderr } : {}),
    });
    if (result.timedOut) {
      throw new TorchstackError("E_PROBE_TIMEOUT", `the ${kind} probe in ${python} timed out`, {
        remedies: [`run it by hand to see where it stops: ${python} ${probeScriptPath(kind)}`],
      });
    }
    const byHand = `${python} ${probeScriptPath(kind)} --json`;
    return finish(kind, python, byHand, result.exitCode ?? 1, result.stdout, result.stderr);
  } catch (error) {
    if (isTorchstackError(error) && error.code === "E_COMMAND_NOT_FOUND") {
      throw new TorchstackError(
        "E_PYTHON_NOT_FOUND",
        `${python} was not found, so the ${kind} probe cannot run`,
        {
          remedies: [
            "pass an interpreter: --python /usr/bin/python3",
            "or run inside an environment: --in NAME",
          ],
          cause: error,
        },
      );
    }
    throw error;
  }
}

function finish<K extends ProbeKind>(
  kind: K,
  where: string,
  byHand: string,
  exitCode: number,
  stdout: string,
  stderr: string,
): ProbeRun<K> {
  const line = stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("{"))
    .at(-1);
  const lastErr = stderr.trim().split("\n").at(-1) ?? "";
  if (line === undefined) {
    throw new TorchstackError(
      "E_PROBE_FAILED",
      `the ${kind} probe in ${where} printed no JSON (exit ${exitCode})`,
      {
        remedies: [`run it by hand: ${byHand}`],
        details: { stderr: stderr.slice(-4000), lastLine: lastErr },
      },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    throw new TorchstackError("E_PROBE_OUTPUT", `the ${kind} probe in ${where} printed invalid JSON`, {
      remedies: [`run it by hand to see the output: ${byHand}`],
      cause: error,
    });
  }
  const parsed = probeSchemas[kind].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TorchstackError(
      "E_PROBE_OUTPUT",
      `the ${kind} probe in ${where} printed JSON of an unexpected shape (${issue?.path.join(".")}: ${issue?.message})`,
      { remedies: ["use the probe scripts from the same torchstack version"] },
    );
  }
  return { doc: parsed.data as ProbeRun<K>["doc"], exitCode, stderr, where };
}

/**
 * `job check --server`: every rendered object through the cluster's own
 * admission with `kubectl apply --dry-run=server` (CRD schemas, CEL rules,
 * defaults, built-in validation, admission webhooks; nothing is persisted),
 * one object at a time so each rejection names its object; and whether each
 * object exists already (a new `job run` would then be an update the server
 * refuses as "field is immutable": the report gives the choice instead).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import type { ProcessRunner } from "../../process/run-process.js";
import { type JobCheck, pass, problem } from "./job-check-types.js";
import { findable } from "./sbatch-test-only.js";
import { existingObjectFix, type ObjectRef, parseServerRejection } from "./server-rejection.js";

export interface ServerTarget {
  kubeconfig?: string | undefined;
  context?: string | undefined;
}

interface Deps {
  run: ProcessRunner;
  env: NodeJS.ProcessEnv;
}

function refOf(object: unknown, namespace: string): ObjectRef {
  const o = object as { kind?: string; metadata?: { name?: string; namespace?: string } };
  return {
    kind: o.kind ?? "?",
    name: o.metadata?.name ?? "?",
    namespace: o.metadata?.namespace ?? namespace,
  };
}

const lastLine = (text: string) => text.trim().split("\n").at(-1) ?? "";

export async function serverDryRun(
  objects: readonly unknown[],
  namespace: string,
  server: ServerTarget,
  deps: Deps,
): Promise<JobCheck> {
  const kubectl = deps.env.TORCHSTACK_KUBECTL || "kubectl";
  const where = [
    ...(server.kubeconfig ? ["--kubeconfig", server.kubeconfig] : []),
    ...(server.context ? ["--context", server.context] : []),
  ];
  if (!findable(kubectl, deps.env))
    return problem("fail", "server", "E_JOB_SERVER_REJECTED", `${kubectl} is not on PATH: no server to ask`, [
      "install kubectl, or TORCHSTACK_KUBECTL=/path/to/kubectl",
      "or job check without --server (schemas and CEL rules, offline)",
    ]);
  const run = (args: string[]) =>
    deps
      .run(kubectl, [...where, ...args], { env: deps.env, reject: false, timeoutMs: 30_000 })
      .catch((error: Error) => ({ exitCode: null, timedOut: false, stdout: "", stderr: error.message }));
  const dir = mkdtempSync(join(tmpdir(), "torchstack-dry-run-"));
  const lines: string[] = [];
  const fixes = new Set<string>();
  let failed = false;
  try {
    for (const [i, object] of objects.entries()) {
      const ref = refOf(object, namespace);
      const label = `${ref.kind}/${ref.name}`;
      const existing = await run([
        "get",
        ref.kind,
        ref.name,
        "--namespace",
        ref.namespace,
        "--ignore-not-found",
        "-o",
        "name",
      ]);
      if (
        existing.timedOut ||
        (existing.exitCode !== 0 &&
          /connect|refused|Unable|timeout|does not exist|no configuration/i.test(existing.stderr))
      )
        return problem(
          "fail",
          "server",
          "E_JOB_SERVER_REJECTED",
          `kubectl could not reach the API server: ${lastLine(existing.stderr) || "timed out"}`,
          ["kubectl cluster-info (with the same --kubeconfig/--context)", "or job check without --server"],
        );
      if (existing.exitCode === 0 && existing.stdout.trim() !== "") {
        failed = true;
        lines.push(
          `${label} already exists in ${ref.namespace}: job run would update it, and the server refuses changes to its immutable fields`,
        );
        for (const fix of existingObjectFix(ref)) fixes.add(fix);
        continue;
      }
      const file = join(dir, `${i}.yaml`);
      writeFileSync(file, stringify(object, { lineWidth: 0 }));
      const result = await run([
        "apply",
        "--dry-run=server",
        "-o",
        "json",
        "--namespace",
        ref.namespace,
        "-f",
        file,
      ]);
      if (result.exitCode === 0) continue;
      failed = true;
      for (const rejection of parseServerRejection(result.stderr || "no message", ref)) {
        lines.push(`${label} ${rejection.path || "/"}: ${rejection.message}`);
        for (const fix of rejection.fix) fixes.add(fix);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const context = server.context ? `context ${server.context}` : "the current context";
  if (failed)
    return problem(
      "fail",
      "server",
      "E_JOB_SERVER_REJECTED",
      `the API server (${context}) rejects: ${lines.join("; ")}`,
      [...fixes],
    );
  return pass(
    "server",
    `the API server (${context}) admits ${objects.length} object(s) in a server-side dry run (schemas, CEL rules, defaults, admission; nothing created)`,
  );
}

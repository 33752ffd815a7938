// `job check --server` flags: --kubeconfig and --context only with --server, --server only for Kubernetes;
// both are usage errors (exit 2) before any spec is read.
import { describe, expect, it } from "vitest";
import { runCliInMemory } from "../../../support/run-cli-in-memory.js";

describe("job check --server flags", () => {
  it("--kubeconfig or --context without --server, and --server off Kubernetes, are usage errors", async () => {
    for (const [argv, message] of [
      [["--target", "kubernetes", "--context", "lab"], "--kubeconfig and --context go with --server"],
      [["--target", "kubernetes", "--kubeconfig", "/k"], "--kubeconfig and --context go with --server"],
      [["--target", "slurm", "--server"], "--server applies to --target kubernetes only"],
    ] as const) {
      const run = await runCliInMemory(["job", "check", ...argv, "--json"]);
      expect(run.code, argv.join(" ")).toBe(2);
      expect(JSON.parse(run.stdout).error).toMatchObject({ code: "E_USAGE", message });
    }
  });
});

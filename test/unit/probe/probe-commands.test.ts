/**
 * doctor, verify, bench and the probe plumbing through the real CLI (in
 * memory), with real probes on this host's python3 and the JSON contracts:
 * doctor {host, python, findings}, verify {ok, checks}, bench --compare.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { probeScriptPath, probeScriptsDir } from "../../../src/probe/locate-scripts.js";
import { renderVerify } from "../../../src/probe/render-verify.js";
import { runCliInMemory } from "../../support/run-cli-in-memory.js";
import { benchDoc } from "./bench-doc.js";

const state = mkdtempSync(join(tmpdir(), "ts-probe-"));
// python3 first on PATH cannot import torch (-S), so the "no torch" answers hold on any host.
const noTorchBin = new URL("../../fixtures/probe/no-torch-bin", import.meta.url).pathname;
chmodSync(`${noTorchBin}/python3`, 0o755);
const env = { ...process.env, TORCHSTACK_STATE_DIR: state, PATH: `${noTorchBin}:${process.env.PATH ?? ""}` };
const fixture = (name: string) => new URL(`../../fixtures/probe/${name}`, import.meta.url).pathname;

describe("torchstack doctor", () => {
  it("--json has exactly host, python and findings, and saves latest.json", async () => {
    const run = await runCliInMemory(["doctor", "--json"], { env });
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as {
      findings: Array<{ code: string; severity: string; fix: string[] }>;
    };
    expect(Object.keys(doc)).toEqual(["ok", "host", "python", "findings"]);
    expect(doc.findings.map((f) => f.code)).toContain("E_NO_TORCH");
    for (const f of doc.findings) expect(["error", "warning", "info"]).toContain(f.severity);
    const saved = JSON.parse(readFileSync(join(state, "doctor", "latest.json"), "utf8")) as {
      findings: unknown[];
    };
    expect(saved.findings).toEqual(doc.findings);
  });

  it("still answers (exit 0, one JSON document) when the latest result cannot be saved, and warns", async () => {
    const notAFolder = join(mkdtempSync(join(tmpdir(), "ts-probe-nosave-")), "state");
    writeFileSync(notAFolder, "a file where the state folder should be\n");
    const run = await runCliInMemory(["doctor", "--json"], {
      env: { ...env, TORCHSTACK_STATE_DIR: notAFolder },
    });
    expect(run.code).toBe(0);
    expect(Object.keys(JSON.parse(run.stdout) as object)).toEqual(["ok", "host", "python", "findings"]);
    expect(run.stderr).toContain("the result was not saved for the dashboard");
    expect(readFileSync(notAFolder, "utf8")).toBe("a file where the state folder should be\n");
  });

  it("--help says what the exit code means: 1 on an error finding, 0 on warnings", async () => {
    const run = await runCliInMemory(["doctor", "--help"], { env });
    expect(run.stdout.replace(/\s+/g, " ")).toMatch(
      /Exits 1 when a finding is an error .* warnings and notes exit 0/,
    );
  });

  it("text looks like collect_env and ends with the findings", async () => {
    const run = await runCliInMemory(["doctor"], { env });
    expect(run.stdout).toMatch(/^OS: /);
    expect(run.stdout).toContain("Nvidia driver version: Could not collect");
    expect(run.stdout).toContain("Findings:");
    expect(run.stderr).toContain("probing this host");
  });

  it("--strip-uuids removes GPU and MIG UUIDs (recorded A100 MIG output)", async () => {
    const run = await runCliInMemory(["doctor", "--json", "--strip-uuids"], {
      env: { ...env, TORCHSTACK_PROBE_RECORDED: fixture("a100-mig-535") },
    });
    expect(run.stdout).not.toMatch(/(GPU|MIG)-[0-9a-f]{8}-/);
    expect(run.stdout).toContain("MIG-<uuid>");
    const doc = JSON.parse(run.stdout) as { findings: Array<{ code: string }> };
    expect(doc.findings.map((f) => f.code)).toContain("E_MIG_ENABLED");
  });

  it("--python to a missing interpreter is E_PYTHON_NOT_FOUND with a fix", async () => {
    const run = await runCliInMemory(["doctor", "--json", "--python", "/nonexistent/python3"], { env });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: "E_PYTHON_NOT_FOUND" } });
  });
});

describe("torchstack verify", () => {
  it("exits 1 and reports the failed torch import without torch", async () => {
    const run = await runCliInMemory(["verify", "--json"], { env });
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as {
      ok: boolean;
      checks: Array<{ name: string; status: string; reason: string; ms: number }>;
    };
    expect(Object.keys(doc)).toEqual(["ok", "checks"]);
    expect(doc.ok).toBe(false);
    expect(doc.checks[0]).toMatchObject({ name: "torch_import", status: "fail" });
    expect(doc.checks.filter((c) => c.status === "pass")).toEqual([]);
  });
});

describe("verify in a terminal", () => {
  const checks = [
    { name: "torch_import", status: "pass" as const, reason: "torch 2.6.0", ms: 900 },
    { name: "cuda_matmul", status: "skip" as const, reason: "no GPU", ms: 0 },
  ];
  it("repeats only what the live lines did not say: failed and skipped checks with reasons, then the summary", () => {
    const text = renderVerify({ ok: true, checks }, "env dev", { progressShown: true });
    expect(text).not.toContain("torch_import");
    expect(text).toContain("skipped: no GPU");
    expect(text).toMatch(/ok \(env dev\): 1 passed, 0 failed, 1 skipped$/);
  });
  it("piped or in a file, lists every check", () => {
    expect(renderVerify({ ok: true, checks }, "python3")).toContain("torch_import");
  });
});

describe("torchstack bench without torch", () => {
  it("fails with the fix that names the environment (--in NAME) first", async () => {
    const run = await runCliInMemory(["bench", "--json"], { env });
    expect(run.code).toBe(1);
    const error = (JSON.parse(run.stdout) as { error: { code: string; remedies: string[] } }).error;
    expect(error.code).toBe("E_BENCH_FAILED");
    expect(error.remedies[0]).toContain("torchstack bench --in NAME");
  });
});

describe("torchstack bench -o", () => {
  it("refuses a place it cannot write before measuring anything", async () => {
    const run = await runCliInMemory(["bench", "--json", "-o", "/proc/bench.json"], { env });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: "E_WRITE_FAILED" } });
    expect(run.stderr).not.toContain("benchmarking");
  });
});

describe("torchstack bench --compare", () => {
  it("shows two results side by side with deltas (synthesized bench documents, not recorded on a GPU)", async () => {
    const a = join(state, "a.json");
    const b = join(state, "b.json");
    writeFileSync(a, JSON.stringify(benchDoc(600, 2800)));
    writeFileSync(b, JSON.stringify({ raw: benchDoc(660, 2520) }));
    const run = await runCliInMemory(["bench", "--compare", a, b, "--json"], { env });
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { rows: Array<{ key: string; deltaPct: number }> };
    expect(doc.rows.find((r) => r.key === "matmul bf16 4096")?.deltaPct).toBeCloseTo(10, 5);
    expect(doc.rows.find((r) => r.key === "memory_bandwidth")?.deltaPct).toBeCloseTo(-10, 5);
    const text = await runCliInMemory(["bench", "--compare", a, b], { env });
    expect(text.stdout).toMatch(/matmul bf16 4096\s+600 TFLOPS\s+660 TFLOPS\s+\+10\.0%/);
  });

  it("needs exactly two files", async () => {
    const run = await runCliInMemory(["bench", "--compare", "only-one.json"], { env });
    expect(run.code).toBe(2);
  });
});

describe("probe script location", () => {
  it("is found from src/ and from a bundled dist/ module", () => {
    const root = probeScriptsDir();
    expect(root.endsWith(join("src", "probe", "scripts"))).toBe(true);
    const fromDist = pathToFileURL(join(root, "..", "..", "..", "dist", "cli.cjs")).href;
    expect(probeScriptPath("verify", fromDist)).toBe(join(root, "verify_probe.py"));
  });
});

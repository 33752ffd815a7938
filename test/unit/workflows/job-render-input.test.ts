// A job's render input opens the project once: with lock verification (job check) the spec is read one
// time, not twice, and a spec without a lock is E_NO_LOCK (the lock's fix), not an engine error.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { writeLock } from "../../../src/lock/lock-file.js";
import { silentReporter } from "../../../src/report/reporter.js";
import * as specLoader from "../../../src/spec/load-spec.js";
import { loadEnvironmentImage } from "../../../src/workflows/environment-image.js";
import { loadJobRenderInput } from "../../../src/workflows/job-render-input.js";
import { lockSpec } from "../../../src/workflows/lock-environment.js";

vi.mock("../../../src/spec/load-spec.js", async (original) => {
  const actual = await original<typeof import("../../../src/spec/load-spec.js")>();
  return { ...actual, loadSpec: vi.fn(actual.loadSpec) };
});

const SPEC = `name: train
base: image:torchstack-local/debian:12
torchSource: distro
cuda: cpu
python: "3.11"
job:
  command: [python3, train.py]
`;

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function folder(): string {
  const root = mkdtempSync(join(tmpdir(), "ts-job-input-"));
  roots.push(root);
  writeFileSync(join(root, "torchstack.yaml"), SPEC);
  return root;
}

const options = (cwd: string) => ({
  cwd,
  file: undefined,
  target: "local" as const,
  env: {},
  reporter: silentReporter,
});

describe("loadJobRenderInput", () => {
  beforeEach(() => {
    vi.mocked(specLoader.loadSpec).mockClear();
  });

  it("reads the spec once, also when it verifies the lock", async () => {
    const root = folder();
    writeLock(
      join(root, "torchstack.lock"),
      (await lockSpec(join(root, "torchstack.yaml"), { env: {}, noHost: true })).lock,
    );
    vi.mocked(specLoader.loadSpec).mockClear();
    const context = await loadJobRenderInput({ ...options(root), verifyLock: true });
    expect(context.input.job.command).toEqual(["python3", "train.py"]);
    expect(specLoader.loadSpec).toHaveBeenCalledTimes(1);
  });

  it("says E_NO_LOCK without a lock, like every command (job render, job check, up)", async () => {
    const root = folder();
    for (const verifyLock of [false, true])
      await expect(loadJobRenderInput({ ...options(root), verifyLock })).rejects.toMatchObject({
        code: "E_NO_LOCK",
      });
    await expect(
      loadEnvironmentImage(root, undefined, { createLock: false, reporter: silentReporter, env: {} }),
    ).rejects.toMatchObject({ code: "E_NO_LOCK" });
  });
});

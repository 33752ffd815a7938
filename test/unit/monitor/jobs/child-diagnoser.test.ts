/**
 * The dashboard's job diagnosis runs in a child process under a time budget: the jobs list answers at once
 * and the server's event loop stays free while a slow diagnosis runs, which is killed at the budget; the
 * real CLI's `job diagnose --json` reads as the panel's diagnosis.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type JobRecord, writeJobRecord } from "../../../../src/job/run/job-record.js";
import { childProcessDiagnoser, selfCommand } from "../../../../src/monitor/jobs/child-diagnoser.js";
import { recordedJobsSource } from "../../../../src/monitor/jobs/recorded-jobs-source.js";
import { runProcess } from "../../../../src/process/run-process.js";

const ROOT = join(import.meta.dirname, "..", "..", "..", "..");
const recorded = join(ROOT, "test", "fixtures", "jobs-run", "slurm-rank3-failure");
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function failedJob(env: NodeJS.ProcessEnv): JobRecord {
  const record: JobRecord = {
    id: "train-20261201-080000-aaaa",
    name: "train",
    target: "slurm",
    schedulerId: "77",
    state: "FAILED",
    reason: null,
    stuck: false,
    exitCode: 1,
    image: "img",
    nodes: 2,
    procsPerNode: 2,
    outputFile: join(recorded, "output.log"),
    rankLogDir: join(recorded, "ranks"),
    files: [],
    cancelRequested: false,
    createdAt: "2026-12-01T08:00:00Z",
    finishedAt: null,
  };
  writeJobRecord(env, record);
  return record;
}

describe("the dashboard's job diagnosis in a child process", () => {
  it("answers the jobs list at once and keeps the event loop free; a diagnosis past its budget is dropped", async () => {
    const env = {
      PATH: process.env.PATH,
      TORCHSTACK_STATE_DIR: mkdtempSync(join(tmpdir(), "ts-diag-child-")),
    };
    const record = failedJob(env);
    const slow = childProcessDiagnoser(["sh", "-c", "sleep 30", "sh"], env, runProcess, 300);
    let finished: unknown = "pending";
    const diagnose = async (r: JobRecord) => {
      const doc = await slow(r);
      finished = doc;
      return doc;
    };
    const started = Date.now();
    const jobs = await recordedJobsSource({ env, diagnose }).list();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(jobs[0]?.rootCause ?? null).toBeNull();
    const tick = Date.now();
    await new Promise((done) => setTimeout(done, 20));
    expect(Date.now() - tick).toBeLessThan(500); // the loop was not held
    for (let i = 0; i < 100 && finished === "pending"; i += 1)
      await new Promise((done) => setTimeout(done, 50));
    expect(finished).toBeNull();
    expect(record.id).toBeTruthy();
  });

  it("reads `torchstack job diagnose --json` from the real CLI", async () => {
    const env = { PATH: process.env.PATH, TORCHSTACK_STATE_DIR: mkdtempSync(join(tmpdir(), "ts-diag-cli-")) };
    made.push(env.TORCHSTACK_STATE_DIR);
    const record = failedJob(env);
    const diagnose = childProcessDiagnoser(
      [process.execPath, join(ROOT, "bin", "torchstack.js")],
      env,
      runProcess,
    );
    expect(await diagnose(record)).toMatchObject({
      rootCause: { rank: 3, node: "ts-slurm-n2", exitCode: 1 },
    });
  });
});

describe("selfCommand", () => {
  it("starts torchstack's own entry again, and nothing under a test runner", () => {
    expect(selfCommand(["/usr/bin/node", "/opt/ts/bin/torchstack.js"], ["--no-warnings"])).toEqual([
      "/usr/bin/node",
      "--no-warnings",
      "/opt/ts/bin/torchstack.js",
    ]);
    expect(selfCommand(["/usr/bin/node", "/repo/node_modules/vitest/vitest.mjs"], [])).toBeNull();
  });
});

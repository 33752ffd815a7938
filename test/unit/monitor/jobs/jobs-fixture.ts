/** The recorded jobs fixture (test/fixtures/jobs-dashboard/jobs.json): a JobsSource and an environ reader. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fileJobsSource, type JobsSource } from "../../../../src/monitor/jobs/jobs-source.js";
import type { EnvironReader } from "../../../../src/monitor/jobs/process-jobs.js";

export const JOBS_FIXTURE = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "fixtures",
  "jobs-dashboard",
  "jobs.json",
);

export function fixtureJobs(): JobsSource {
  return fileJobsSource(JOBS_FIXTURE, "recorded jobs (test/fixtures/jobs-dashboard, synthesized)");
}

export function fixtureEnviron(): EnvironReader {
  const doc = JSON.parse(readFileSync(JOBS_FIXTURE, "utf8")) as { processEnviron: Record<string, string> };
  return async (pid) => doc.processEnviron[String(pid)] ?? null;
}

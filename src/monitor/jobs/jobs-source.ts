/**
 * Where the dashboard's jobs panel gets its jobs: a small interface, so the
 * panel does not depend on how job records are stored. `noJobsSource` says
 * there is nothing to show; `fileJobsSource` reads a document of recorded
 * `job status` / `job diagnose` pairs (the tests' fixture, or a file a user
 * exports); the job capability's own records plug in the same way.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { type JobSummary, jobDiagnosisSchema, jobStatusSchema, summarizeJob } from "./job-summary.js";

export interface JobsSource {
  /** Where the jobs come from, in words, shown under the panel. */
  readonly description: string;
  /** The jobs to show, newest first; [] when there are none. Never throws. */
  list(): Promise<JobSummary[]>;
}

export const noJobsSource: JobsSource = {
  description: "no job records",
  list: async () => [],
};

const recordedJobsSchema = z.object({
  jobs: z.array(z.object({ status: jobStatusSchema, diagnose: jobDiagnosisSchema.nullable().optional() })),
});

/** Summaries from a JSON document `{"jobs":[{"status":{…},"diagnose":{…}}]}`. */
export function parseRecordedJobs(raw: unknown): JobSummary[] {
  const parsed = recordedJobsSchema.safeParse(raw);
  if (!parsed.success) return [];
  return parsed.data.jobs.map((j) => summarizeJob(j.status, j.diagnose ?? null));
}

export function fileJobsSource(file: string, description = `recorded jobs in ${file}`): JobsSource {
  return {
    description,
    list: async () => {
      try {
        return parseRecordedJobs(JSON.parse(await readFile(file, "utf8")));
      } catch {
        return [];
      }
    },
  };
}

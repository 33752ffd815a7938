/** `torchstack job list`: the jobs torchstack started, newest first, with their last known state. */
import { listJobs } from "../../workflows/job-run-manage.js";
import { defineCommand } from "../command.js";
import { backendContext } from "./job-run-context.js";

export const jobListCommand = defineCommand({
  name: "job list",
  summary: "list the jobs torchstack started, newest first",
  usage: "job list",
  options: {},
  examples: ["torchstack job list --json"],
  async run(_input, io) {
    const jobs = listJobs(backendContext(io)).map(
      ({ id, target, state, reason, schedulerId, createdAt }) => ({
        id,
        target,
        state,
        reason,
        schedulerId,
        createdAt,
      }),
    );
    const text = jobs.length
      ? jobs.map((j) => `${j.id}  ${j.target}  ${j.state}${j.reason ? ` (${j.reason})` : ""}`).join("\n")
      : "no jobs recorded";
    return { json: { ok: true, jobs }, text };
  },
});

/** `torchstack job status ID`: the job's state from its scheduler, with the reason when PENDING or FAILED. */
import { jobStatus } from "../../workflows/job-run-manage.js";
import { positional } from "../args.js";
import { defineCommand } from "../command.js";
import { backendContext } from "./job-run-context.js";

export const jobStatusCommand = defineCommand({
  name: "job status",
  summary: "show a job's state (PENDING with the scheduler's reason, RUNNING, COMPLETED, FAILED, CANCELLED)",
  usage: "job status ID",
  options: {},
  positionals: [{ name: "ID", description: "the id job run printed (job list shows them)", required: true }],
  examples: ["torchstack job status train-20261201-081500-ab12 --json"],
  async run(input, io) {
    const record = await jobStatus(positional(input, 0, "ID"), backendContext(io));
    const { id, target, state, reason, stuck, exitCode, schedulerId, createdAt, finishedAt } = record;
    const hint = stuck ? " — it will not start as submitted" : "";
    return {
      json: { ok: true, id, target, state, reason, stuck, exitCode, schedulerId, createdAt, finishedAt },
      text: `${id} ${target} ${state}${reason ? ` (${reason})` : ""}${hint}${exitCode !== null ? `, exit ${exitCode}` : ""}`,
    };
  },
});

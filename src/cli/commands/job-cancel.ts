/** `torchstack job cancel ID`: stops the job and waits until its scheduler reports it CANCELLED. */
import { cancelJob } from "../../workflows/job-run-manage.js";
import { positional } from "../args.js";
import { defineCommand } from "../command.js";
import { backendContext } from "./job-run-context.js";

export const jobCancelCommand = defineCommand({
  name: "job cancel",
  summary: "cancel a job and wait until nothing of it runs",
  usage: "job cancel ID",
  options: {},
  positionals: [{ name: "ID", description: "the job id", required: true }],
  examples: ["torchstack job cancel train-20261201-081500-ab12"],
  async run(input, io) {
    const record = await cancelJob(positional(input, 0, "ID"), backendContext(io));
    return {
      json: { ok: true, id: record.id, target: record.target, state: record.state },
      text: `job ${record.id}: ${record.state}`,
    };
  },
});

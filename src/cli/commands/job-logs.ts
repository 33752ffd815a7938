/** `torchstack job logs ID [--rank N]`: every line of the job prefixed with its rank (or node), in arrival order. */
import { formatLogLines, jobLogs } from "../../workflows/job-run-manage.js";
import { positional, wholeNumberValue } from "../args.js";
import { defineCommand } from "../command.js";
import { backendContext } from "./job-run-context.js";

export const jobLogsCommand = defineCommand({
  name: "job logs",
  summary: "print a job's output, every line prefixed with its rank",
  usage: "job logs ID [--rank N]",
  description:
    "Lines come from the launcher's output (every node, in the order they arrived) and from torchrun's " +
    "per-rank files for what the launcher did not show. Agent lines carry their node instead of a rank.",
  options: { rank: { type: "string", valueName: "N", description: "only this global rank's lines" } },
  positionals: [{ name: "ID", description: "the job id", required: true }],
  examples: ["torchstack job logs train-20261201-081500-ab12 --rank 3"],
  async run(input, io) {
    const rank = wholeNumberValue(input.flags.rank, "--rank", { min: 0 });
    const lines = await jobLogs(positional(input, 0, "ID"), backendContext(io), rank);
    return { json: { ok: true, lines }, text: formatLogLines(lines) };
  },
});

/**
 * `torchstack job diagnose ID|LOGDIR`: the root-cause rank of a failed job (the
 * first failure in time, not the collateral exits) and the known problems in
 * every rank's and node's logs.
 */
import { diagnoseJobOrFolder } from "../../workflows/job-run-manage.js";
import { positional } from "../args.js";
import { defineCommand } from "../command.js";
import { backendContext } from "./job-run-context.js";

export const jobDiagnoseCommand = defineCommand({
  name: "job diagnose",
  summary: "name the rank that failed first and the known problems in a job's logs",
  usage: "job diagnose ID|LOGDIR",
  description:
    "Reads the launcher output and torchrun's per-rank files (stderr, error.json) of a recorded job, or of a " +
    "folder (an output file *.out/*.log and torchrun --log_dir folders), and prints " +
    '{"rootCause":{"rank","node","exitCode","evidence"},"findings":[…],"incomplete"}. Right after a job ' +
    "ends (Slurm) it waits up to 10 s for every rank's files (a shared folder may lag); `incomplete` (null when " +
    "complete) names the ranks still missing.",
  options: {},
  positionals: [{ name: "ID|LOGDIR", description: "a job id, or a folder of logs", required: true }],
  examples: ["torchstack job diagnose train-20261201-081500-ab12", "torchstack job diagnose ./logs --json"],
  async run(input, io) {
    const result = await diagnoseJobOrFolder(positional(input, 0, "ID|LOGDIR"), backendContext(io));
    const { rootCause, findings, incomplete } = result;
    const text = [
      ...(incomplete ? [`note: ${incomplete.note}`] : []),
      rootCause
        ? `root cause: ${rootCause.rank === null ? "" : `rank ${rootCause.rank} on `}${rootCause.node}, exit ${rootCause.exitCode ?? "unknown"}: ${rootCause.evidence}`
        : "no failed rank found",
      ...findings.map(
        (f) =>
          `${f.code}${f.rank !== null ? ` (rank ${f.rank})` : f.node ? ` (${f.node})` : ""}: ${f.title}\n  ${f.evidence}\n  fix: ${f.fix.join("\n       ")}`,
      ),
    ].join("\n");
    return {
      json: { ok: true, id: result.id, state: result.state, rootCause, findings, incomplete },
      text,
    };
  },
});

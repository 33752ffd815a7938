/**
 * The list of commands. Each entry loads its module lazily so that a command
 * imports only what it runs; the summary lives in the command itself (one
 * source), and `torchstack --help` loads every command to show them.
 */
import type { CommandSpec } from "./command.js";
import { COMMAND_SUMMARIES } from "./command-summaries.js";

export interface CommandEntry {
  /** One word, or two for a command group (`job render`). */
  name: string;
  group: string;
  load(): Promise<CommandSpec>;
}

export interface CommandSummary {
  name: string;
  group: string;
  summary: string;
}

const core = "Stack";
const engine = "Environments";
const probes = "Checks";
const watch = "Monitoring";

export const commandEntries: readonly CommandEntry[] = [
  {
    name: "init",
    group: core,
    load: async () => (await import("./commands/init.js")).initCommand,
  },
  {
    name: "resolve",
    group: core,
    load: async () => (await import("./commands/resolve.js")).resolveCommand,
  },
  {
    name: "lock",
    group: core,
    load: async () => (await import("./commands/lock.js")).lockCommand,
  },
  {
    name: "render",
    group: core,
    load: async () => (await import("./commands/render.js")).renderCommand,
  },
  {
    name: "catalog update",
    group: core,
    load: async () => (await import("./commands/catalog-update.js")).catalogUpdateCommand,
  },
  {
    name: "catalog status",
    group: core,
    load: async () => (await import("./commands/catalog-status.js")).catalogStatusCommand,
  },
  {
    name: "catalog show",
    group: core,
    load: async () => (await import("./commands/catalog-show.js")).catalogShowCommand,
  },
  {
    name: "build",
    group: engine,
    load: async () => (await import("./commands/build.js")).buildCommand,
  },
  {
    name: "up",
    group: engine,
    load: async () => (await import("./commands/up.js")).upCommand,
  },
  {
    name: "exec",
    group: engine,
    load: async () => (await import("./commands/exec.js")).execCommand,
  },
  {
    name: "logs",
    group: engine,
    load: async () => (await import("./commands/logs.js")).logsCommand,
  },
  {
    name: "ps",
    group: engine,
    load: async () => (await import("./commands/ps.js")).psCommand,
  },
  {
    name: "urls",
    group: engine,
    load: async () => (await import("./commands/urls.js")).urlsCommand,
  },
  {
    name: "down",
    group: engine,
    load: async () => (await import("./commands/down.js")).downCommand,
  },
  {
    name: "gc",
    group: engine,
    load: async () => (await import("./commands/gc.js")).gcCommand,
  },
  // what is inside an image (SBOM) and the same environment for other tools (dev container, compose)
  {
    name: "sbom",
    group: engine,
    load: async () => (await import("./commands/sbom.js")).sbomCommand,
  },
  {
    name: "export devcontainer",
    group: engine,
    load: async () => (await import("./commands/export-devcontainer.js")).exportDevcontainerCommand,
  },
  {
    name: "export compose",
    group: engine,
    load: async () => (await import("./commands/export-compose.js")).exportComposeCommand,
  },
  {
    name: "doctor",
    group: probes,
    load: async () => (await import("./commands/doctor.js")).doctorCommand,
  },
  {
    name: "verify",
    group: probes,
    load: async () => (await import("./commands/verify.js")).verifyCommand,
  },
  {
    name: "bench",
    group: probes,
    load: async () => (await import("./commands/bench.js")).benchCommand,
  },
  {
    name: "diagnose",
    group: probes,
    load: async () => (await import("./commands/diagnose.js")).diagnoseCommand,
  },
  {
    name: "top",
    group: watch,
    load: async () => (await import("./commands/top.js")).topCommand,
  },
  {
    name: "dashboard",
    group: watch,
    load: async () => (await import("./commands/dashboard.js")).dashboardCommand,
  },
  // jobs: write a job's files for a target and check them before it runs
  {
    name: "job render",
    group: "Jobs",
    load: async () => (await import("./commands/job-render.js")).jobRenderCommand,
  },
  {
    name: "job check",
    group: "Jobs",
    load: async () => (await import("./commands/job-check.js")).jobCheckCommand,
  },
  // jobs: submit a job, then follow it (status, logs, cancel, list, diagnose)
  {
    name: "job run",
    group: "Jobs",
    load: async () => (await import("./commands/job-run.js")).jobRunCommand,
  },
  {
    name: "job status",
    group: "Jobs",
    load: async () => (await import("./commands/job-status.js")).jobStatusCommand,
  },
  {
    name: "job logs",
    group: "Jobs",
    load: async () => (await import("./commands/job-logs.js")).jobLogsCommand,
  },
  {
    name: "job cancel",
    group: "Jobs",
    load: async () => (await import("./commands/job-cancel.js")).jobCancelCommand,
  },
  {
    name: "job list",
    group: "Jobs",
    load: async () => (await import("./commands/job-list.js")).jobListCommand,
  },
  {
    name: "job diagnose",
    group: "Jobs",
    load: async () => (await import("./commands/job-diagnose.js")).jobDiagnoseCommand,
  },
];

export function findCommand(name: string): CommandEntry | undefined {
  return commandEntries.find((entry) => entry.name === name);
}

/**
 * Every command's name, group and summary. Summaries come from the table generated
 * from the commands (command-summaries.ts), so listing them imports no command; a
 * command missing from the table is loaded to read its own.
 */
export async function loadSummaries(entries: readonly CommandEntry[]): Promise<CommandSummary[]> {
  return Promise.all(
    entries.map(async (entry) => ({
      name: entry.name,
      group: entry.group,
      summary: COMMAND_SUMMARIES[entry.name] ?? (await entry.load()).summary,
    })),
  );
}

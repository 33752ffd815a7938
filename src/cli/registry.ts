/**
 * The list of commands. Each entry loads its module lazily so that
 * `torchstack --help` stays fast: only the command that runs is imported.
 */
import type { CommandSpec } from "./command.js";

export interface CommandEntry {
  name: string;
  group: string;
  summary: string;
  load(): Promise<CommandSpec>;
}

const core = "Stack";
const engine = "Environments";
const probes = "Checks";
const watch = "Monitoring";

export const commandEntries: readonly CommandEntry[] = [
  {
    name: "init",
    group: core,
    summary: "write a commented torchstack.yaml (presets, host-aware)",
    load: async () => (await import("./commands/init.js")).initCommand,
  },
  {
    name: "resolve",
    group: core,
    summary: "resolve the spec into an exact, compatible stack",
    load: async () => (await import("./commands/resolve.js")).resolveCommand,
  },
  {
    name: "lock",
    group: core,
    summary: "write or check torchstack.lock",
    load: async () => (await import("./commands/lock.js")).lockCommand,
  },
  {
    name: "render",
    group: core,
    summary: "write the build context (Dockerfile and friends)",
    load: async () => (await import("./commands/render.js")).renderCommand,
  },
  {
    name: "build",
    group: engine,
    summary: "build the image from the spec and lock",
    load: async () => (await import("./commands/build.js")).buildCommand,
  },
  {
    name: "up",
    group: engine,
    summary: "start an environment and print its URLs",
    load: async () => (await import("./commands/up.js")).upCommand,
  },
  {
    name: "exec",
    group: engine,
    summary: "run a command inside an environment",
    load: async () => (await import("./commands/exec.js")).execCommand,
  },
  {
    name: "logs",
    group: engine,
    summary: "show an environment's logs",
    load: async () => (await import("./commands/logs.js")).logsCommand,
  },
  {
    name: "ps",
    group: engine,
    summary: "list environments",
    load: async () => (await import("./commands/ps.js")).psCommand,
  },
  {
    name: "urls",
    group: engine,
    summary: "show an environment's access URLs again",
    load: async () => (await import("./commands/urls.js")).urlsCommand,
  },
  {
    name: "down",
    group: engine,
    summary: "stop and remove an environment",
    load: async () => (await import("./commands/down.js")).downCommand,
  },
  {
    name: "gc",
    group: engine,
    summary: "remove orphaned containers and images",
    load: async () => (await import("./commands/gc.js")).gcCommand,
  },
  {
    name: "doctor",
    group: probes,
    summary: "check the host and Python environment, with fixes",
    load: async () => (await import("./commands/doctor.js")).doctorCommand,
  },
  {
    name: "verify",
    group: probes,
    summary: "prove the environment works (CUDA, AMP, compile, DDP…)",
    load: async () => (await import("./commands/verify.js")).verifyCommand,
  },
  {
    name: "bench",
    group: probes,
    summary: "measure speed against the GPU's datasheet peak",
    load: async () => (await import("./commands/bench.js")).benchCommand,
  },
  {
    name: "diagnose",
    group: probes,
    summary: "explain the errors in a log or traceback",
    load: async () => (await import("./commands/diagnose.js")).diagnoseCommand,
  },
  {
    name: "top",
    group: watch,
    summary: "watch GPUs live in the terminal",
    load: async () => (await import("./commands/top.js")).topCommand,
  },
  {
    name: "dashboard",
    group: watch,
    summary: "serve a live GPU dashboard and Prometheus metrics",
    load: async () => (await import("./commands/dashboard.js")).dashboardCommand,
  },
];

export function findCommand(name: string): CommandEntry | undefined {
  return commandEntries.find((entry) => entry.name === name);
}

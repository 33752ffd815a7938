/** Renders `--help` text for the whole CLI and for one command. Pure. */
import type { CommandSpec } from "./command.js";
import type { CommandSummary } from "./registry.js";

export const globalOptionsHelp = [
  ["--json", "print one JSON document on stdout (logs stay on stderr)"],
  ["--log-format text|json", "format of the log lines on stderr"],
  ["-v, --verbose", "print debug lines"],
  ["-q, --quiet", "print only warnings and errors on stderr"],
  ["-h, --help", "show help"],
] as const;

function table(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`).join("\n");
}

export function renderMainHelp(version: string, entries: readonly CommandSummary[]): string {
  const groups = new Map<string, CommandSummary[]>();
  for (const entry of entries) groups.set(entry.group, [...(groups.get(entry.group) ?? []), entry]);
  const sections = [...groups].map(
    ([group, list]) => `${group}:\n${table(list.map((e) => [e.name, e.summary] as const))}`,
  );
  return [
    `torchstack ${version}: PyTorch + CUDA environments that resolve, build, run and prove themselves`,
    "",
    "Usage: torchstack <command> [options]",
    "",
    ...sections.flatMap((s) => [s, ""]),
    `Global options:\n${table(globalOptionsHelp)}`,
    "",
    "Run `torchstack <command> --help` for a command's options.",
    "",
  ].join("\n");
}

export function renderCommandHelp(spec: CommandSpec): string {
  const options = Object.entries(spec.options).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : ""}--${name}${option.type === "string" ? ` ${option.valueName ?? "VALUE"}` : ""}`;
    return [flag, `${option.description}${option.multiple ? " (repeatable)" : ""}`] as const;
  });
  const positionals = (spec.positionals ?? []).map((p) => [p.name, p.description] as const);
  return [
    `Usage: torchstack ${spec.usage}`,
    "",
    spec.summary,
    ...(spec.description ? ["", spec.description] : []),
    ...(positionals.length ? ["", `Arguments:\n${table(positionals)}`] : []),
    ...(options.length ? ["", `Options:\n${table(options)}`] : []),
    "",
    `Global options:\n${table(globalOptionsHelp)}`,
    ...(spec.examples?.length ? ["", `Examples:\n${spec.examples.map((e) => `  ${e}`).join("\n")}`] : []),
    "",
  ].join("\n");
}

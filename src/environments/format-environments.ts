/** The `ps` table: name, state with uptime, image, GPUs, host ports (and, with `--all`, the owner). Pure. */
import type { EnvironmentSummary } from "./environment.js";

export function uptime(startedAt: string | null, now: Date): string {
  if (!startedAt) return "";
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(startedAt)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86400)}d`;
}

export function formatEnvironmentTable(
  environments: readonly EnvironmentSummary[],
  now: Date,
  options: { owners?: boolean; hidden?: number } = {},
): string {
  const hidden = options.hidden
    ? `${options.hidden} more belong to other users or state folders: torchstack ps --all`
    : "";
  if (environments.length === 0)
    return ["no environments (start one with torchstack up)", hidden].filter(Boolean).join("\n");
  const owners = options.owners === true;
  const rows = [
    ["NAME", "STATE", "UPTIME", "IMAGE", "GPUS", "PORTS", ...(owners ? ["OWNER"] : [])],
    ...environments.map((e) => [
      e.name,
      e.state,
      uptime(e.startedAt, now),
      e.image,
      e.gpus,
      Object.entries(e.ports)
        .map(([app, port]) => `${app}:${port}`)
        .join(" "),
      ...(owners ? [e.owner ?? "you"] : []),
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const table = rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
  return hidden ? `${table}\n${hidden}` : table;
}

/**
 * The local job's `--ulimit memlock=-1:-1` and 64 MB stack, capped at this
 * host's hard limits the way `up` caps them (containers in containers cannot
 * raise limits, and runc then refuses to start: "error setting rlimit").
 */
import { capUlimits } from "../../environments/up/ulimit-fallback.js";

export function capUlimitArgs(
  argv: readonly string[],
  hard: Record<string, number | undefined>,
): { argv: string[]; capped: string[] } {
  const out = [...argv];
  const capped: string[] = [];
  for (let i = 0; i < out.length - 1; i += 1) {
    if (out[i] !== "--ulimit") continue;
    const match = /^(\w+)=(-?\d+):(-?\d+)$/.exec(out[i + 1] ?? "");
    if (!match?.[1]) continue;
    const [limit] = capUlimits([{ name: match[1], soft: Number(match[2]), hard: Number(match[3]) }], hard);
    if (!limit) continue;
    const value = `${limit.name}=${limit.soft}:${limit.hard}`;
    if (value !== out[i + 1]) capped.push(`${out[i + 1]} → ${value}`);
    out[i + 1] = value;
  }
  return { argv: out, capped };
}

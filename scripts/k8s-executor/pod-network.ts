/**
 * The pods' network, as the harness wires it: one switch namespace (ts-k8s-sw, a bridge) and, per pod, the
 * sandbox container's network namespace named with `ip netns attach` and joined to the switch by a veth pair.
 * Addresses live inside these namespaces only (10.216.0.0/16); nothing is added to the host's own network.
 */
import { execFileSync } from "node:child_process";

const SWITCH = "ts-k8s-sw";

function ip(...args: string[]): void {
  execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
}

/** The address of pod slot n (n >= 1). */
export function addressOf(n: number): string {
  const host = n + 10;
  return `10.216.${Math.floor(host / 256)}.${host % 256}`;
}

export function ensureSwitch(): void {
  try {
    ip("netns", "del", SWITCH);
  } catch {}
  ip("netns", "add", SWITCH);
  ip("-n", SWITCH, "link", "add", "br0", "type", "bridge");
  ip("-n", SWITCH, "link", "set", "br0", "up");
}

/** Wires the sandbox whose process is `pid` into the switch as slot n. */
export function attachPod(n: number, pid: number): void {
  const ns = `ts-k8s-p${n}`;
  ip("netns", "attach", ns, String(pid));
  ip("link", "add", `tk${n}`, "netns", SWITCH, "type", "veth", "peer", "name", "eth0", "netns", ns);
  ip("-n", SWITCH, "link", "set", `tk${n}`, "master", "br0", "up");
  ip("-n", ns, "addr", "add", `${addressOf(n)}/16`, "dev", "eth0");
  ip("-n", ns, "link", "set", "eth0", "up");
  ip("-n", ns, "link", "set", "lo", "up");
}

export function detachPod(n: number): void {
  for (const args of [
    ["-n", SWITCH, "link", "del", `tk${n}`],
    ["netns", "del", `ts-k8s-p${n}`],
  ])
    try {
      ip(...args);
    } catch {}
}

export function removeSwitch(): void {
  try {
    ip("netns", "del", SWITCH);
  } catch {}
}

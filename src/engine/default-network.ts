/**
 * The network a build or a container gets when none is asked for. Engines started
 * with --bridge=none (as on hosts without iptables) have no default network and
 * cannot publish ports, so torchstack uses the host's network there, apps bound to
 * 127.0.0.1, and says so once.
 */
import type { Reporter } from "../report/reporter.js";
import type { Engine } from "./engine-client.js";

/** undefined = the engine's default (bridge); "host" where the engine has no bridge network. */
export async function defaultNetwork(
  engine: Engine,
  reporter: Reporter,
  purpose: "build" | "run",
): Promise<string | undefined> {
  const names = await engine.networks().catch(() => ["bridge"]);
  if (names.includes("bridge")) return undefined;
  reporter.info(
    purpose === "build"
      ? "the engine has no bridge network: building with --network host"
      : "the engine has no bridge network (dockerd --bridge=none): using --network host, apps on 127.0.0.1",
  );
  return "host";
}

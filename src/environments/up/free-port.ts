/**
 * Host ports for published apps: the preferred one when nothing listens on it,
 * else one the kernel picks. Ports already handed out in this `up` are skipped.
 */
import { createServer } from "node:net";
import { EngineError } from "../../errors/torchstack-error.js";

function tryListen(host: string, port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(null));
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === "object" && address ? address.port : null;
      server.close(() => resolve(bound));
    });
  });
}

export async function pickFreePort(
  host: string,
  preferred: number,
  taken: ReadonlySet<number> = new Set(),
): Promise<number> {
  if (!taken.has(preferred)) {
    const port = await tryListen(host, preferred);
    if (port !== null) return port;
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await tryListen(host, 0);
    if (port !== null && !taken.has(port)) return port;
  }
  throw new EngineError("E_NO_FREE_PORT", `no free port on ${host} after 20 tries`, {
    remedies: [
      "torchstack up --port APP=PORT (a port you know is free)",
      "torchstack ps, then torchstack down NAME",
    ],
  });
}

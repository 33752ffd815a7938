// A wheel index on loopback for the catalog-update tests: serves the files under
// test/fixtures/wheel-index/ the way download.pytorch.org serves its simple index
// (`/whl/torch/` → whl/torch/index.html, `<wheel>.metadata` beside each wheel), with
// ETag / If-None-Match, and per-path faults (status, delay, replaced or truncated body).

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

export const FIXTURE_ROOT = join(import.meta.dirname, "..", "..", "..", "fixtures", "wheel-index");

export interface Fault {
  status?: number;
  delayMs?: number;
  body?: string;
  /** Serve only this many bytes of the real body (the connection then closes cleanly). */
  truncate?: number;
  /** Apply the fault from the n-th request for the path on (1-based; default 1). */
  fromRequest?: number;
  /** ...and up to the n-th request (default: every later one). */
  untilRequest?: number;
  /** Drop the connection without an answer. */
  reset?: boolean;
}

export interface IndexServer {
  url: string;
  requests: string[];
  faults: Map<string, Fault>;
  /** Replaces the body served for a path (e.g. a page that changes). */
  bodies: Map<string, string>;
  /** Forgets requests, faults, bodies and per-path request counts. */
  reset(): void;
  close(): Promise<void>;
}

function fileFor(path: string): string {
  return join(FIXTURE_ROOT, path.endsWith("/") ? `${path}index.html` : path);
}

export async function startIndexServer(): Promise<IndexServer> {
  const requests: string[] = [];
  const faults = new Map<string, Fault>();
  const bodies = new Map<string, string>();
  const seen = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    requests.push(`${req.headers["if-none-match"] ? "conditional " : ""}${path}`);
    const count = (seen.get(path) ?? 0) + 1;
    seen.set(path, count);
    const fault = faults.get(path);
    const active =
      fault && count >= (fault.fromRequest ?? 1) && count <= (fault.untilRequest ?? Number.POSITIVE_INFINITY)
        ? fault
        : undefined;
    const respond = () => {
      if (path.includes("..")) {
        res.writeHead(400).end();
        return;
      }
      if (active?.reset) {
        req.socket.destroy();
        return;
      }
      if (active?.status) {
        res.writeHead(active.status, { "content-type": "text/plain" }).end(`error ${active.status}`);
        return;
      }
      let body = bodies.get(path);
      if (body === undefined) {
        try {
          body = readFileSync(fileFor(path), "utf8");
        } catch {
          res.writeHead(404).end("not found");
          return;
        }
      }
      if (active?.body !== undefined) body = active.body;
      if (active?.truncate !== undefined) body = body.slice(0, active.truncate);
      const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
      if (req.headers["if-none-match"] === etag) {
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { "content-type": "text/html", etag }).end(body);
    };
    if (active?.delayMs) setTimeout(respond, active.delayMs).unref();
    else respond();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/whl`,
    requests,
    faults,
    bodies,
    reset() {
      requests.length = 0;
      faults.clear();
      bodies.clear();
      seen.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

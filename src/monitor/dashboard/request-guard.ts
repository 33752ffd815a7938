/**
 * What every dashboard request passes before it reaches a route, in this order:
 * a loopback Host header with our port (DNS rebinding), GET or HEAD only, no
 * body and a bounded target, then the token (auth.ts). A request that fails is
 * answered here; a page opened with ?token= or ?code= is redirected with the
 * session cookie. Returns the request's URL when it may be routed.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { authorize, type DashboardAccess, hostAllowed } from "./auth.js";
import type { DashboardLimits } from "./dashboard-limits.js";
import { SECURITY_HEADERS, send, sizeProblem, TEXT } from "./http-responses.js";

export interface GuardContext {
  access: DashboardAccess;
  limits: DashboardLimits;
  /** The port the server listens on (Host headers and the cookie name carry it). */
  port: number;
}

export function admitRequest(req: IncomingMessage, res: ServerResponse, context: GuardContext): URL | null {
  const { port } = context;
  if (!hostAllowed(req.headers.host, port)) {
    send(res, 403, TEXT, "forbidden: Host must be the loopback address\n");
    return null;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    send(res, 405, TEXT, "method not allowed\n", { Allow: "GET, HEAD" });
    return null;
  }
  const tooBig = sizeProblem(req, context.limits);
  if (tooBig) {
    send(res, tooBig[0], TEXT, tooBig[1], { Connection: "close" });
    return null;
  }
  const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
  const auth = authorize(req, url, context.access, port, url.pathname === "/");
  if (auth.kind === "missing") {
    send(res, 401, TEXT, "unauthorized: open the URL with ?token= that `torchstack dashboard` printed\n", {
      "WWW-Authenticate": 'Bearer realm="torchstack"',
    });
    return null;
  }
  if (auth.kind === "wrong") {
    send(res, 403, TEXT, "forbidden: wrong token\n");
    return null;
  }
  if (auth.kind === "redirect") {
    res.writeHead(303, { ...SECURITY_HEADERS, Location: auth.location, "Set-Cookie": auth.cookie });
    res.end();
    return null;
  }
  return url;
}

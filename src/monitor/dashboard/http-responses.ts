/**
 * How the dashboard answers: the security headers every response carries
 * (nosniff, no-referrer, no-store, no framing, and a CSP that allows only the
 * page's own nonce), plain responses, and the request-size checks made before
 * any routing (no bodies, a bounded request target).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DashboardLimits } from "./dashboard-limits.js";

export const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Resource-Policy": "same-origin",
};
export const TEXT = "text/plain; charset=utf-8";
export const JSON_TYPE = "application/json; charset=utf-8";

export function csp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "Content-Security-Policy": csp("none"),
    "Content-Type": type,
    ...extra,
  });
  res.end(body);
}

/** A request with a body, or an over-long target, is refused before routing. */
export function sizeProblem(req: IncomingMessage, limits: DashboardLimits): [number, string] | null {
  if ((req.url ?? "").length > limits.maxUrlBytes) return [414, "request target too long\n"];
  const length = Number(req.headers["content-length"] ?? "0");
  if (req.headers["transfer-encoding"] !== undefined || length > 0)
    return [413, "request bodies are not accepted\n"];
  return null;
}

/**
 * Access control for the dashboard. A random token (32 bytes, base64url) is
 * required on every route: `?token=` on a page sets an HttpOnly SameSite=Strict
 * cookie and redirects to the clean URL; `Authorization: Bearer` (what Prometheus
 * sends with `bearer_token`) and `?token=` work on /metrics and /api. The Host
 * header must name the loopback address and port we listen on (DNS rebinding).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const COOKIE_NAME = "torchstack_dashboard";
export const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);

export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when the Host header is a loopback name with our port. */
export function hostAllowed(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const match = /^(\[::1\]|127\.0\.0\.1|localhost):(\d+)$/i.exec(hostHeader.trim());
  return match !== null && Number(match[2]) === port;
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === COOKIE_NAME) return value.join("=");
  }
  return undefined;
}

export type AuthResult =
  | { kind: "ok" }
  /** A valid ?token= on a page: set the cookie and redirect to `location`. */
  | { kind: "redirect"; location: string; cookie: string }
  | { kind: "missing" }
  | { kind: "wrong" };

export function authorize(req: IncomingMessage, url: URL, token: string, page: boolean): AuthResult {
  const query = url.searchParams.get("token") ?? undefined;
  const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const cookie = cookieToken(req);
  const given = query ?? bearer ?? cookie;
  if (given === undefined) return { kind: "missing" };
  if (!sameToken(given, token)) return { kind: "wrong" };
  if (query !== undefined && page) {
    url.searchParams.delete("token");
    return {
      kind: "redirect",
      location: `${url.pathname}${url.search}`,
      cookie: `${COOKIE_NAME}=${token}; HttpOnly; SameSite=Strict; Path=/`,
    };
  }
  return { kind: "ok" };
}

/**
 * Access control for the dashboard. A random token (32 bytes, base64url) is
 * required on every route: `Authorization: Bearer` (what Prometheus sends with
 * `bearer_token`) and `?token=` work everywhere. A browser gets a session
 * instead of keeping the token: `?token=` on the page, or a one-time `?code=`
 * (valid once, for 60 s: what the dashboard opens the browser with, so the
 * token never sits in a browser's argv), sets an HttpOnly SameSite=Strict
 * cookie and redirects to the clean URL. The cookie carries a session value
 * made fresh at each start, never the token, and is named after the port:
 * browsers send cookies to every port of 127.0.0.1, so another local user's
 * server there gets at most a session that dies with this dashboard and works
 * on nothing else. The Host header must name the loopback address and port we
 * listen on (DNS rebinding).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** The session cookie's name on `port`: two dashboards on two ports never overwrite each other's. */
export function cookieName(port: number): string {
  return `torchstack_dashboard_${port}`;
}

/** How long a one-time code opens the page. */
export const CODE_TTL_MS = 60_000;
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

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

/** What one dashboard start checks against: the token, its session value and its unused one-time codes. */
export class DashboardAccess {
  readonly session = newToken();
  private readonly codes = new Map<string, number>();

  constructor(
    readonly token: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A code that opens the page once within CODE_TTL_MS. */
  issueCode(): string {
    const code = newToken();
    this.codes.set(code, this.now() + CODE_TTL_MS);
    return code;
  }

  /** True (once) for a code issued less than CODE_TTL_MS ago. */
  useCode(given: string): boolean {
    for (const [code, expires] of this.codes) {
      if (expires < this.now()) this.codes.delete(code);
      else if (sameToken(given, code)) {
        this.codes.delete(code);
        return true;
      }
    }
    return false;
  }
}

export type AuthResult =
  | { kind: "ok" }
  /** A valid ?token= on a page: set the cookie and redirect to `location`. */
  | { kind: "redirect"; location: string; cookie: string }
  | { kind: "missing" }
  | { kind: "wrong" };

export function authorize(
  req: IncomingMessage,
  url: URL,
  access: DashboardAccess,
  port: number,
  page: boolean,
): AuthResult {
  const query = url.searchParams.get("token") ?? undefined;
  const code = page ? (url.searchParams.get("code") ?? undefined) : undefined;
  const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const cookie = cookieValue(req, cookieName(port));
  if (query === undefined && code === undefined && bearer === undefined && cookie === undefined)
    return { kind: "missing" };
  const valid =
    query !== undefined || bearer !== undefined
      ? sameToken(query ?? bearer ?? "", access.token)
      : code !== undefined
        ? access.useCode(code)
        : sameToken(cookie ?? "", access.session);
  if (!valid) return { kind: "wrong" };
  if ((query !== undefined || code !== undefined) && page) {
    url.searchParams.delete("token");
    url.searchParams.delete("code");
    return {
      kind: "redirect",
      location: `${url.pathname}${url.search}`,
      cookie: `${cookieName(port)}=${access.session}; HttpOnly; SameSite=Strict; Path=/`,
    };
  }
  return { kind: "ok" };
}

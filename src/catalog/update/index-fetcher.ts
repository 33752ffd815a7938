/**
 * The one effect `catalog update` has on the network: a GET with optional
 * conditional headers, bounded in time. `httpIndexFetcher` uses Node's fetch
 * with AbortSignal.timeout (and the command's own signal, so Ctrl-C stops it);
 * tests substitute a loopback server, not this interface. Failures become
 * E_CATALOG_FETCH errors naming the URL and what happened.
 */
import { TorchstackError } from "../../errors/torchstack-error.js";

export interface Validators {
  etag?: string | null;
  lastModified?: string | null;
}

export type FetchResult =
  | { status: 200; body: string; etag: string | null; lastModified: string | null }
  | { status: 304 }
  | { status: 404 };

export interface RangeResult {
  body: Buffer;
  /** The whole file's size, from Content-Range. */
  total: number;
}

export interface IndexFetcher {
  get(url: string, validators?: Validators, accept?: string): Promise<FetchResult>;
  /** `range` as in the header ("bytes=-65536", "bytes=10-99"); the server must honour it (206). */
  getRange(url: string, range: string): Promise<RangeResult>;
  /** Bytes received so far (bodies), for the report. */
  bytesRead(): number;
}

/** A URL without user name or password: credentials are used for the request, never stored or printed. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = "";
    parsed.password = "";
    return parsed.toString();
  } catch {
    return url;
  }
}

/** The request for a URL that may carry `user:password@`: the URL without them, and a Basic header. */
function authorized(url: string): { url: string; headers: Record<string, string> } {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { url, headers: {} };
  const token = Buffer.from(
    `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`,
  ).toString("base64");
  return { url: withoutCredentials(url), headers: { authorization: `Basic ${token}` } };
}

const fetchFixes = (url: string) => [
  `check that ${new URL(withoutCredentials(url)).origin} is reachable from this machine (proxy, firewall, DNS), then run \`torchstack catalog update\` again`,
  "or run `torchstack catalog update --offline` to rebuild from the pages cached by an earlier update",
  "or point --index at a mirror of the wheel index",
];

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === "TimeoutError")
    return `no answer within ${timeoutMs / 1000} s`;
  if (error instanceof DOMException && error.name === "AbortError") return "cancelled";
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** A connection dropped or reset (e.g. a keep-alive socket the server closed): worth one more try. */
function isTransient(error: unknown): boolean {
  if (error instanceof DOMException) return false;
  const code = (error as { cause?: { code?: string } }).cause?.code ?? "";
  return ["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED"].includes(code);
}

async function getOnce(
  url: string,
  validators: Validators,
  options: { timeoutMs: number; signal?: AbortSignal },
  accept = "text/html, */*",
  count: (n: number) => void = () => {},
): Promise<FetchResult> {
  const auth = authorized(url);
  const headers: Record<string, string> = {
    ...auth.headers,
    accept,
    "user-agent": "torchstack catalog update",
  };
  if (validators.etag) headers["if-none-match"] = validators.etag;
  if (validators.lastModified) headers["if-modified-since"] = validators.lastModified;
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  const response = await fetch(auth.url, { headers, signal: AbortSignal.any(signals), redirect: "follow" });
  if (response.status === 304) return { status: 304 };
  if (response.status === 404) {
    await response.body?.cancel();
    return { status: 404 };
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new TorchstackError(
      "E_CATALOG_FETCH",
      `${withoutCredentials(url)}: HTTP ${response.status} ${response.statusText}`,
      {
        remedies: fetchFixes(url),
      },
    );
  }
  const body = await response.text();
  count(Buffer.byteLength(body));
  return {
    status: 200,
    body,
    etag: response.headers.get("etag"),
    lastModified: response.headers.get("last-modified"),
  };
}

async function getRangeOnce(
  url: string,
  range: string,
  options: { timeoutMs: number; signal?: AbortSignal },
  count: (n: number) => void,
): Promise<RangeResult> {
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  const auth = authorized(url);
  const response = await fetch(auth.url, {
    headers: { ...auth.headers, range, "user-agent": "torchstack catalog update" },
    signal: AbortSignal.any(signals),
    redirect: "follow",
  });
  if (response.status !== 206) {
    await response.body?.cancel();
    throw new TorchstackError(
      "E_CATALOG_FETCH",
      `${withoutCredentials(url)}: HTTP ${response.status} to a range request (the server must answer byte ranges, 206, to read a wheel's metadata without downloading it)`,
      { remedies: fetchFixes(url) },
    );
  }
  const body = Buffer.from(await response.arrayBuffer());
  count(body.length);
  const total = Number(/\/(\d+)$/.exec(response.headers.get("content-range") ?? "")?.[1] ?? Number.NaN);
  if (!Number.isFinite(total))
    throw new TorchstackError("E_CATALOG_FETCH", `${url}: a range answer without a Content-Range size`, {
      remedies: fetchFixes(url),
    });
  return { body, total };
}

/** Node's fetch, each request bounded by `timeoutMs`; a dropped connection is retried once. */
export function httpIndexFetcher(options: { timeoutMs: number; signal?: AbortSignal }): IndexFetcher {
  let bytes = 0;
  const count = (n: number) => {
    bytes += n;
  };
  const retrying = async <T>(url: string, run: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await run();
      } catch (error) {
        if (error instanceof TorchstackError) throw error;
        if (attempt < 2 && isTransient(error)) continue;
        throw new TorchstackError(
          "E_CATALOG_FETCH",
          `${withoutCredentials(url)}: ${describeFailure(error, options.timeoutMs)}`,
          {
            remedies: fetchFixes(url),
            cause: error,
          },
        );
      }
    }
  };
  return {
    get: (url, validators = {}, accept) =>
      retrying(url, () => getOnce(url, validators, options, accept, count)),
    getRange: (url, range) => retrying(url, () => getRangeOnce(url, range, options, count)),
    bytesRead: () => bytes,
  };
}

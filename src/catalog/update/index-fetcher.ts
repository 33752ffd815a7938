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

export interface IndexFetcher {
  get(url: string, validators?: Validators): Promise<FetchResult>;
}

const fetchRemedies = (url: string) => [
  `check that ${new URL(url).origin} is reachable from this machine (proxy, firewall, DNS), then run \`torchstack catalog update\` again`,
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
): Promise<FetchResult> {
  const headers: Record<string, string> = {
    accept: "text/html, */*",
    "user-agent": "torchstack catalog update",
  };
  if (validators.etag) headers["if-none-match"] = validators.etag;
  if (validators.lastModified) headers["if-modified-since"] = validators.lastModified;
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  const response = await fetch(url, { headers, signal: AbortSignal.any(signals), redirect: "follow" });
  if (response.status === 304) return { status: 304 };
  if (response.status === 404) {
    await response.body?.cancel();
    return { status: 404 };
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new TorchstackError("E_CATALOG_FETCH", `${url}: HTTP ${response.status} ${response.statusText}`, {
      remedies: fetchRemedies(url),
    });
  }
  const body = await response.text();
  return {
    status: 200,
    body,
    etag: response.headers.get("etag"),
    lastModified: response.headers.get("last-modified"),
  };
}

/** Node's fetch, each request bounded by `timeoutMs`; a dropped connection is retried once. */
export function httpIndexFetcher(options: { timeoutMs: number; signal?: AbortSignal }): IndexFetcher {
  return {
    async get(url, validators = {}) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await getOnce(url, validators, options);
        } catch (error) {
          if (error instanceof TorchstackError) throw error;
          if (attempt < 2 && isTransient(error)) continue;
          throw new TorchstackError(
            "E_CATALOG_FETCH",
            `${url}: ${describeFailure(error, options.timeoutMs)}`,
            {
              remedies: fetchRemedies(url),
              cause: error,
            },
          );
        }
      }
    },
  };
}

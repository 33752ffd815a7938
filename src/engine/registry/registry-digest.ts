/**
 * Asks the base image's registry for the manifest digest of a tag, so the lock
 * can pin `FROM ref@sha256:…`. Speaks the Distribution API: HEAD the manifest,
 * and on a Bearer challenge fetch an anonymous pull token and try again. Never
 * blocks the user: an unreachable registry gives null and the reason.
 */
import { parseImageRef, registryBaseUrl } from "./image-ref.js";

const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

export type DigestLookup = { digest: string; reason?: undefined } | { digest: null; reason: string };

export interface DigestOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="…"` → its fields. */
export function parseBearerChallenge(header: string): Record<string, string> | null {
  if (!/^Bearer\s/i.test(header)) return null;
  const fields: Record<string, string> = {};
  for (const match of header.matchAll(/(\w+)="([^"]*)"/g)) {
    const [, key, value] = match;
    if (key !== undefined && value !== undefined) fields[key] = value;
  }
  return fields.realm ? fields : null;
}

async function anonymousToken(challenge: Record<string, string>, get: typeof fetch, signal: AbortSignal) {
  const url = new URL(challenge.realm ?? "");
  if (challenge.service) url.searchParams.set("service", challenge.service);
  if (challenge.scope) url.searchParams.set("scope", challenge.scope);
  const response = await get(url, { signal });
  if (!response.ok) return null;
  const body = (await response.json()) as { token?: unknown; access_token?: unknown };
  const token = body.token ?? body.access_token;
  return typeof token === "string" ? token : null;
}

export async function lookupManifestDigest(ref: string, options: DigestOptions = {}): Promise<DigestLookup> {
  const parsed = parseImageRef(ref);
  if (parsed.digest) return { digest: parsed.digest };
  const get = options.fetch ?? fetch;
  const signal = AbortSignal.timeout(options.timeoutMs ?? 4000);
  const url = `${registryBaseUrl(parsed.registry)}/v2/${parsed.repository}/manifests/${parsed.tag}`;
  try {
    const head = (authorization?: string) =>
      get(url, {
        method: "HEAD",
        signal,
        headers: { Accept: MANIFEST_TYPES, ...(authorization ? { Authorization: authorization } : {}) },
      });
    let response = await head();
    if (response.status === 401) {
      const challenge = parseBearerChallenge(response.headers.get("www-authenticate") ?? "");
      const token = challenge ? await anonymousToken(challenge, get, signal) : null;
      if (!token) return { digest: null, reason: `${parsed.registry} wants credentials for ${ref}` };
      response = await head(`Bearer ${token}`);
    }
    const digest = response.headers.get("docker-content-digest");
    if (response.ok && digest?.startsWith("sha256:")) return { digest };
    return { digest: null, reason: `${parsed.registry} answered ${response.status} for ${ref}` };
  } catch (error) {
    const why = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "is not reachable";
    return { digest: null, reason: `${parsed.registry} ${why}` };
  }
}

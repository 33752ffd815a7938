/**
 * Parsing one package page of a PEP 503 "simple" repository, the HTML layout
 * of download.pytorch.org/whl/<package>/: one `<a href="…#sha256=…">file</a>`
 * per file, with PEP 658/714 `data-dist-info-metadata` / `data-core-metadata`
 * saying that `<file URL>.metadata` holds the wheel's core metadata. Pure; a
 * page that is not a complete simple-index page (cut short, an error page)
 * fails with E_CATALOG_INDEX_INVALID.
 */
import { indexFormatError } from "./index-format-error.js";

export interface IndexLink {
  /** File name as the anchor text gives it: "torch-2.7.1+cu128-cp312-cp312-manylinux_2_28_x86_64.whl". */
  filename: string;
  /** Absolute URL of the file, without the hash fragment. */
  url: string;
  sha256: string | null;
  /** The sha256 of the `.metadata` file, "" when it exists without a hash, null when there is none. */
  metadataSha256: string | null;
  requiresPython: string | null;
}

const ANCHOR = /<a\s+([^>]*)>([^<]*)<\/a\s*>/gi;
const ATTRIBUTE = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, "&");
}

function attributes(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of text.matchAll(ATTRIBUTE)) {
    found.set((match[1] ?? "").toLowerCase(), decodeEntities(match[2] ?? match[3] ?? ""));
  }
  return found;
}

function metadataHash(value: string | undefined): string | null {
  if (value === undefined || value === "false") return null;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(value);
  return match ? (match[1] ?? "").toLowerCase() : "";
}

export function parseSimpleIndex(html: string, pageUrl: string): IndexLink[] {
  const trimmed = html.trimEnd();
  if (!/<html[\s>]/i.test(trimmed) || !/<\/html>$/i.test(trimmed)) {
    throw indexFormatError(
      pageUrl,
      "not a complete simple-index page (no closing </html>: truncated or an error page)",
    );
  }
  const links: IndexLink[] = [];
  for (const match of trimmed.matchAll(ANCHOR)) {
    const attrs = attributes(match[1] ?? "");
    const href = attrs.get("href");
    const filename = decodeEntities((match[2] ?? "").trim());
    if (!href || filename === "")
      throw indexFormatError(pageUrl, `a link without href or file name: ${match[0]}`);
    let absolute: URL;
    try {
      absolute = new URL(href, pageUrl);
    } catch {
      throw indexFormatError(pageUrl, `a link with an unusable href: ${href}`);
    }
    const fragment = /^sha256=([0-9a-f]{64})$/i.exec(absolute.hash.slice(1));
    absolute.hash = "";
    links.push({
      filename,
      url: absolute.toString(),
      sha256: fragment ? (fragment[1] ?? "").toLowerCase() : null,
      metadataSha256: metadataHash(attrs.get("data-core-metadata") ?? attrs.get("data-dist-info-metadata")),
      requiresPython: attrs.get("data-requires-python") ?? null,
    });
  }
  const unclosed = (trimmed.match(/<a[\s>]/gi) ?? []).length;
  if (unclosed !== links.length) {
    throw indexFormatError(pageUrl, `${unclosed - links.length} malformed link(s) among ${unclosed}`);
  }
  return links;
}

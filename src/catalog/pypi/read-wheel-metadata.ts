/**
 * A wheel's core metadata without downloading the wheel: the PEP 658
 * `<file>.metadata` when the page says it is served (hash-checked), else the
 * `*.dist-info/METADATA` member read from the zip with HTTP range requests
 * (its last 64 KiB hold the central directory's end, where wheels keep
 * .dist-info; then the member itself): about 80 KB instead of hundreds of MB.
 */
import { indexFormatError } from "../index/index-format-error.js";
import { sha256Hex } from "../update/index-cache.js";
import type { IndexFetcher } from "../update/index-fetcher.js";
import type { PypiLink } from "./parse-simple-json.js";
import {
  centralDirectory,
  findMetadataEntry,
  findMetadataEntryIn,
  memberDataOffset,
  memberText,
} from "./zip-metadata.js";

const TAIL = 65_536;

async function fromZip(fetcher: IndexFetcher, url: string): Promise<string> {
  const tail = await fetcher.getRange(url, `bytes=-${TAIL}`);
  const dir = centralDirectory({ bytes: tail.body, total: tail.total });
  if (!dir) throw indexFormatError(url, "not a zip file (no end-of-central-directory record)");
  const tailStart = tail.total - tail.body.length;
  // The directory's last entries are in the tail (wheels keep .dist-info last): fetch the whole
  // directory (over a MB for torch) only when METADATA's entry is not among them.
  const entry =
    dir.offset >= tailStart
      ? findMetadataEntry(tail.body.subarray(dir.offset - tailStart, dir.offset - tailStart + dir.size))
      : (findMetadataEntryIn(tail.body.subarray(0, tail.body.length - 22)) ??
        findMetadataEntry(
          (await fetcher.getRange(url, `bytes=${dir.offset}-${dir.offset + dir.size - 1}`)).body,
        ));
  if (!entry) throw indexFormatError(url, "the wheel has no *.dist-info/METADATA");
  // the local header (30 bytes + name + extra, a few hundred at most) and the member in one request
  const span = await fetcher.getRange(
    url,
    `bytes=${entry.localHeader}-${entry.localHeader + 30 + 1024 + entry.compressedSize - 1}`,
  );
  const start = memberDataOffset(entry, span.body) - entry.localHeader;
  return memberText(entry, span.body.subarray(start, start + entry.compressedSize));
}

/** The wheel's METADATA text, and how it was read. */
export async function readWheelMetadata(
  fetcher: IndexFetcher,
  link: PypiLink,
): Promise<{ text: string; via: "pep658" | "range" }> {
  if (link.metadataSha256 !== null) {
    const url = `${link.url}.metadata`;
    const result = await fetcher.get(url, {}, "*/*");
    if (result.status === 200) {
      if (link.metadataSha256 !== "" && sha256Hex(result.body) !== link.metadataSha256)
        throw indexFormatError(url, "does not match the sha256 its page lists");
      return { text: result.body, via: "pep658" };
    }
  }
  return { text: await fromZip(fetcher, link.url), via: "range" };
}

/**
 * Finding a wheel's `*.dist-info/METADATA` inside the zip from its last bytes,
 * for an index that serves no PEP 658 `.metadata` file: the end-of-central-
 * directory record names the central directory; its entry for METADATA names
 * the local header; the member is stored or deflated. Pure: the caller fetches
 * the byte ranges (HTTP Range), so no wheel is downloaded.
 */
import { inflateRawSync } from "node:zlib";

export interface ZipTail {
  /** The last bytes of the file. */
  bytes: Buffer;
  /** The file's size. */
  total: number;
}

export interface MetadataEntry {
  /** Offset of the member's local file header. */
  localHeader: number;
  compressedSize: number;
  /** 0 stored, 8 deflate. */
  method: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;

/** Where the central directory is: offset and size (from the end-of-central-directory record). */
export function centralDirectory(tail: ZipTail): { offset: number; size: number } | null {
  const at = tail.bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (at < 0 || tail.bytes.readUInt32LE(at) !== EOCD) return null;
  return { size: tail.bytes.readUInt32LE(at + 12), offset: tail.bytes.readUInt32LE(at + 16) };
}

/** The METADATA entry among the central directory bytes `cd` (which start at the directory's offset). */
export function findMetadataEntry(cd: Buffer): MetadataEntry | null {
  let p = 0;
  let found: MetadataEntry | null = null;
  while (p + 46 <= cd.length && cd.readUInt32LE(p) === CENTRAL) {
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const name = cd.subarray(p + 46, p + 46 + nameLength).toString("utf8");
    if (/^[^/]+\.dist-info\/METADATA$/.test(name))
      found = {
        method: cd.readUInt16LE(p + 10),
        compressedSize: cd.readUInt32LE(p + 20),
        localHeader: cd.readUInt32LE(p + 42),
      };
    p += 46 + nameLength + extraLength + commentLength;
  }
  return found;
}

/** Offset of the member's data after its local header (30 bytes plus name and extra field). */
export function memberDataOffset(entry: MetadataEntry, localHeader: Buffer): number {
  return entry.localHeader + 30 + localHeader.readUInt16LE(26) + localHeader.readUInt16LE(28);
}

/** The member's text: stored, or raw deflate. */
export function memberText(entry: MetadataEntry, data: Buffer): string {
  return (entry.method === 8 ? inflateRawSync(data) : data).toString("utf8");
}

/**
 * The METADATA entry found by its name inside a piece of the central directory (a wheel keeps
 * .dist-info last, so the file's last bytes usually hold that entry even when the whole
 * directory is larger): each `.dist-info/METADATA` name preceded by a valid entry header.
 */
export function findMetadataEntryIn(bytes: Buffer): MetadataEntry | null {
  const needle = Buffer.from(".dist-info/METADATA");
  for (let at = bytes.lastIndexOf(needle); at >= 0; at = bytes.lastIndexOf(needle, at - 1)) {
    for (let start = at - 46; start >= Math.max(0, at - 46 - 255); start -= 1) {
      if (bytes.readUInt32LE(start) !== CENTRAL) continue;
      const nameLength = bytes.readUInt16LE(start + 28);
      if (start + 46 + nameLength !== at + needle.length) continue;
      return findMetadataEntry(bytes.subarray(start, start + 46 + nameLength));
    }
  }
  return null;
}

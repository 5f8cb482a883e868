// Capture format sniffing from the first bytes of a file; never looks at the file name.
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { isGzipTrailerError } from './file-errors.js';

export type SniffedFormat = 'pcap' | 'pcapng' | 'gzip' | 'json' | 'zip';

/** Classic pcap magic numbers as read big-endian: µs and ns, in both byte orders. */
const PCAP_MAGICS: ReadonlySet<number> = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]);
const PCAPNG_SHB_TYPE = 0x0a0d0d0a;
/** A zip's first record (APPNOTE.TXT 4.3.7): a local file header, or the end record of an empty archive. */
const ZIP_LOCAL_HEADER = 0x504b0304;
const ZIP_EMPTY_ARCHIVE = 0x504b0506;

/**
 * The first bytes the head of a gzip file decompresses to (empty when they don't). A small file's
 * head holds its trailer too: one that disagrees with the data is left out, as the readers do.
 */
export function gunzipStart(head: Buffer): Buffer {
  const gunzip = (bytes: Buffer): Buffer => gunzipSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  try {
    return gunzip(head);
  } catch (error) {
    if (!isGzipTrailerError(error)) return Buffer.alloc(0);
  }
  try {
    return gunzip(head.subarray(0, -8));
  } catch {
    return Buffer.alloc(0);
  }
}

/** Bytes of a file's head worth handing to sniffFormat (JSON may start after a BOM and blanks). */
export const SNIFF_LENGTH = 512;

/**
 * The container format that `head` (the first bytes of a file) announces, or undefined.
 * Does not validate beyond the magic: a pcap header with a bad version still says 'pcap', and any
 * zip says 'zip' (whether it is a Fiddler archive is its reader's question: see saz-layout.ts).
 */
export function sniffFormat(head: Buffer): SniffedFormat | undefined {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4) {
    const magic = head.readUInt32BE(0);
    if (PCAP_MAGICS.has(magic)) return 'pcap';
    if (magic === PCAPNG_SHB_TYPE) return 'pcapng';
    if (magic === ZIP_LOCAL_HEADER || magic === ZIP_EMPTY_ARCHIVE) return 'zip';
  }
  return startsLikeJsonObject(head) ? 'json' : undefined;
}

/** An optional UTF-8 BOM, JSON whitespace, then `{`. */
function startsLikeJsonObject(head: Buffer): boolean {
  let i = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length) {
    const byte = head[i];
    if (byte === 0x7b) return true;
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
    i++;
  }
  return false;
}

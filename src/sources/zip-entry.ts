// A zip entry and its data: the listing both zip readers give, and the capped, CRC-checked stream of one entry.
import { crc32 } from 'node:zlib';
import type { Readable } from 'node:stream';

/** One file in the archive, as its directory (or local header) describes it. */
export interface ZipEntry {
  readonly name: string;
  readonly compressedSize: number;
  /** Declared uncompressed size: yauzl fails the entry's stream when the data disagrees. */
  readonly uncompressedSize: number;
  readonly crc32: number;
  readonly compressionMethod: number;
  /** General purpose bit 0 (ZipCrypto or AES), or compression method 99 (WinZip AES). */
  readonly encrypted: boolean;
}

/** What streaming one entry gave: its bytes, cut at the cap or not. */
export interface EntryRead {
  readonly bytes: number;
  /** True when the entry held more than `maxBytes`: the rest was not read. */
  readonly capped: boolean;
}

export interface ZipArchive {
  readonly entries: readonly ZipEntry[];
  /** Why the listing stopped early (no central directory, a bad directory record), when it did. */
  readonly damage?: string;
  /** True when there were more entries than the listing keeps (see openZip's `maxEntries`). */
  readonly tooManyEntries: boolean;
  /** Streams the entry's data to `onChunk`, at most `maxBytes` of it; ZipEntryDamage when the data is damaged. */
  read(entry: ZipEntry, maxBytes: number, onChunk: (chunk: Buffer) => void): Promise<EntryRead>;
  close(): void;
}

/** An entry's data could not be read whole: bad CRC-32, a size that lies, a deflate error, a cut file. */
export class ZipEntryDamage extends Error {
  override readonly name = 'ZipEntryDamage';
}

/** WinZip AES (APPNOTE 4.4.5, method 99): what Fiddler's password-protected archives use. */
export const AES_METHOD = 99;

/**
 * Hands `stream`'s data to `onChunk` up to `maxBytes`, then checks the CRC-32 of a whole entry
 * (yauzl leaves that to its callers). Errors of the stream become ZipEntryDamage.
 */
export async function pumpEntry(stream: Readable, entry: ZipEntry, maxBytes: number, onChunk: (chunk: Buffer) => void): Promise<EntryRead> {
  let bytes = 0;
  let crc = 0;
  try {
    for await (const data of stream) {
      const chunk = data as Buffer;
      const room = maxBytes - bytes;
      const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
      crc = crc32(piece, crc);
      bytes += piece.length;
      if (piece.length > 0) onChunk(piece);
      if (chunk.length > room) {
        stream.destroy();
        return { bytes, capped: true };
      }
    }
  } catch (error) {
    throw new ZipEntryDamage(describe(error), { cause: error });
  }
  if (bytes !== entry.uncompressedSize) throw new ZipEntryDamage(`${bytes} bytes where ${entry.uncompressedSize} were declared`);
  if (crc !== entry.crc32) {
    throw new ZipEntryDamage(`CRC-32 mismatch: data has ${hex(crc)}, the archive says ${hex(entry.crc32)}`);
  }
  return { bytes, capped: false };
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** A library error's message, on one line. */
export function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}

// A zip entry and its data: the listing both zip readers give, and the capped, CRC-checked stream of one entry.
import { crc32, inflateRawSync } from 'node:zlib';
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
  checkWhole(entry, bytes, crc);
  return { bytes, capped: false };
}

/** Bytes that may be inflated at once, synchronously: no zlib stream (and thread hop) per small entry. */
export const SMALL_ENTRY_BYTES = 1024 * 1024;

/**
 * Hands an entry's whole stored data (`raw`, as in the archive) to `onChunk`, inflated when it is
 * deflated, never to more than its declared size (a larger output is a lie, not memory to fill),
 * then checks size and CRC-32 as pumpEntry does.
 */
export function deliverSmallEntry(raw: Buffer, entry: ZipEntry, onChunk: (chunk: Buffer) => void): EntryRead {
  let data: Buffer;
  try {
    data = entry.compressionMethod === 8 ? inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.uncompressedSize + 1) }) : raw;
  } catch (error) {
    throw new ZipEntryDamage(describe(error), { cause: error });
  }
  if (data.length > entry.uncompressedSize) throw new ZipEntryDamage(`more than the ${entry.uncompressedSize} bytes declared`);
  if (data.length > 0) onChunk(data);
  checkWhole(entry, data.length, crc32(data));
  return { bytes: data.length, capped: false };
}

function checkWhole(entry: ZipEntry, bytes: number, crc: number): void {
  if (bytes !== entry.uncompressedSize) throw new ZipEntryDamage(`${bytes} bytes where ${entry.uncompressedSize} were declared`);
  if (crc !== entry.crc32) {
    throw new ZipEntryDamage(`CRC-32 mismatch: data has ${hex(crc)}, the archive says ${hex(entry.crc32)}`);
  }
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** A library error's message, on one line. */
export function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}

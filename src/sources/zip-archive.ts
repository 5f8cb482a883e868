// Opens a zip archive with yauzl (central directory, sizes validated); one without a central directory
// (cut short) is walked by its local headers instead.
import type { Readable } from 'node:stream';
import { open } from 'node:fs/promises';
import yauzl from 'yauzl';
import { BlockFileReader } from './zip-file-reader.js';
import { AES_METHOD, deliverSmallEntry, describe, pumpEntry, SMALL_ENTRY_BYTES, ZipEntryDamage, type ZipArchive, type ZipEntry } from './zip-entry.js';
import { readLocalHeaders } from './zip-local-headers.js';

/**
 * Opens the zip at `path` and lists up to `maxEntries` entries. Never throws for a damaged file:
 * an archive whose central directory cannot be found is listed from its local headers, up to the
 * damage, with `damage` saying so (a file that is no zip at all lists no entries).
 */
export async function openZip(path: string, maxEntries: number): Promise<ZipArchive> {
  let zipfile: yauzl.ZipFile;
  let reader: BlockFileReader;
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const options = { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: true, strictFileNames: false };
    reader = new BlockFileReader(handle, size);
    zipfile = await yauzl.fromRandomAccessReaderPromise(reader, size, options);
  } catch (error) {
    await handle.close();
    return readLocalHeaders(path, maxEntries, `no central directory (${describe(error).replace(/\.$/, '')}); entries read from their local headers`);
  }
  const entries: ZipEntry[] = [];
  const handles = new Map<ZipEntry, yauzl.Entry>();
  let damage: string | undefined;
  let tooManyEntries = false;
  try {
    for await (const handle of zipfile.eachEntry()) {
      if (entries.length === maxEntries) {
        tooManyEntries = true;
        break;
      }
      const entry: ZipEntry = {
        name: handle.fileName,
        compressedSize: handle.compressedSize,
        uncompressedSize: handle.uncompressedSize,
        crc32: handle.crc32,
        compressionMethod: handle.compressionMethod,
        encrypted: handle.isEncrypted() || handle.compressionMethod === AES_METHOD,
      };
      entries.push(entry);
      handles.set(entry, handle);
    }
  } catch (error) {
    damage = `central directory damaged after ${entries.length} entries (${describe(error)})`;
  }
  return {
    entries,
    ...(damage !== undefined && { damage }),
    tooManyEntries,
    async read(entry, maxBytes, onChunk) {
      const handle = handles.get(entry);
      if (handle === undefined) throw new TypeError('entry of another archive');
      const small = entry.compressedSize <= SMALL_ENTRY_BYTES && entry.uncompressedSize <= maxBytes && (entry.compressionMethod === 0 || entry.compressionMethod === 8);
      if (small) return deliverSmallEntry(await storedBytes(reader, handle), entry, onChunk);
      let stream: Readable;
      try {
        stream = await zipfile.openReadStreamPromise(handle);
      } catch (error) {
        throw new ZipEntryDamage(describe(error), { cause: error });
      }
      return pumpEntry(stream, entry, maxBytes, onChunk);
    },
    close() {
      zipfile.close();
    },
  };
}

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_LENGTH = 30;

/**
 * An entry's data as stored, read straight from its local header's offset (as yauzl's
 * openReadStream does, without a stream per entry): for small entries, inflated at once.
 */
async function storedBytes(reader: BlockFileReader, handle: yauzl.Entry): Promise<Buffer> {
  try {
    const offset = handle.relativeOffsetOfLocalHeader;
    const header = await reader.range(offset, LOCAL_HEADER_LENGTH);
    if (header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw new Error(`no local file header at offset ${offset}`);
    const dataStart = offset + LOCAL_HEADER_LENGTH + header.readUInt16LE(26) + header.readUInt16LE(28);
    return await reader.range(dataStart, handle.compressedSize);
  } catch (error) {
    throw new ZipEntryDamage(describe(error), { cause: error });
  }
}

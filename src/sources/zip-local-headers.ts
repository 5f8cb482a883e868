// A zip without a usable central directory (a file cut short), listed by walking its local file
// headers from the start (APPNOTE.TXT 4.3.7) up to the first one that is cut or unreadable.
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { AES_METHOD, describe, pumpEntry, ZipEntryDamage, type ZipArchive, type ZipEntry } from './zip-entry.js';

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const LOCAL_HEADER_LENGTH = 30;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8_NAME = 0x0800;
const FLAG_ENCRYPTED = 0x0001;
const ZIP64_SIZE = 0xffffffff;

interface LocalEntry extends ZipEntry {
  /** Offset of the entry's data in the file. */
  readonly dataStart: number;
}

/**
 * Lists the entries whose header and data lie whole in the file, in file order. `why` says why
 * the central directory was not used; `damage` adds where the walk stopped, if before the end.
 */
export async function readLocalHeaders(path: string, maxEntries: number, why: string): Promise<ZipArchive> {
  const entries: LocalEntry[] = [];
  const listed = new WeakSet<ZipEntry>();
  let stop: string | undefined;
  let tooManyEntries = false;
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const size = (await handle.stat()).size;
    const header = Buffer.alloc(LOCAL_HEADER_LENGTH);
    let offset = 0;
    for (;;) {
      const after = entries.length > 0 ? ` after ${entries[entries.length - 1]!.name}` : '';
      if (offset >= size) break;
      if (offset + LOCAL_HEADER_LENGTH > size) {
        stop = `the file ends inside the local header${after}`;
        break;
      }
      await handle.read(header, 0, LOCAL_HEADER_LENGTH, offset);
      const signature = header.readUInt32LE(0);
      // The central directory starts here: only its end record is missing.
      if (signature === CENTRAL_HEADER_SIGNATURE) break;
      if (signature !== LOCAL_HEADER_SIGNATURE) {
        stop = `no local header at offset ${offset}${after}`;
        break;
      }
      if (entries.length === maxEntries) {
        tooManyEntries = true;
        break;
      }
      const flags = header.readUInt16LE(6);
      const compressedSize = header.readUInt32LE(18);
      const uncompressedSize = header.readUInt32LE(22);
      const nameLength = header.readUInt16LE(26);
      const dataStart = offset + LOCAL_HEADER_LENGTH + nameLength + header.readUInt16LE(28);
      if (offset + LOCAL_HEADER_LENGTH + nameLength > size) {
        stop = `the file ends inside the local header${after}`;
        break;
      }
      const nameBytes = Buffer.alloc(nameLength);
      await handle.read(nameBytes, 0, nameLength, offset + LOCAL_HEADER_LENGTH);
      const name = nameBytes.toString(flags & FLAG_UTF8_NAME ? 'utf8' : 'latin1');
      if (flags & FLAG_DATA_DESCRIPTOR || compressedSize === ZIP64_SIZE || uncompressedSize === ZIP64_SIZE) {
        stop = `${name} does not give its sizes before its data`;
        break;
      }
      if (dataStart + compressedSize > size) {
        stop = `the file ends inside ${name}`;
        break;
      }
      const compressionMethod = header.readUInt16LE(8);
      const entry: LocalEntry = {
        name,
        compressedSize,
        uncompressedSize,
        crc32: header.readUInt32LE(14),
        compressionMethod,
        encrypted: (flags & FLAG_ENCRYPTED) !== 0 || compressionMethod === AES_METHOD,
        dataStart,
      };
      entries.push(entry);
      listed.add(entry);
      offset = dataStart + compressedSize;
    }
  } catch (error) {
    stop = `unreadable (${describe(error)})`;
  } finally {
    await handle?.close();
  }
  return {
    entries,
    damage: stop === undefined ? why : `${why}; ${stop}`,
    tooManyEntries,
    read(entry, maxBytes, onChunk) {
      const local = entry as LocalEntry;
      if (!listed.has(local)) throw new TypeError('entry of another archive');
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        return Promise.reject(new ZipEntryDamage(`compression method ${entry.compressionMethod} is not supported`));
      }
      const raw = local.compressedSize === 0 ? Readable.from([]) : createReadStream(path, { start: local.dataStart, end: local.dataStart + local.compressedSize - 1 });
      const data = entry.compressionMethod === 8 ? raw.pipe(createInflateRaw()) : raw;
      // A failure of the file stream is a failure of the data stream.
      if (data !== raw) raw.on('error', (error: Error) => data.destroy(error));
      return pumpEntry(data, entry, maxBytes, onChunk).finally(() => raw.destroy());
    },
    close() {},
  };
}

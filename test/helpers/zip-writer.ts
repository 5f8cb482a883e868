// Test helper: a small store/deflate zip writer (APPNOTE.TXT 4.3) that can also lie, for hostile archives.
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipFileSpec {
  readonly name: string;
  readonly data: Buffer | string;
  /** 8 (deflate, the default) or 0 (stored). */
  readonly method?: 0 | 8;
  /** Written in place of the real values: a bomb's or a damaged archive's lies. */
  readonly declaredSize?: number;
  readonly declaredCrc?: number;
  /** Compression method field as written (99: WinZip AES); the data is still `method`'s. */
  readonly methodField?: number;
  /** General purpose flags (bit 0: encrypted). */
  readonly flags?: number;
}

/** The bytes of a zip archive holding `files` in order, with a central directory. */
export function zipArchive(files: readonly ZipFileSpec[], comment = ''): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const data = typeof file.data === 'string' ? Buffer.from(file.data, 'latin1') : file.data;
    const method = file.method ?? 8;
    const stored = method === 8 ? deflateRawSync(data) : data;
    const name = Buffer.from(file.name, 'utf8');
    const crc = file.declaredCrc ?? crc32(data);
    const size = file.declaredSize ?? data.length;
    const methodField = file.methodField ?? method;
    const flags = file.flags ?? 0;
    // Local and central headers share these fields, from "version needed" to the name's length.
    const common = (header: Buffer, at: number): void => {
      header.writeUInt16LE(20, at);
      header.writeUInt16LE(flags, at + 2);
      header.writeUInt16LE(methodField, at + 4);
      header.writeUInt16LE(0, at + 6);
      header.writeUInt16LE(0x21, at + 8);
      header.writeUInt32LE(crc, at + 10);
      header.writeUInt32LE(stored.length, at + 14);
      header.writeUInt32LE(size, at + 18);
      header.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    common(local, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    common(central, 6);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const commentBytes = Buffer.from(comment, 'latin1');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(commentBytes.length, 20);
  return Buffer.concat([...locals, directory, end, commentBytes]);
}

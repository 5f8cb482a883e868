// pcapng parser: sections, interfaces, packet blocks and decryption secrets, fed chunk by chunk.
import type { AnomalyCode, AnomalySeverity, FileSpan, Timestamp } from '../model/index.js';
import { anomaly } from '../model/index.js';
import type { CaptureSink } from './capture-sink.js';
import { MAX_CAPTURED_LENGTH } from './pcap-reader.js';
import type { RecordConsumer } from './record-stream.js';

const BlockType = {
  OBSOLETE_PACKET: 0x00000002,
  INTERFACE_DESCRIPTION: 0x00000001,
  SIMPLE_PACKET: 0x00000003,
  ENHANCED_PACKET: 0x00000006,
  DECRYPTION_SECRETS: 0x0000000a,
  SECTION_HEADER: 0x0a0d0d0a,
} as const;

/**
 * Blocks that are not packets but that Wireshark still shows as numbered frames: systemd
 * journal exports and custom blocks (copiable and not). They take a frame number, no frame.
 */
const NUMBERED_NON_PACKET_BLOCKS: ReadonlySet<number> = new Set([0x00000009, 0x00000bad, 0x40000bad]);

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Type, total length and the trailing copy of the length. */
const BLOCK_OVERHEAD = 12;
/** Enough to read any block's type and length, including the SHB's byte-order magic. */
const BLOCK_HEAD_LENGTH = 12;
/** Blocks above this are taken as corruption (Wireshark 2.x used the same 16 MiB bound). */
export const MAX_BLOCK_LENGTH = 16 * 1024 * 1024;

const OPTION_END = 0;
const OPTION_IF_TSRESOL = 9;
const OPTION_IF_TSOFFSET = 14;

const MICROS_PER_SECOND = 1_000_000;
/** Microsecond timestamps below this fit a double exactly (high word < 2^21). */
const EXACT_HIGH_WORD_LIMIT = 2 ** 21;

interface Interface {
  readonly linkType: number;
  readonly snapLength: number;
  /** Timestamp units per second: 10^n or 2^n from if_tsresol (default 10^6). */
  readonly unitsPerSecond: bigint;
  /** if_tsoffset: seconds to add to every timestamp. */
  readonly offsetSeconds: number;
}

/**
 * Parses a pcapng file block by block. Each Section Header Block sets the byte order and
 * starts a fresh interface list. Frames are numbered over every packet block delivered, as
 * Wireshark numbers them. Does not read name resolution, statistics or custom blocks.
 */
export class PcapngParser implements RecordConsumer {
  needed = BLOCK_HEAD_LENGTH;
  stopped = false;
  damaged = false;
  /** Frames delivered. */
  frames = 0;
  /** Last frame number given out: Wireshark also numbers some blocks that are not packets. */
  lastFrameNumber = 0;

  readonly #sink: CaptureSink;
  readonly #file: string | undefined;
  #fileOffset = 0;
  #littleEndian = true;
  #interfaces: Interface[] = [];

  constructor(sink: CaptureSink, file?: string) {
    this.#sink = sink;
    this.#file = file;
  }

  consume(buf: Buffer, start: number, end: number): number {
    const base = this.#fileOffset - start;
    let pos = start;
    while (!this.stopped) {
      if (end - pos < BLOCK_HEAD_LENGTH) {
        this.needed = BLOCK_HEAD_LENGTH;
        break;
      }
      const offset = base + pos;
      const type = this.#read32(buf, pos);
      if (type === BlockType.SECTION_HEADER && !this.#startSection(buf, pos, offset)) break;
      const length = this.#read32(buf, pos + 4);
      if (length < BLOCK_OVERHEAD || length % 4 !== 0 || length > MAX_BLOCK_LENGTH) {
        this.#stop('bad-block', `block at offset ${offset}: total length ${length} is not a multiple of 4 between ${BLOCK_OVERHEAD} and ${MAX_BLOCK_LENGTH}`, offset);
        break;
      }
      if (end - pos < length) {
        this.needed = length;
        break;
      }
      const trailer = this.#read32(buf, pos + length - 4);
      if (trailer !== length) {
        this.#stop('bad-block', `block at offset ${offset}: trailing length ${trailer} differs from the leading ${length}`, offset);
        break;
      }
      this.#readBlock(type, buf, pos + 8, pos + length - 4, offset);
      pos += length;
    }
    this.#fileOffset = base + pos;
    return pos;
  }

  finish(leftover: number): void {
    if (this.stopped || leftover === 0) return;
    this.#stop(
      'truncated-record',
      `block at offset ${this.#fileOffset}: the file is cut short inside a block (${leftover} of ${this.needed} bytes); read ${this.frames} frames`,
      this.#fileOffset,
    );
  }

  /** Reads the SHB byte-order magic; false (after an anomaly) when it is not one. */
  #startSection(buf: Buffer, pos: number, offset: number): boolean {
    const magic = buf.readUInt32LE(pos + 8);
    if (magic === BYTE_ORDER_MAGIC) this.#littleEndian = true;
    else if (magic === 0x4d3c2b1a) this.#littleEndian = false;
    else {
      this.#stop('bad-block', `section header at offset ${offset}: byte-order magic 0x${magic.toString(16)} is not 0x1a2b3c4d`, offset);
      return false;
    }
    return true;
  }

  /** One whole, length-checked block; `body` spans `[bodyStart, bodyEnd)`. */
  #readBlock(type: number, buf: Buffer, bodyStart: number, bodyEnd: number, offset: number): void {
    switch (type) {
      case BlockType.SECTION_HEADER:
        return this.#readSectionHeader(buf, bodyStart, bodyEnd, offset);
      case BlockType.INTERFACE_DESCRIPTION:
        return this.#readInterface(buf, bodyStart, bodyEnd, offset);
      case BlockType.ENHANCED_PACKET:
        return this.#readPacket(buf, bodyStart, bodyEnd, offset, 'enhanced');
      case BlockType.OBSOLETE_PACKET:
        return this.#readPacket(buf, bodyStart, bodyEnd, offset, 'obsolete');
      case BlockType.SIMPLE_PACKET:
        return this.#readSimplePacket(buf, bodyStart, bodyEnd, offset);
      case BlockType.DECRYPTION_SECRETS:
        return this.#readSecrets(buf, bodyStart, bodyEnd, offset);
      default:
        // Name resolution, statistics, custom and unknown blocks: skipped by length.
        if (NUMBERED_NON_PACKET_BLOCKS.has(type)) this.lastFrameNumber++;
        return;
    }
  }

  #readSectionHeader(buf: Buffer, bodyStart: number, bodyEnd: number, offset: number): void {
    if (bodyEnd - bodyStart < 16) {
      this.#stop('bad-block', `section header at offset ${offset}: ${bodyEnd - bodyStart} body bytes, 16 needed`, offset);
      return;
    }
    const major = this.#read16(buf, bodyStart + 4);
    const minor = this.#read16(buf, bodyStart + 6);
    if (major !== 1) {
      this.#stop('unsupported-version', `section header at offset ${offset}: pcapng version ${major}.${minor} is not supported`, offset);
      return;
    }
    this.#interfaces = [];
  }

  #readInterface(buf: Buffer, bodyStart: number, bodyEnd: number, offset: number): void {
    if (bodyEnd - bodyStart < 8) {
      this.#stop('bad-block', `interface description at offset ${offset}: ${bodyEnd - bodyStart} body bytes, 8 needed`, offset);
      return;
    }
    let unitsPerSecond = BigInt(MICROS_PER_SECOND);
    let offsetSeconds = 0;
    let pos = bodyStart + 8;
    while (bodyEnd - pos >= 4) {
      const code = this.#read16(buf, pos);
      const length = this.#read16(buf, pos + 2);
      const value = pos + 4;
      if (code === OPTION_END || value + length > bodyEnd) break;
      if (code === OPTION_IF_TSRESOL && length >= 1) {
        const resolution = buf[value] ?? 6;
        const exponent = BigInt(resolution & 0x7f);
        unitsPerSecond = resolution & 0x80 ? 1n << exponent : 10n ** exponent;
      } else if (code === OPTION_IF_TSOFFSET && length >= 8) {
        offsetSeconds = Number(this.#littleEndian ? buf.readBigInt64LE(value) : buf.readBigInt64BE(value));
      }
      pos = value + ((length + 3) & ~3);
    }
    this.#interfaces.push({
      linkType: this.#read16(buf, bodyStart),
      snapLength: this.#read32(buf, bodyStart + 4),
      unitsPerSecond,
      offsetSeconds,
    });
  }

  /** EPB: u32 interface; PB: u16 interface, u16 drops. Then timestamp, lengths, data. */
  #readPacket(buf: Buffer, bodyStart: number, bodyEnd: number, offset: number, kind: 'enhanced' | 'obsolete'): void {
    const blockName = kind === 'enhanced' ? 'enhanced packet block' : 'packet block';
    if (bodyEnd - bodyStart < 20) {
      this.#stop('bad-block', `${blockName} at offset ${offset}: ${bodyEnd - bodyStart} body bytes, 20 needed`, offset);
      return;
    }
    const interfaceId = kind === 'enhanced' ? this.#read32(buf, bodyStart) : this.#read16(buf, bodyStart);
    const capturedLength = this.#read32(buf, bodyStart + 12);
    const originalLength = this.#read32(buf, bodyStart + 16);
    const dataStart = bodyStart + 20;
    if (capturedLength > bodyEnd - dataStart) {
      this.#stop('bad-block', `${blockName} at offset ${offset}: captured length ${capturedLength} does not fit the block`, offset, this.lastFrameNumber + 1);
      return;
    }
    const iface = this.#interface(interfaceId, blockName, offset);
    if (iface === undefined) return;
    if (capturedLength > MAX_CAPTURED_LENGTH) {
      this.#stop('bad-record', `${blockName} at offset ${offset}: captured length ${capturedLength} is larger than ${MAX_CAPTURED_LENGTH}`, offset, this.lastFrameNumber + 1);
      return;
    }
    const time = this.#timestamp(iface, this.#read32(buf, bodyStart + 4), this.#read32(buf, bodyStart + 8));
    this.#deliver(iface, interfaceId, time, buf.subarray(dataStart, dataStart + capturedLength), originalLength, blockSpan(offset, bodyStart, bodyEnd));
  }

  /** SPB: interface 0, no timestamp; captured length is bounded by snap length and block. */
  #readSimplePacket(buf: Buffer, bodyStart: number, bodyEnd: number, offset: number): void {
    if (bodyEnd - bodyStart < 4) {
      this.#stop('bad-block', `simple packet block at offset ${offset}: ${bodyEnd - bodyStart} body bytes, 4 needed`, offset);
      return;
    }
    const iface = this.#interface(0, 'simple packet block', offset);
    if (iface === undefined) return;
    const originalLength = this.#read32(buf, bodyStart);
    const dataStart = bodyStart + 4;
    let capturedLength = Math.min(originalLength, bodyEnd - dataStart);
    if (iface.snapLength !== 0) capturedLength = Math.min(capturedLength, iface.snapLength);
    if (capturedLength > MAX_CAPTURED_LENGTH) {
      this.#stop('bad-record', `simple packet block at offset ${offset}: captured length ${capturedLength} is larger than ${MAX_CAPTURED_LENGTH}`, offset, this.lastFrameNumber + 1);
      return;
    }
    this.#deliver(iface, 0, { sec: 0, nsec: 0 }, buf.subarray(dataStart, dataStart + capturedLength), originalLength, blockSpan(offset, bodyStart, bodyEnd));
  }

  #readSecrets(buf: Buffer, bodyStart: number, bodyEnd: number, offset: number): void {
    const secretsLength = bodyEnd - bodyStart >= 8 ? this.#read32(buf, bodyStart + 4) : -1;
    if (secretsLength < 0 || secretsLength > bodyEnd - bodyStart - 8) {
      this.#report('warning', 'bad-secrets-block', `decryption secrets block at offset ${offset}: secrets do not fit the block; skipped`, offset);
      return;
    }
    this.#sink.secrets({
      secretsType: this.#read32(buf, bodyStart),
      data: Buffer.from(buf.subarray(bodyStart + 8, bodyStart + 8 + secretsLength)),
      beforeFrame: this.lastFrameNumber + 1,
    });
  }

  #deliver(iface: Interface, interfaceId: number, time: Timestamp, data: Buffer, originalLength: number, record: FileSpan): void {
    this.frames++;
    this.lastFrameNumber++;
    this.#sink.frame({ frameNumber: this.lastFrameNumber, time, linkType: iface.linkType, data, originalLength, snapLength: iface.snapLength, interfaceId, record });
  }

  /** The section's interface `id`, or undefined after an anomaly (the packet is skipped). */
  #interface(id: number, blockName: string, offset: number): Interface | undefined {
    const iface = this.#interfaces[id];
    if (iface === undefined) {
      this.damaged = true;
      this.#report('warning', 'unknown-interface', `${blockName} at offset ${offset}: interface ${id} is not described in its section (${this.#interfaces.length} interfaces); packet skipped`, offset);
    }
    return iface;
  }

  #timestamp(iface: Interface, high: number, low: number): Timestamp {
    const units = iface.unitsPerSecond;
    if (units === 1_000_000n && high < EXACT_HIGH_WORD_LIMIT) {
      const micros = high * 2 ** 32 + low;
      const sec = Math.floor(micros / MICROS_PER_SECOND);
      return { sec: sec + iface.offsetSeconds, nsec: (micros - sec * MICROS_PER_SECOND) * 1000 };
    }
    const ticks = (BigInt(high) << 32n) | BigInt(low);
    const sec = ticks / units;
    const nsec = ((ticks - sec * units) * 1_000_000_000n) / units;
    return { sec: Number(sec) + iface.offsetSeconds, nsec: Number(nsec) };
  }

  #read16(buf: Buffer, at: number): number {
    return this.#littleEndian ? buf.readUInt16LE(at) : buf.readUInt16BE(at);
  }

  #read32(buf: Buffer, at: number): number {
    return this.#littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
  }

  #stop(code: AnomalyCode, message: string, offset: number, frame?: number): void {
    this.stopped = true;
    this.damaged = true;
    this.#report('warning', code, message, offset, frame);
  }

  #report(severity: AnomalySeverity, code: AnomalyCode, message: string, offset: number, frame?: number): void {
    this.#sink.anomaly(anomaly({ code, severity, message, file: this.#file, frame, offset }));
  }
}

/** The whole block (type, lengths, body) that starts at `offset` and whose body is bodyStart..bodyEnd. */
function blockSpan(offset: number, bodyStart: number, bodyEnd: number): FileSpan {
  return { offset, length: bodyEnd - bodyStart + 12 };
}

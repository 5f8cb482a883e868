// Classic pcap (libpcap) parser: both byte orders, µs and ns timestamps, fed chunk by chunk.
import type { Anomaly, AnomalyCode } from '../model/index.js';
import { anomaly } from '../model/index.js';
import type { CaptureSink } from './capture-sink.js';
import type { RecordConsumer } from './record-stream.js';

const FILE_HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;

/**
 * Largest captured length taken as a real record: Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD.
 * A bigger one means the file is corrupt from there on (Wireshark and tcpdump stop there too).
 */
export const MAX_CAPTURED_LENGTH = 262_144;

/** libpcap's LT_LINKTYPE: the upper 16 bits of the header's link type carry FCS details. */
const LINK_TYPE_MASK = 0xffff;

/** Pre-2.3 files store orig_len before incl_len; 2.3 files may or may not (libpcap, Wireshark). */
type LengthOrder = 'standard' | 'swapped' | 'maybe-swapped';

/**
 * Parses a classic pcap file: the 24-byte file header, then records of a 16-byte header and
 * the captured bytes. Frames are views into the chunks they arrived in (see readPacketFile).
 * Does not handle the pre-2.4 vendor variants (ss990417, Nokia, AIX) that Wireshark guesses.
 */
export class PcapParser implements RecordConsumer {
  needed = FILE_HEADER_LENGTH;
  stopped = false;
  /** True once the file turned out cut short or damaged. */
  damaged = false;
  frames = 0;

  readonly #sink: CaptureSink;
  readonly #file: string | undefined;
  /** File offset of the next byte `consume` will be given. */
  #fileOffset = 0;
  #headerRead = false;
  #littleEndian = true;
  #nanoseconds = false;
  #linkType = 0;
  #snapLength = 0;
  #lengthOrder: LengthOrder = 'standard';
  #reportedOverSnapLength = false;
  #reportedBadFraction = false;

  constructor(sink: CaptureSink, file?: string) {
    this.#sink = sink;
    this.#file = file;
  }

  consume(buf: Buffer, start: number, end: number): number {
    const base = this.#fileOffset - start;
    let pos = start;
    if (!this.#headerRead) {
      if (end - pos < FILE_HEADER_LENGTH) {
        this.needed = FILE_HEADER_LENGTH;
        return pos;
      }
      this.#readFileHeader(buf, pos);
      pos += FILE_HEADER_LENGTH;
    }
    const littleEndian = this.#littleEndian;
    while (!this.stopped) {
      if (end - pos < RECORD_HEADER_LENGTH) {
        this.needed = RECORD_HEADER_LENGTH;
        break;
      }
      const sec = littleEndian ? buf.readUInt32LE(pos) : buf.readUInt32BE(pos);
      const fraction = littleEndian ? buf.readUInt32LE(pos + 4) : buf.readUInt32BE(pos + 4);
      let capturedLength = littleEndian ? buf.readUInt32LE(pos + 8) : buf.readUInt32BE(pos + 8);
      let originalLength = littleEndian ? buf.readUInt32LE(pos + 12) : buf.readUInt32BE(pos + 12);
      if (
        this.#lengthOrder === 'swapped' ||
        (this.#lengthOrder === 'maybe-swapped' && capturedLength > originalLength)
      ) {
        [capturedLength, originalLength] = [originalLength, capturedLength];
      }
      if (capturedLength > MAX_CAPTURED_LENGTH) {
        this.#stop(
          'bad-record',
          `frame ${this.frames + 1} at offset ${base + pos}: captured length ${capturedLength} is larger than ${MAX_CAPTURED_LENGTH}; the file is corrupt from here on`,
          base + pos,
          this.frames + 1,
        );
        break;
      }
      const recordLength = RECORD_HEADER_LENGTH + capturedLength;
      if (end - pos < recordLength) {
        this.needed = recordLength;
        break;
      }
      if (capturedLength > this.#snapLength && !this.#reportedOverSnapLength) {
        this.#reportedOverSnapLength = true;
        this.#report(
          'info',
          'caplen-over-snaplen',
          `frame ${this.frames + 1} at offset ${base + pos}: captured length ${capturedLength} exceeds the snap length ${this.#snapLength} (reported once per file)`,
          base + pos,
          this.frames + 1,
        );
      }
      this.frames++;
      const nsec = this.#nanoseconds ? fraction : fraction * 1000;
      if (nsec >= 1e9) this.#reportBadFraction(fraction, base + pos);
      this.#sink.frame({
        frameNumber: this.frames,
        time: nsec < 1e9 ? { sec, nsec } : { sec: sec + Math.floor(nsec / 1e9), nsec: nsec % 1e9 },
        linkType: this.#linkType,
        data: buf.subarray(pos + RECORD_HEADER_LENGTH, pos + recordLength),
        originalLength,
        snapLength: this.#snapLength,
        interfaceId: 0,
        record: { offset: base + pos, length: recordLength },
      });
      pos += recordLength;
    }
    this.#fileOffset = base + pos;
    return pos;
  }

  finish(leftover: number): void {
    if (this.stopped) return;
    if (!this.#headerRead) {
      this.#stop('truncated-header', `the file ends inside the pcap file header (${leftover} of ${FILE_HEADER_LENGTH} bytes)`, 0);
    } else if (leftover > 0) {
      this.#stop(
        'truncated-record',
        `frame ${this.frames + 1} at offset ${this.#fileOffset}: the file is cut short inside a record (${leftover} of ${this.needed} bytes); read ${this.frames} frames`,
        this.#fileOffset,
        this.frames + 1,
      );
    }
  }

  #readFileHeader(buf: Buffer, pos: number): void {
    this.#headerRead = true;
    const magic = buf.readUInt32LE(pos);
    this.#littleEndian = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
    this.#nanoseconds = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
    const read16 = (at: number): number => (this.#littleEndian ? buf.readUInt16LE(at) : buf.readUInt16BE(at));
    const read32 = (at: number): number => (this.#littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
    const versionMajor = read16(pos + 4);
    const versionMinor = read16(pos + 6);
    this.#snapLength = read32(pos + 16);
    this.#linkType = read32(pos + 20) & LINK_TYPE_MASK;
    if (versionMajor < 2) {
      this.#stop('unsupported-version', `pcap version ${versionMajor}.${versionMinor} is not supported (2.0 and later are)`, pos + 4);
      return;
    }
    if (versionMajor === 543 || (versionMajor === 2 && versionMinor < 3)) this.#lengthOrder = 'swapped';
    else if (versionMajor === 2 && versionMinor === 3) this.#lengthOrder = 'maybe-swapped';
  }

  /** A sub-second field of a second or more: carried into seconds, reported once per file. */
  #reportBadFraction(fraction: number, offset: number): void {
    if (this.#reportedBadFraction) return;
    this.#reportedBadFraction = true;
    const unit = this.#nanoseconds ? 'ns' : 'µs';
    this.#report(
      'info',
      'bad-timestamp',
      `frame ${this.frames} at offset ${offset}: sub-second timestamp field ${fraction} ${unit} is a second or more; carried into seconds (reported once per file)`,
      offset,
      this.frames,
    );
  }

  #stop(code: AnomalyCode, message: string, offset: number, frame?: number): void {
    this.stopped = true;
    this.damaged = true;
    this.#report('warning', code, message, offset, frame);
  }

  #report(severity: Anomaly['severity'], code: AnomalyCode, message: string, offset: number, frame?: number): void {
    this.#sink.anomaly(anomaly({ code, severity, message, file: this.#file, frame, offset }));
  }
}

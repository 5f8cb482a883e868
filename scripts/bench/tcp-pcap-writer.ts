// A buffered classic-pcap writer of Ethernet + IPv4 + TCP frames, for the benchmarks' large captures.
import { closeSync, openSync, writeSync } from 'node:fs';

/** Microsecond pcap, LINKTYPE_ETHERNET; checksums are left zero (tshark and we don't check them). */
export class TcpPcapWriter {
  readonly #fd: number;
  readonly #buffer = Buffer.alloc(8 * 1024 * 1024);
  #position = 0;
  /** Bytes written to the file so far. */
  bytes = 0;
  frames = 0;
  tcpPayloadBytes = 0;

  constructor(path: string) {
    this.#fd = openSync(path, 'w');
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(262144, 16);
    header.writeUInt32LE(1, 20);
    this.#write(header);
  }

  /** One frame; addresses are IPv4 as 32-bit numbers, `timeUs` microseconds since the epoch. */
  packet(timeUs: number, src: number, dst: number, sport: number, dport: number, seq: number, ack: number, flags: number, payload: Buffer): void {
    const length = 14 + 20 + 20 + payload.length;
    const frame = Buffer.alloc(16 + length);
    frame.writeUInt32LE(Math.floor(timeUs / 1e6), 0);
    frame.writeUInt32LE(Math.floor(timeUs % 1e6), 4);
    frame.writeUInt32LE(length, 8);
    frame.writeUInt32LE(length, 12);
    frame.writeUInt16BE(0x0800, 16 + 12);
    const ip = 16 + 14;
    frame[ip] = 0x45;
    frame.writeUInt16BE(40 + payload.length, ip + 2);
    frame[ip + 8] = 64;
    frame[ip + 9] = 6;
    frame.writeUInt32BE(src >>> 0, ip + 12);
    frame.writeUInt32BE(dst >>> 0, ip + 16);
    const tcp = ip + 20;
    frame.writeUInt16BE(sport, tcp);
    frame.writeUInt16BE(dport, tcp + 2);
    frame.writeUInt32BE(seq >>> 0, tcp + 4);
    frame.writeUInt32BE(ack >>> 0, tcp + 8);
    frame[tcp + 12] = 0x50;
    frame[tcp + 13] = flags;
    frame.writeUInt16BE(65535, tcp + 14);
    payload.copy(frame, tcp + 20);
    this.tcpPayloadBytes += payload.length;
    this.frames++;
    this.#write(frame);
  }

  #write(bytes: Buffer): void {
    if (this.#position + bytes.length > this.#buffer.length) this.#flush();
    this.#position += bytes.copy(this.#buffer, this.#position);
    this.bytes += bytes.length;
  }

  #flush(): void {
    writeSync(this.#fd, this.#buffer, 0, this.#position);
    this.#position = 0;
  }

  close(): void {
    this.#flush();
    closeSync(this.#fd);
  }
}

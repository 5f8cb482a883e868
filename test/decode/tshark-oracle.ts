// Differential oracle: writes HTTP messages into a pcap and asks tshark what it dissects in them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One HTTP message; requests go client→server:80, responses server:80→client. */
export interface OracleMessage {
  readonly direction: 'request' | 'response';
  readonly text: string;
  /** Messages with the same number share a TCP connection; by default each has its own. */
  readonly connection?: number;
}

function ipv4Checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** One Ethernet/IPv4/TCP frame carrying `payload` at sequence number `seq`. */
function frame(payload: Buffer, clientPort: number, direction: 'request' | 'response', seq: number): Buffer {
  const ethernet = Buffer.alloc(14);
  ethernet.writeUInt16BE(0x0800, 12);
  const ip = Buffer.alloc(20);
  ip.writeUInt8(0x45, 0);
  ip.writeUInt16BE(20 + 20 + payload.length, 2);
  ip.writeUInt8(64, 8);
  ip.writeUInt8(6, 9);
  const [src, dst] = direction === 'request' ? [[127, 0, 0, 1], [127, 0, 0, 2]] : [[127, 0, 0, 2], [127, 0, 0, 1]];
  Buffer.from(src!).copy(ip, 12);
  Buffer.from(dst!).copy(ip, 16);
  ip.writeUInt16BE(ipv4Checksum(ip), 10);
  const tcp = Buffer.alloc(20);
  tcp.writeUInt16BE(direction === 'request' ? clientPort : 80, 0);
  tcp.writeUInt16BE(direction === 'request' ? 80 : clientPort, 2);
  tcp.writeUInt32BE(seq, 4);
  tcp.writeUInt32BE(1, 8);
  tcp.writeUInt8(0x50, 12);
  tcp.writeUInt8(0x18, 13);
  tcp.writeUInt16BE(65535, 14);
  return Buffer.concat([ethernet, ip, tcp, payload]);
}

function pcapOf(messages: readonly OracleMessage[]): Buffer {
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(262144, 16);
  global.writeUInt32LE(1, 20);
  const nextSeq = new Map<string, number>();
  const records = messages.map((message, i) => {
    const connection = message.connection ?? i;
    const payload = Buffer.from(message.text, 'latin1');
    const seqKey = `${connection}:${message.direction}`;
    const seq = nextSeq.get(seqKey) ?? 1;
    nextSeq.set(seqKey, seq + payload.length);
    const data = frame(payload, 40000 + connection, message.direction, seq);
    const header = Buffer.alloc(16);
    header.writeUInt32LE(1_700_000_000 + i, 0);
    header.writeUInt32LE(data.length, 8);
    header.writeUInt32LE(data.length, 12);
    return Buffer.concat([header, data]);
  });
  return Buffer.concat([global, ...records]);
}

/** tshark's values of `fields` for each message (one row per frame; multiple values joined by `,`). */
export function tsharkFields(messages: readonly OracleMessage[], fields: readonly string[]): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'decode-oracle-'));
  try {
    const file = join(dir, 'messages.pcap');
    writeFileSync(file, pcapOf(messages));
    const output = execFileSync(
      'tshark',
      ['-r', file, '-n', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', ...fields.flatMap((f) => ['-e', f])],
      { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    return output.split('\n').filter((line) => line !== '').map((line) => line.split('\t'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

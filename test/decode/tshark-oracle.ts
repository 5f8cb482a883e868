// Differential oracle: writes HTTP messages into a pcap and asks tshark what it dissects in them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ethernetFrame, ipv4Packet, tcpHeader } from '../helpers/packets.js';
import { pcapFile, type PcapRecord } from '../helpers/pcap-writer.js';

/** One HTTP message; requests go client→server:80, responses server:80→client. */
export interface OracleMessage {
  readonly direction: 'request' | 'response';
  readonly text: string;
  /** Messages with the same number share a TCP connection; by default each has its own. */
  readonly connection?: number;
}

const NO_MACS = { dst: '000000000000', src: '000000000000' };

/** One Ethernet/IPv4/TCP frame carrying `payload` at sequence number `seq`. */
function frame(payload: Buffer, clientPort: number, direction: 'request' | 'response', seq: number): Buffer {
  const [src, dst] = direction === 'request' ? ['127.0.0.1', '127.0.0.2'] : ['127.0.0.2', '127.0.0.1'];
  const [sport, dport] = direction === 'request' ? [clientPort, 80] : [80, clientPort];
  const tcp = tcpHeader({ sport, dport, seq, ack: 1, flags: 0x18, payload });
  return ethernetFrame(ipv4Packet({ src, dst, id: 0, checksum: true }, tcp), [], NO_MACS);
}

function pcapOf(messages: readonly OracleMessage[]): Buffer {
  const nextSeq = new Map<string, number>();
  const records = messages.map((message, i): PcapRecord => {
    const connection = message.connection ?? i;
    const payload = Buffer.from(message.text, 'latin1');
    const seqKey = `${connection}:${message.direction}`;
    const seq = nextSeq.get(seqKey) ?? 1;
    nextSeq.set(seqKey, seq + payload.length);
    return { sec: 1_700_000_000 + i, fraction: 0, data: frame(payload, 40000 + connection, message.direction, seq) };
  });
  return pcapFile(records);
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

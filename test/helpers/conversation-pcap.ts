// Test helper: a classic pcap of one plain-HTTP TCP connection, from the data each side sends (built with the one packet and pcap writer).
import { ethernetFrame, ipTcpPacket } from './packets.js';
import { pcapFile, type PcapRecord } from './pcap-writer.js';

export interface ConversationStep {
  readonly dir: 'client' | 'server';
  readonly bytes: Buffer;
}

const ENDS = {
  client: { ip: '10.0.0.1', port: 50123, mac: '020000000001' },
  server: { ip: '10.0.0.2', port: 80, mac: '020000000002' },
} as const;

/** A classic pcap of one TCP connection (handshake, then one segment per data step) on port 80, 1 ms apart. */
export function conversationPcap(steps: ReadonlyArray<ConversationStep>): Buffer {
  const seq = { client: 1000, server: 5000 };
  const records: PcapRecord[] = [];
  const segment = (dir: 'client' | 'server', flags: number, payload: Buffer): void => {
    const other = dir === 'client' ? 'server' : 'client';
    const ip = ipTcpPacket({
      src: ENDS[dir].ip,
      dst: ENDS[other].ip,
      sport: ENDS[dir].port,
      dport: ENDS[other].port,
      seq: seq[dir],
      ack: seq[other],
      flags,
      payload,
    });
    seq[dir] += payload.length + (flags & 0x03 ? 1 : 0);
    records.push({ sec: 1_700_000_000, fraction: records.length * 1000, data: ethernetFrame(ip, [], { dst: ENDS[other].mac, src: ENDS[dir].mac }) });
  };
  segment('client', 0x02, Buffer.alloc(0));
  segment('server', 0x12, Buffer.alloc(0));
  segment('client', 0x10, Buffer.alloc(0));
  for (const step of steps) segment(step.dir, 0x18, step.bytes);
  return pcapFile(records, { snapLength: 65535 });
}

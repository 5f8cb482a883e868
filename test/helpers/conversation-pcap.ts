// Test helper: a classic pcap of one plain-HTTP TCP connection, built byte by byte from the data
// each side sends, for differential tests against tshark and CLI runs on crafted traffic.

export interface ConversationStep {
  readonly dir: 'client' | 'server';
  readonly bytes: Buffer;
}

/** A classic pcap of one TCP connection (handshake, then one segment per data step) on port 80. */
export function conversationPcap(steps: ReadonlyArray<ConversationStep>): Buffer {
  const seq = { client: 1000, server: 5000 };
  const frames: Buffer[] = [];
  const segment = (dir: 'client' | 'server', flags: number, payload: Buffer): void => {
    const other = dir === 'client' ? 'server' : 'client';
    const ip = Buffer.alloc(20);
    ip.writeUInt8(0x45, 0);
    ip.writeUInt16BE(20 + 20 + payload.length, 2);
    ip.writeUInt8(64, 8);
    ip.writeUInt8(6, 9);
    Buffer.from(dir === 'client' ? [10, 0, 0, 1] : [10, 0, 0, 2]).copy(ip, 12);
    Buffer.from(dir === 'client' ? [10, 0, 0, 2] : [10, 0, 0, 1]).copy(ip, 16);
    const tcp = Buffer.alloc(20);
    tcp.writeUInt16BE(dir === 'client' ? 50123 : 80, 0);
    tcp.writeUInt16BE(dir === 'client' ? 80 : 50123, 2);
    tcp.writeUInt32BE(seq[dir], 4);
    tcp.writeUInt32BE(seq[other], 8);
    tcp.writeUInt8(0x50, 12);
    tcp.writeUInt8(flags, 13);
    tcp.writeUInt16BE(65535, 14);
    seq[dir] += payload.length + (flags & 0x03 ? 1 : 0);
    const ether = Buffer.from('0200000000020200000000010800', 'hex');
    if (dir === 'server') ether.set(Buffer.from('020000000001020000000002', 'hex'));
    const data = Buffer.concat([ether, ip, tcp, payload]);
    const record = Buffer.alloc(16);
    record.writeUInt32LE(1_700_000_000, 0);
    record.writeUInt32LE(frames.length * 1000, 4);
    record.writeUInt32LE(data.length, 8);
    record.writeUInt32LE(data.length, 12);
    frames.push(record, data);
  };
  segment('client', 0x02, Buffer.alloc(0));
  segment('server', 0x12, Buffer.alloc(0));
  segment('client', 0x10, Buffer.alloc(0));
  for (const step of steps) segment(step.dir, 0x18, step.bytes);
  const header = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex');
  return Buffer.concat([header, ...frames]);
}

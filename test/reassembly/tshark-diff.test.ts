// Differential tests against tshark 4.0: tcp.stream of every TCP frame, and each stream's bytes per direction (corpus: recorded answers).
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ACK, FIN, PSH, RST, SYN } from './factories.js';
import { ethernetFrame, ipTcpPacket, type TcpPacketSpec } from '../helpers/packets.js';
import { pcapFile, readPcapRecords, type PcapRecord } from '../helpers/pcap-writer.js';
import { runOurs, streamMismatches, tsharkFollow, tsharkStreams } from './run-capture.js';
import { corpusDir as sharedCorpusDir, hasSharedCorpus } from '../helpers/cli.js';
import { askStreams, driftSample, readStreamsAnswers, RECORD_COMMAND, staleAnswers } from '../helpers/corpus-answers.js';

const dataDir = new URL('./data/', import.meta.url).pathname;
const tcpdumpDir = `${sharedCorpusDir}/tcpdump`;
const corpusDir = `${tcpdumpDir}/`;
const scratch = mkdtempSync(join(tmpdir(), 'reassembly-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function expectSameStreamsAndBytes(path: string): Promise<void> {
  const ours = await runOurs(path);
  const theirs = tsharkStreams(path);
  expect(theirs.size).toBeGreaterThan(0);
  expect(streamMismatches(ours.streamsByFrame, theirs)).toEqual([]);
  for (const stream of ours.streams) {
    const follow = tsharkFollow(path, stream.info.index);
    expect(stream.text('client'), `stream ${stream.info.index} client bytes`).toBe(follow.client.toString('latin1'));
    expect(stream.text('server'), `stream ${stream.info.index} server bytes`).toBe(follow.server.toString('latin1'));
  }
}

describe('loopback captures recorded with tcpdump (scripts/record-reassembly-fixtures.ts)', () => {
  it.each(['http-keepalive.pcap', 'port-reuse.pcap', 'many-segments.pcap'])('%s: same tcp.stream per frame and same bytes as tshark', async (name) => {
    await expectSameStreamsAndBytes(dataDir + name);
  });
});

/** A crafted Ethernet capture of `packets`, one per 10 ms. */
function craft(name: string, packets: TcpPacketSpec[]): string {
  const path = join(scratch, `${name}.pcap`);
  writeFileSync(
    path,
    pcapFile(packets.map((p, i) => ({ data: ethernetFrame(ipTcpPacket({ src: '10.1.1.1', dst: '10.1.1.2', sport: 40000, dport: 80, ...p })), sec: 1_700_000_000, fraction: i * 10_000 }))),
  );
  return path;
}

const reverse = (p: TcpPacketSpec): TcpPacketSpec => ({ src: '10.1.1.2', dst: '10.1.1.1', sport: 80, dport: 40000, ...p });
const connection = (isn: number, close: 'fin' | 'rst' | 'none'): TcpPacketSpec[] => [
  { seq: isn, flags: SYN },
  reverse({ seq: 9000, ack: isn + 1, flags: SYN | ACK }),
  { seq: isn + 1, ack: 9001, flags: ACK },
  { seq: isn + 1, ack: 9001, flags: PSH | ACK, payload: 'ping' },
  reverse({ seq: 9001, ack: isn + 5, flags: PSH | ACK, payload: 'pong' }),
  ...(close === 'fin'
    ? [{ seq: isn + 5, ack: 9005, flags: FIN | ACK }, reverse({ seq: 9005, ack: isn + 6, flags: FIN | ACK }), { seq: isn + 6, ack: 9006, flags: ACK }]
    : close === 'rst'
      ? [{ seq: isn + 5, ack: 9005, flags: RST | ACK }]
      : []),
];

describe('port reuse, numbered as tshark numbers it', () => {
  const cases: [string, TcpPacketSpec[]][] = [
    ['same ISN after FIN', [...connection(1000, 'fin'), ...connection(1000, 'fin')]],
    ['same ISN after RST', [...connection(1000, 'rst'), ...connection(1000, 'none')]],
    ['new ISN after FIN', [...connection(1000, 'fin'), ...connection(5000, 'fin')]],
    ['new ISN without any close', [...connection(1000, 'none'), ...connection(5000, 'none')]],
    ['retransmitted SYN', [{ seq: 1000, flags: SYN }, ...connection(1000, 'fin')]],
    ['SYN from the former server after a FIN', [...connection(1000, 'fin'), reverse({ seq: 777, flags: SYN }), { seq: 3, ack: 778, flags: SYN | ACK }]],
    ['mid-connection start, then a SYN', [{ seq: 50, ack: 9001, flags: PSH | ACK, payload: 'mid' }, ...connection(49, 'none'), ...connection(1000, 'none')]],
  ];
  it.each(cases)('%s', async (name, packets) => {
    const path = craft(name.replace(/\W+/g, '-'), packets);
    const ours = await runOurs(path);
    expect(streamMismatches(ours.streamsByFrame, tsharkStreams(path))).toEqual([]);
  });
});

describe('re-ordered and retransmitted segments (records of a real capture shuffled)', () => {
  /** Data-carrying records of the server side, with the record index of each. */
  function tcpPayloadLength(frame: Buffer): { fromServer: boolean; length: number } {
    const ipAt = 14;
    const ihl = (frame[ipAt]! & 0x0f) * 4;
    const total = frame.readUInt16BE(ipAt + 2);
    const tcpAt = ipAt + ihl;
    return { fromServer: frame.readUInt16BE(tcpAt) === 18434, length: total - ihl - (frame[tcpAt + 12]! >> 4) * 4 };
  }

  it('gives the same bytes as tshark follow (out-of-order reassembly on), each piece delivered with the frame that filled the hole', async () => {
    const { records, linkType } = readPcapRecords(readFileSync(dataDir + 'many-segments.pcap'));
    const dataRecords = records.map((r, i) => ({ i, ...tcpPayloadLength(r.data) })).filter((r) => r.fromServer && r.length > 0);
    expect(dataRecords.length).toBeGreaterThanOrEqual(6);
    // Swap server data segments 0/1 and 2/3 (each moves with nothing acknowledging it in between),
    // and send segment 4 a second time right after segment 5 (a retransmission).
    const order = records.map((_, i) => i);
    const swap = (a: number, b: number): void => {
      const ia = order.indexOf(a);
      order.splice(ia, 1);
      order.splice(order.indexOf(b) + 1, 0, a);
    };
    const [d0, d1, d2, d3, d4, d5] = dataRecords.map((r) => r.i) as [number, number, number, number, number, number];
    swap(d0, d1);
    swap(d2, d3);
    // The ACKs that followed d0 and d2 must not overtake them: move each right after its data.
    for (const data of [d0, d2]) {
      const ackIndex = data + 1;
      order.splice(order.indexOf(ackIndex), 1);
      order.splice(order.indexOf(data) + 1, 0, ackIndex);
    }
    order.splice(order.indexOf(d5) + 1, 0, d4);
    const shuffled: PcapRecord[] = order.map((i, n) => ({ ...records[i]!, fraction: n }));
    const path = join(scratch, 'many-segments-shuffled.pcap');
    writeFileSync(path, pcapFile(shuffled, { linkType }));

    await expectSameStreamsAndBytes(path);
    const ours = await runOurs(path);
    expect(ours.anomalies).toEqual([]);
    const serverData = ours.streams[0]!.events.filter((e) => e.type === 'data' && e.direction === 'server');
    const frameOf = (recordIndex: number): number => order.indexOf(recordIndex) + 1;
    // d1 arrived first but waited; both it and d0 are delivered with d0's frame.
    expect(serverData.slice(0, 2).map((e) => e.type === 'data' && e.frame)).toEqual([frameOf(d0), frameOf(d0)]);
  });
});

describe("tcpdump test corpus: tcp.stream of every TCP frame equals tshark's (recorded answers)", () => {
  if (!hasSharedCorpus) {
    it('needs ../shared/corpus beside the clone', () => {
      console.warn(`shared corpus not found at ${sharedCorpusDir}: corpus stream-numbering tests not run`);
      expect(process.env.CI, 'CI must have ../shared beside the clone').toBeUndefined();
    });
    return;
  }
  // Files carrying TCP, over link types and encapsulations we decode (Ethernet, SLL, NULL, PPP, VLAN,
  // MPLS, GRE, VXLAN, Geneve, IPv6 extension headers, BIG TCP, fragments, damaged headers).
  const agreeing = [
    'bgp-4byte-asn.pcap',
    'bgp-addpath.pcap',
    'bgp-infinite-loop.pcap',
    'bgp_vpn_attrset.pcap',
    'bgp-shutdown-msg-variations.pcap',
    'bgp-enhanced-route-refresh.pcapng',
    'bigtcp-ipv4.pcap',
    'bigtcp-ipv6.pcap',
    'bigtcp-ipv6-hbh.pcap',
    'bigtcp-ipv4-geneve-ipv6.pcap',
    'bigtcp-ipv6-vxlan-ipv4.pcap',
    'dns_tcp.pcap',
    'dns_tcp_8053.pcap',
    'ipv4_tcp_http_xml.pcap',
    'ipv4_tcp_http_xml_tso.pcap',
    'mptcp-fclose.pcap',
    'mptcp-v0.pcap',
    'mptcp-v1.pcap',
    'mptcp-tcprst.pcap',
    'tcp-handshake-nano.pcap',
    'tcp_eight_lowest_weight_flags_set.pcap',
    'tcp_header_heapoverflow.pcap',
    'tcp_rst_data.pcap',
    'tcp_rst_data-trunc.pcap',
    'tcp-auth-heapoverflow.pcap',
    'heapoverflow-tcp_print.pcap',
    'smb_data_print-segv.pcap',
    'wccp_redirect_gre.pcap',
    'mpbgp-linklocal-nexthop.pcap',
    'bgp-bfd-cease.pcap',
    'arcnet-rfc1051-arp-icmp-http.pcap',
    'arcnet-rfc1201-arp-icmp-http.pcap',
  ];
  const answers = readStreamsAnswers();
  /** tshark's tcp.stream per frame for `name`, as recorded. */
  const recorded = (name: string): Map<number, number[]> => {
    const answer = answers.get(name);
    if (!answer) throw new Error(`${name}: no recorded tcp.stream answer (${RECORD_COMMAND})`);
    return answer.streams;
  };
  it.each(agreeing)('%s', async (name) => {
    const ours = await runOurs(corpusDir + name);
    expect(streamMismatches(ours.streamsByFrame, recorded(name))).toEqual([]);
  });

  // Where tshark finds TCP and we do not, and why (each checked to still be the case).
  const knownGaps: [string, string][] = [
    ['bgp-aigp.pcap', 'Juniper Ethernet link type (178) is not decoded'],
  ];
  it.each(knownGaps)('%s differs: %s', async (name) => {
    const ours = await runOurs(corpusDir + name);
    expect(ours.anomalies.map((a) => a.code)).toContain('unsupported-linktype');
    expect(streamMismatches(ours.streamsByFrame, recorded(name)).length).toBeGreaterThan(0);
  });

  it(`the answers are recorded for these captures' present bytes (else: ${RECORD_COMMAND})`, () => {
    const required = [...agreeing, ...knownGaps.map(([name]) => name)];
    expect(staleAnswers(tcpdumpDir, readdirSync(tcpdumpDir), answers, required)).toEqual([]);
  });

  it('tshark still gives the recorded answers (3 captures asked again)', () => {
    for (const name of driftSample(agreeing, 3)) expect(askStreams(tcpdumpDir, name), name).toEqual(answers.get(name));
  });
});

describe('tcpdump test corpus: robustness', () => {
  if (!hasSharedCorpus) {
    it('needs ../shared/corpus beside the clone', () => {
      console.warn(`shared corpus not found at ${sharedCorpusDir}: corpus robustness test not run`);
      expect(process.env.CI, 'CI must have ../shared beside the clone').toBeUndefined();
    });
    return;
  }
  it('reads all 830 files (many deliberately broken) without throwing, one unsupported-linktype per link type', async () => {
    const files = readdirSync(corpusDir);
    expect(files.length).toBeGreaterThanOrEqual(800);
    for (const name of files) {
      let result;
      try {
        result = await runOurs(corpusDir + name);
      } catch (error) {
        // Only the reader may refuse a whole file (InputError); decoding never throws.
        expect((error as Error).name, name).toBe('InputError');
        continue;
      }
      const linkTypeReports = result.anomalies.filter((a) => a.code === 'unsupported-linktype');
      expect(new Set(linkTypeReports.map((a) => a.message)).size, name).toBe(linkTypeReports.length);
      expect(result.streams.length, name).toBe(result.streamCount);
    }
  });
});

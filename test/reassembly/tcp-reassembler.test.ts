// TcpReassembler on synthetic segments: ordering, retransmission, overlap, gaps, wrap-around, ends, numbering.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACK, FIN, RST, SYN, handshake, recordingReassembler, seg } from './factories.js';

describe('TcpReassembler delivery', () => {
  it('delivers a handshake, data both ways and a FIN close in order, then ends with fin', () => {
    const { reassembler, streams, anomalies } = recordingReassembler();
    for (const s of handshake()) reassembler.segment(s);
    reassembler.segment(seg({ from: 'client', seq: 1001, ack: 5001, data: 'GET / HTTP/1.1\r\n\r\n', frame: 10 }));
    reassembler.segment(seg({ from: 'server', seq: 5001, ack: 1019, data: 'HTTP/1.1 200 OK\r\n\r\n', frame: 11 }));
    reassembler.segment(seg({ from: 'client', seq: 1019, ack: 5020, flags: FIN | ACK }));
    reassembler.segment(seg({ from: 'server', seq: 5020, ack: 1020, flags: FIN | ACK }));
    expect(streams).toHaveLength(1);
    const [stream] = streams;
    expect(stream!.info.index).toBe(0);
    expect(stream!.info.client).toEqual({ ip: '10.0.0.1', port: 40000 });
    expect(stream!.events).toEqual([
      { type: 'data', direction: 'client', text: 'GET / HTTP/1.1\r\n\r\n', frame: 10 },
      { type: 'data', direction: 'server', text: 'HTTP/1.1 200 OK\r\n\r\n', frame: 11 },
      { type: 'end', reason: 'fin' },
    ]);
    expect(anomalies).toEqual([]);
  });

  it('buffers an out-of-order segment and delivers it with the frame that filled the hole', () => {
    const { reassembler, streams } = recordingReassembler();
    for (const s of handshake()) reassembler.segment(s);
    reassembler.segment(seg({ from: 'client', seq: 1006, data: 'world', frame: 20 }));
    reassembler.segment(seg({ from: 'client', seq: 1001, data: 'hello', frame: 21 }));
    expect(streams[0]!.events).toEqual([
      { type: 'data', direction: 'client', text: 'hello', frame: 21 },
      { type: 'data', direction: 'client', text: 'world', frame: 21 },
    ]);
  });

  it('drops retransmissions and keeps the first-seen bytes of partial overlaps', () => {
    const { reassembler, streams } = recordingReassembler();
    for (const s of handshake()) reassembler.segment(s);
    reassembler.segment(seg({ from: 'client', seq: 1001, data: 'abcdef' }));
    reassembler.segment(seg({ from: 'client', seq: 1001, data: 'abcdef' })); // retransmission
    reassembler.segment(seg({ from: 'client', seq: 1004, data: 'XYZghi' })); // overlaps 'def'
    // Out of order, then an overlapping copy with other bytes, then the filler.
    reassembler.segment(seg({ from: 'client', seq: 1014, data: 'mnop' }));
    reassembler.segment(seg({ from: 'client', seq: 1012, data: 'QQRRSS' }));
    reassembler.segment(seg({ from: 'client', seq: 1010, data: 'jk' }));
    expect(streams[0]!.text('client')).toBe('abcdefghijkQQmnop');
  });

  it('handles sequence numbers wrapping around 2^32', () => {
    const { reassembler, streams, anomalies } = recordingReassembler();
    const isn = 0xfffffff8;
    for (const s of handshake(isn, 0xfffffffe)) reassembler.segment(s);
    reassembler.segment(seg({ from: 'client', seq: isn + 1, data: 'before-wrap' }));
    reassembler.segment(seg({ from: 'client', seq: isn + 12 + 5, data: 'after' })); // out of order, past the wrap
    reassembler.segment(seg({ from: 'client', seq: isn + 12, data: '-wrap' }));
    reassembler.segment(seg({ from: 'server', seq: 0xffffffff, data: 'server-side-wraps-at-once' }));
    reassembler.finish();
    expect(streams[0]!.text('client')).toBe('before-wrap-wrapafter');
    expect(streams[0]!.text('server')).toBe('server-side-wraps-at-once');
    expect(anomalies).toEqual([]);
  });

  it('delivers data carried on the SYN (TCP Fast Open)', () => {
    const { reassembler, streams } = recordingReassembler();
    reassembler.segment(seg({ from: 'client', seq: 7000, flags: SYN, data: 'early' }));
    reassembler.segment(seg({ from: 'server', seq: 9000, ack: 7006, flags: SYN | ACK }));
    reassembler.segment(seg({ from: 'client', seq: 7006, ack: 9001, data: 'late' }));
    expect(streams[0]!.text('client')).toBe('earlylate');
  });
});

describe('TcpReassembler gaps', () => {
  it('declares a hole lost as soon as the peer acknowledges past it', () => {
    const { reassembler, streams, anomalies } = recordingReassembler();
    for (const s of handshake()) reassembler.segment(s);
    reassembler.segment(seg({ from: 'client', seq: 1001, data: 'aaaa' }));
    reassembler.segment(seg({ from: 'client', seq: 1009, data: 'cccc', frame: 30 })); // 1005..1008 never captured
    expect(streams[0]!.events).toHaveLength(1);
    reassembler.segment(seg({ from: 'server', seq: 5001, ack: 1013, flags: ACK, frame: 31 }));
    expect(streams[0]!.events.slice(1)).toEqual([
      { type: 'gap', direction: 'client', missing: 4, frame: 31 },
      { type: 'data', direction: 'client', text: 'cccc', frame: 31 },
    ]);
    expect(anomalies).toMatchObject([{ code: 'tcp-gap', stream: 0, frame: 31 }]);
  });

  it('declares an out-of-order segment behind an already acknowledged hole at once', () => {
    const { reassembler, streams } = recordingReassembler();
    for (const s of handshake()) reassembler.segment(s);
    reassembler.segment(seg({ from: 'server', seq: 5001, ack: 1011, flags: ACK })); // acks 10 bytes not seen yet
    reassembler.segment(seg({ from: 'client', seq: 1006, data: 'fghij', frame: 40 }));
    expect(streams[0]!.events).toEqual([
      { type: 'gap', direction: 'client', missing: 5, frame: 40 },
      { type: 'data', direction: 'client', text: 'fghij', frame: 40 },
    ]);
  });

  it('reports holes left at the end of the capture and ends with eof', () => {
    const { reassembler, streams, anomalies } = recordingReassembler();
    for (const s of handshake()) reassembler.segment(s);
    reassembler.segment(seg({ from: 'client', seq: 1011, data: 'tail', frame: 50 }));
    reassembler.finish();
    expect(streams[0]!.events).toEqual([
      { type: 'gap', direction: 'client', missing: 10, frame: 50 },
      { type: 'data', direction: 'client', text: 'tail', frame: 50 },
      { type: 'end', reason: 'eof' },
    ]);
    expect(anomalies.map((a) => a.code)).toEqual(['tcp-gap']);
  });

  it('gives up on a hole when the out-of-order buffer is full', () => {
    const { reassembler, streams } = recordingReassembler({ maxBufferedBytesPerDirection: 8 });
    for (const s of handshake()) reassembler.segment(s);
    reassembler.segment(seg({ from: 'client', seq: 1003, data: 'cdef' }));
    expect(streams[0]!.events).toEqual([]);
    reassembler.segment(seg({ from: 'client', seq: 1007, data: 'ghijk', frame: 60 }));
    expect(streams[0]!.events).toEqual([
      { type: 'gap', direction: 'client', missing: 2, frame: 60 },
      { type: 'data', direction: 'client', text: 'cdef', frame: 60 },
      { type: 'data', direction: 'client', text: 'ghijk', frame: 60 },
    ]);
  });

  it('flushes holes before a FIN when the FIN is acknowledged', () => {
    const { reassembler, streams } = recordingReassembler();
    for (const s of handshake()) reassembler.segment(s);
    reassembler.segment(seg({ from: 'client', seq: 1006, ack: 5001, flags: FIN | ACK })); // 5 bytes lost before FIN
    reassembler.segment(seg({ from: 'server', seq: 5001, ack: 1007, flags: FIN | ACK, frame: 70 }));
    expect(streams[0]!.events).toEqual([
      { type: 'gap', direction: 'client', missing: 5, frame: 70 },
      { type: 'end', reason: 'fin' },
    ]);
  });
});

describe('TcpReassembler connection ends', () => {
  it('ends a stream on RST and still numbers later packets of it the same', () => {
    const { reassembler, streams } = recordingReassembler();
    for (const s of handshake()) reassembler.segment(s);
    reassembler.segment(seg({ from: 'client', seq: 1001, data: 'x' }));
    expect(reassembler.segment(seg({ from: 'server', seq: 5001, ack: 1002, flags: RST | ACK }))).toBe(0);
    expect(streams[0]!.events.at(-1)).toEqual({ type: 'end', reason: 'rst' });
    expect(reassembler.segment(seg({ from: 'client', seq: 1002, data: 'late' }))).toBe(0);
    expect(streams[0]!.events.filter((e) => e.type === 'end')).toHaveLength(1);
    expect(reassembler.streamCount).toBe(1);
  });

  it('ends a stream idle for longer than the timeout (capture time) with idle', () => {
    const { reassembler, streams } = recordingReassembler({ idleTimeoutSeconds: 60 });
    reassembler.segment(seg({ from: 'client', seq: 1, data: 'a', sec: 1000 }));
    reassembler.segment(seg({ from: 'client', seq: 1, data: 'b', sec: 1030, clientPort: 40001 }));
    reassembler.segment(seg({ from: 'client', seq: 1, data: 'c', sec: 1075, clientPort: 40002 }));
    expect(streams[0]!.events.at(-1)).toEqual({ type: 'end', reason: 'idle' });
    expect(streams[1]!.events.at(-1)?.type).toBe('data');
    reassembler.finish();
    expect(streams.map((s) => s.events.at(-1))).toEqual([
      { type: 'end', reason: 'idle' },
      { type: 'end', reason: 'eof' },
      { type: 'end', reason: 'eof' },
    ]);
  });

  it('stops sending data to a handler that returned false, but still ends it', () => {
    const { reassembler, streams } = recordingReassembler({ stopAfter: 1 });
    for (const s of handshake()) reassembler.segment(s);
    reassembler.segment(seg({ from: 'client', seq: 1001, data: 'one' }));
    reassembler.segment(seg({ from: 'client', seq: 1004, data: 'two' }));
    reassembler.segment(seg({ from: 'client', seq: 1007, ack: 5001, flags: FIN | ACK }));
    reassembler.segment(seg({ from: 'server', seq: 5001, ack: 1008, flags: FIN | ACK }));
    expect(streams[0]!.events).toEqual([
      { type: 'data', direction: 'client', text: 'one', frame: expect.any(Number) },
      { type: 'end', reason: 'fin' },
    ]);
  });
});

describe('TcpReassembler live connection bound', () => {
  it('ends the connection idle longest when too many are open, keeps its number, and says so once', () => {
    const { reassembler, streams, anomalies } = recordingReassembler({ maxLiveConnections: 3 });
    // Four half-open connections (a SYN each, one with a few bytes); connection 0 stays active.
    for (const port of [1, 2, 3]) reassembler.segment(seg({ from: 'client', seq: 100, flags: SYN, clientPort: port }));
    reassembler.segment(seg({ from: 'client', seq: 101, data: 'GET', clientPort: 1 }));
    expect(reassembler.segment(seg({ from: 'client', seq: 100, flags: SYN, clientPort: 4 }))).toBe(3);
    expect(streams[1]!.events).toEqual([{ type: 'end', reason: 'idle' }]);
    expect(streams[0]!.events.at(-1)?.type).toBe('data');
    expect(reassembler.segment(seg({ from: 'client', seq: 100, flags: SYN, clientPort: 5, frame: 9001 }))).toBe(4);
    expect(streams[2]!.events).toEqual([{ type: 'end', reason: 'idle' }]);
    // A retransmitted SYN of an evicted connection keeps its tcp.stream, as in Wireshark.
    expect(reassembler.segment(seg({ from: 'client', seq: 100, flags: SYN, clientPort: 2 }))).toBe(1);
    expect(anomalies).toEqual([]);
    reassembler.finish();
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({ code: 'tcp-evicted', severity: 'warning', stream: 1, details: { evicted: 2, maxLiveConnections: 3 } });
    expect(anomalies[0]!.message).toMatch(/^2 connections were ended early because more than 3 were open at once/);
  });

  it('keeps no more handlers open than the bound for 20,000 half-open connections', () => {
    const { reassembler, streams } = recordingReassembler();
    let mostOpen = 0;
    for (let port = 1; port <= 20_000; port++) {
      reassembler.segment(seg({ from: 'client', seq: 7, flags: SYN, clientPort: port }));
      if (port % 1000 === 0) mostOpen = Math.max(mostOpen, streams.filter((s) => s.events.at(-1)?.type !== 'end').length);
    }
    expect(reassembler.streamCount).toBe(20_000);
    expect(mostOpen).toBeLessThanOrEqual(5_000);
  });
});

describe('TcpReassembler numbering (Wireshark tcp.stream)', () => {
  it('numbers connections in order of first packet, also without SYN or payload', () => {
    const { reassembler, streams } = recordingReassembler();
    expect(reassembler.segment(seg({ from: 'server', seq: 1, ack: 1, flags: ACK, clientPort: 1 }))).toBe(0);
    expect(reassembler.segment(seg({ from: 'client', seq: 1, flags: SYN, clientPort: 2 }))).toBe(1);
    expect(reassembler.segment(seg({ from: 'client', seq: 5, ack: 1, flags: ACK, clientPort: 1 }))).toBe(0);
    // Capture starting mid-connection: the first sender is the client.
    expect(streams[0]!.info.client).toEqual({ ip: '10.0.0.2', port: 80 });
    expect(streams[1]!.info.client).toEqual({ ip: '10.0.0.1', port: 2 });
  });

  it('takes the receiver of a first-seen SYN-ACK as the client', () => {
    const { reassembler, streams } = recordingReassembler();
    reassembler.segment(seg({ from: 'server', seq: 1, ack: 1, flags: SYN | ACK }));
    expect(streams[0]!.info.client).toEqual({ ip: '10.0.0.1', port: 40000 });
  });

  it('keeps a retransmitted SYN in its connection, and starts a new one for a SYN with another ISN', () => {
    const { reassembler, streams } = recordingReassembler();
    expect(reassembler.segment(seg({ from: 'client', seq: 1000, flags: SYN }))).toBe(0);
    expect(reassembler.segment(seg({ from: 'client', seq: 1000, flags: SYN }))).toBe(0);
    expect(reassembler.segment(seg({ from: 'client', seq: 2000, flags: SYN }))).toBe(1);
    expect(streams[0]!.events).toEqual([{ type: 'end', reason: 'reused' }]);
  });

  it('keeps a SYN with the same ISN in the old connection even after RST (as Wireshark 4.0 does)', () => {
    const { reassembler } = recordingReassembler();
    for (const s of handshake()) reassembler.segment(s);
    reassembler.segment(seg({ from: 'client', seq: 1001, ack: 5001, flags: RST | ACK }));
    expect(reassembler.segment(seg({ from: 'client', seq: 1000, flags: SYN }))).toBe(0);
  });
});

describe('TcpReassembler properties', () => {
  it('delivers exactly the sent bytes whatever the capture order, duplication and segmentation', () => {
    const arbitraryCase = fc.record({
      text: fc.string({ minLength: 1, maxLength: 200 }),
      cuts: fc.array(fc.nat(200), { maxLength: 12 }),
      isn: fc.nat(0xffffffff),
      order: fc.array(fc.nat(), { maxLength: 30 }),
    });
    fc.assert(
      fc.property(arbitraryCase, ({ text, cuts, isn, order }) => {
        const bytes = Buffer.from(text, 'latin1');
        const points = [...new Set([0, bytes.length, ...cuts.map((c) => c % bytes.length)])].sort((a, b) => a - b);
        const pieces = points.slice(1).map((end, i) => ({ start: points[i]!, end }));
        // Shuffle by the random keys, and send some pieces twice.
        const sent = [...pieces, ...pieces.filter((_, i) => order[i] !== undefined && order[i]! % 3 === 0)]
          .map((p, i) => ({ p, key: order[i % Math.max(1, order.length)] ?? i }))
          .sort((a, b) => a.key - b.key)
          .map(({ p }) => p);
        const { reassembler, streams, anomalies } = recordingReassembler();
        reassembler.segment(seg({ from: 'client', seq: isn, flags: SYN }));
        for (const p of sent) {
          reassembler.segment(seg({ from: 'client', seq: isn + 1 + p.start, data: bytes.subarray(p.start, p.end).toString('latin1') }));
        }
        reassembler.finish();
        expect(streams[0]!.text('client')).toBe(bytes.toString('latin1'));
        expect(anomalies).toEqual([]);
      }),
    );
  });
});

describe('TcpReassembler and the snapshot length', () => {
  it('passes a cut segment on as its captured bytes and a gap that names the snap length, and reports the connection once', () => {
    const { reassembler, streams, anomalies } = recordingReassembler();
    for (const s of handshake()) reassembler.segment(s);
    reassembler.segment(seg({ from: 'client', seq: 1001, ack: 5001, data: 'GET /a', cut: 20, frame: 10 }));
    reassembler.segment(seg({ from: 'server', seq: 5001, ack: 1027, data: 'HTTP/1.1 200', cut: 30, frame: 11 }));
    reassembler.segment(seg({ from: 'client', seq: 1027, ack: 5043, data: 'GET /b', cut: 4, frame: 12 }));
    reassembler.segment(seg({ from: 'client', seq: 1037, ack: 5043, flags: FIN | ACK, frame: 13 }));
    reassembler.segment(seg({ from: 'server', seq: 5043, ack: 1038, flags: FIN | ACK, frame: 14 }));
    expect(streams[0]!.events).toEqual([
      { type: 'data', direction: 'client', text: 'GET /a', frame: 10 },
      { type: 'gap', direction: 'client', missing: 20, frame: 10, snapLength: 96 },
      { type: 'data', direction: 'server', text: 'HTTP/1.1 200', frame: 11 },
      { type: 'gap', direction: 'server', missing: 30, frame: 11, snapLength: 96 },
      { type: 'data', direction: 'client', text: 'GET /b', frame: 12 },
      { type: 'gap', direction: 'client', missing: 4, frame: 12, snapLength: 96 },
      { type: 'end', reason: 'fin' },
    ]);
    expect(anomalies).toEqual([
      {
        code: 'snaplen-cut',
        severity: 'warning',
        message:
          "the capture's snapshot length (96 bytes) cut 3 frames of this connection: headers and bodies after byte 96 of each packet are missing (capture with tcpdump -s 0)",
        frame: 10,
        stream: 0,
        details: { snapLength: 96, cutFrames: 3 },
      },
    ]);
  });

  it('keeps a cut segment that arrives out of order in place: the cut comes where its bytes belonged', () => {
    const { reassembler, streams, anomalies } = recordingReassembler();
    for (const s of handshake()) reassembler.segment(s);
    reassembler.segment(seg({ from: 'client', seq: 1011, data: 'late', cut: 6, frame: 20 }));
    reassembler.segment(seg({ from: 'client', seq: 1021, data: 'tail', frame: 21 }));
    reassembler.segment(seg({ from: 'client', seq: 1001, data: '0123456789', frame: 22 }));
    reassembler.finish();
    expect(streams[0]!.events).toEqual([
      { type: 'data', direction: 'client', text: '0123456789', frame: 22 },
      { type: 'data', direction: 'client', text: 'late', frame: 22 },
      { type: 'gap', direction: 'client', missing: 6, frame: 22, snapLength: 96 },
      { type: 'data', direction: 'client', text: 'tail', frame: 22 },
      { type: 'end', reason: 'eof' },
    ]);
    expect(anomalies.map((a) => [a.code, a.frame, a.details])).toEqual([['snaplen-cut', 20, { snapLength: 96, cutFrames: 1 }]]);
  });

  it('lets a full retransmission fill only what no cut segment covered (the first copy wins), and a real hole stays a tcp-gap', () => {
    const { reassembler, streams, anomalies } = recordingReassembler();
    for (const s of handshake()) reassembler.segment(s);
    reassembler.segment(seg({ from: 'client', seq: 1001, data: 'abc', cut: 3, frame: 30 }));
    reassembler.segment(seg({ from: 'client', seq: 1001, data: 'abcdefgh', frame: 31 }));
    reassembler.segment(seg({ from: 'client', seq: 1020, data: 'xyz', frame: 32 }));
    reassembler.finish();
    expect(streams[0]!.events).toEqual([
      { type: 'data', direction: 'client', text: 'abc', frame: 30 },
      { type: 'gap', direction: 'client', missing: 3, frame: 30, snapLength: 96 },
      { type: 'data', direction: 'client', text: 'gh', frame: 31 },
      { type: 'gap', direction: 'client', missing: 11, frame: 32 },
      { type: 'data', direction: 'client', text: 'xyz', frame: 32 },
      { type: 'end', reason: 'eof' },
    ]);
    expect(anomalies.map((a) => a.code)).toEqual(['tcp-gap', 'snaplen-cut']);
  });
});


// A fixture cut to 96 bytes a frame (as `tcpdump -s 96` records it): the same requests as tshark, marked cut, one warning per stream.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readExchanges } from '../../src/pipeline/read-exchanges.js';
import type { Anomaly } from '../../src/model/index.js';
import { repoRoot, runInProcess, tshark } from '../helpers/cli.js';
import { pcapFile, readPcapRecords } from '../helpers/pcap-writer.js';

const SNAP_LENGTH = 96;
const FIXTURES = ['s2s-good.pcap', 'basic-auth.pcap', 'sample-sfb-exchange.pcap', 'chunked-gzip.pcap'];
const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-snaplen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A little-endian classic pcap with snap length `snapLength` and every record cut to it. */
function cutCapture(source: Buffer, snapLength: number): Buffer {
  const { linkType, records } = readPcapRecords(source);
  return pcapFile(records.map((r) => ({ ...r, data: r.data.subarray(0, snapLength) })), { linkType, snapLength });
}

function fields(out: string): string[][] {
  return out.split('\n').filter(Boolean).map((line) => line.split('\t'));
}

describe(`fixtures cut to a ${SNAP_LENGTH}-byte snapshot length`, () => {
  for (const name of FIXTURES) {
    it(`${name}: requests as tshark shows them, each marked cut, and one snaplen-cut per connection`, async () => {
      const source = readFileSync(join(repoRoot, 'captures', name));
      expect(source.readUInt32LE(0)).toBe(0xa1b2c3d4);
      const file = join(dir, name);
      writeFileSync(file, cutCapture(source, SNAP_LENGTH));

      const result = await runInProcess(['exchanges', '--format', 'json', '--show-secrets', file]);
      expect(result.code, result.stderr).toBe(0);
      const ours = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as {
        frame: number; stream: number; method: string; uri: string; server: string; authorization: string[]; cut?: { snapLength: number };
      });
      const ports = new Set(ours.map((ex) => ex.server.slice(ex.server.lastIndexOf(':') + 1)));
      const decodeAs = [...ports].flatMap((port) => ['-d', `tcp.port==${port},http`]);
      // Every frame's fields, requests kept: tshark 4.0 under `-Y http.request` skips some cut requests
      // (sample-sfb-exchange frames 30 and 34) that its full dissection of the same frames shows.
      const theirs = fields(tshark(['-r', file, '-o', 'tcp.reassemble_out_of_order:TRUE', ...decodeAs, '-T', 'fields',
        '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'http.request.method', '-e', 'http.request.uri', '-e', 'http.authorization']))
        .filter((row) => row[2] !== undefined && row[2] !== '')
        .map((row) => [row[0], row[1], row[2], row[3] ?? '', row[4] ?? '']);
      expect(theirs.length).toBeGreaterThan(0);
      expect(ours.sort((a, b) => a.frame - b.frame).map((ex) => [String(ex.frame), String(ex.stream), ex.method, ex.uri, ex.authorization.join(',')])).toEqual(theirs);
      expect(ours.every((ex) => ex.cut?.snapLength === SNAP_LENGTH)).toBe(true);

      const anomalies: Anomaly[] = [];
      await readExchanges(file, { exchange: () => undefined, anomaly: (a) => anomalies.push(a) });
      const cutFrames = fields(tshark(['-r', file, '-Y', 'frame.cap_len < frame.len && tcp.len > 0', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream']));
      const perStream = new Map<number, { frame: number; cutFrames: number }>();
      for (const [frame, stream] of cutFrames) {
        const seen = perStream.get(Number(stream));
        if (seen === undefined) perStream.set(Number(stream), { frame: Number(frame), cutFrames: 1 });
        else seen.cutFrames++;
      }
      const snaplenCuts = anomalies.filter((a) => a.code === 'snaplen-cut');
      expect(snaplenCuts.map((a) => [a.stream, a.frame, a.details?.cutFrames, a.details?.snapLength, a.severity, a.file]).sort()).toEqual(
        [...perStream].map(([stream, s]) => [stream, s.frame, s.cutFrames, SNAP_LENGTH, 'warning', file]).sort(),
      );
      expect(anomalies.filter((a) => a.code !== 'snaplen-cut').map((a) => a.code)).toEqual([]);
    });
  }
});

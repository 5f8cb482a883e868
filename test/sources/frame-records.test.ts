// Each frame's record (byte offset and length in the file) as the readers give it, checked against tshark's frame.file_off.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaptureFrame } from '../../src/model/index.js';
import { FrameRecords } from '../../src/pipeline/frame-records.js';
import { readPacketFile } from '../../src/sources/packet-file.js';
import { tshark } from '../helpers/cli.js';
import { makeExchange } from '../factories.js';
import { capturesDir, fixtureCaptures } from '../helpers/fixtures.js';

async function recordsOf(file: string): Promise<CaptureFrame['record'][]> {
  const records: CaptureFrame['record'][] = [];
  await readPacketFile(file, { frame: (frame) => void records.push(frame.record), anomaly: () => undefined, secrets: () => undefined, start: () => undefined });
  return records;
}

describe('frame records', () => {
  const plain = fixtureCaptures.filter((capture) => /\.(pcap|pcapng)$/.test(capture));

  for (const capture of plain) {
    it(`${capture}: offsets equal tshark's frame.file_off, lengths tile the file`, async () => {
      const file = join(capturesDir, capture);
      const records = await recordsOf(file);
      const theirs = tshark(['-r', file, '-o', 'frame.show_file_off:TRUE', '-T', 'fields', '-e', 'frame.file_off']).split('\n').filter((line) => line !== '').map(Number);
      expect(records.map((record) => record?.offset)).toEqual(theirs);
      const bytes = readFileSync(file);
      for (const record of records) expect(record!.offset + record!.length).toBeLessThanOrEqual(bytes.length);
      if (capture.endsWith('.pcap')) {
        // A pcap record's header gives its captured length: header (16) + data is the record.
        for (const record of records) expect(record!.length).toBe(16 + bytes.readUInt32LE(record!.offset + 8));
      }
    });
  }

  it('sets the record of the request\'s and response\'s frames on an exchange, and nothing for unseen frames', () => {
    const table = new FrameRecords();
    const frame = (frameNumber: number, offset: number, length: number): CaptureFrame => ({ frameNumber, time: { sec: 0, nsec: 0 }, linkType: 1, data: Buffer.alloc(0), originalLength: 0, interfaceId: 0, record: { offset, length } });
    table.add(frame(1, 24, 90));
    table.add(frame(5000, 1_000_000, 1514));
    const located = table.locate(makeExchange({ frame: 5000, responseFrame: 1 }));
    expect(located.request.frameRecord).toEqual({ offset: 1_000_000, length: 1514 });
    expect(located.response?.frameRecord).toEqual({ offset: 24, length: 90 });
    expect(table.get(2)).toBeUndefined();
    expect(table.get(9999)).toBeUndefined();
    const unseen = makeExchange({ frame: 7 });
    expect(table.locate(unseen)).toBe(unseen);
  });
});

// The JSON report of an HTTP/2 capture (with h2Stream on its exchanges) is valid against docs/report.schema.json.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorsOf, validateReport } from '../report/schema-validators.js';

describe('HTTP/2 in the JSON report', () => {
  it('validates, with h2Stream beside stream and frame', () => {
    const report = JSON.parse(readFileSync('captures/http2/h2-tls12-curl.pcap.scan.json', 'utf8')) as { exchanges: Array<{ stream: number; h2Stream: number }> };
    expect(validateReport(report), errorsOf(validateReport)).toBe(true);
    expect(report.exchanges.map((ex) => [ex.stream, ex.h2Stream])).toEqual([
      [0, 1],
      [0, 3],
      [0, 5],
    ]);
  });
});

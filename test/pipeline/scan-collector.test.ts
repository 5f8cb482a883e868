// ScanCollector keeps the report bounded without letting a flood of one anomaly hide the others.
import { describe, expect, it } from 'vitest';
import { anomaly } from '../../src/model/index.js';
import { ScanCollector } from '../../src/pipeline/scan-collector.js';

describe('ScanCollector anomalies', () => {
  it('keeps at most 1,000 of one code, and still every rarer code after the flood', () => {
    const collector = new ScanCollector();
    for (let i = 0; i < 1_500; i++) collector.addAnomaly(anomaly({ code: 'http-incomplete', severity: 'warning', message: `cut ${i}`, stream: i }));
    collector.addAnomaly(anomaly({ code: 'tcp-evicted', severity: 'warning', message: '195000 connections were ended early', frame: 7 }));
    const result = collector.result(['x.pcap']);
    const codes = result.anomalies.map((a) => a.code);
    expect(codes.filter((code) => code === 'http-incomplete')).toHaveLength(1_000);
    expect(codes.at(-1)).toBe('tcp-evicted');
    // The counts stay exact beyond what is kept.
    expect(result.anomalyCounts).toEqual({ 'http-incomplete': 1_500, 'tcp-evicted': 1 });
  });
});

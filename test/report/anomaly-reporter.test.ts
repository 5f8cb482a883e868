// Anomalies on stderr: one line each, capped per code, then the counts not shown and where the codes are explained.
import { describe, expect, it } from 'vitest';
import { anomaly } from '../../src/model/index.js';
import { AnomalyReporter } from '../../src/report/anomaly-reporter.js';

const gap = anomaly({ code: 'tcp-gap', severity: 'warning', message: '10 bytes missing', file: 'a.pcap', frame: 4, stream: 1 });

describe('AnomalyReporter', () => {
  it('caps each code, counts the rest and points to docs/anomalies.md once at the end', () => {
    const lines: string[] = [];
    const reporter = new AnomalyReporter((line) => lines.push(line), 2);
    for (let i = 0; i < 3; i++) reporter.report(gap);
    reporter.finish();
    expect(lines).toEqual([
      'warning: a.pcap, frame 4, stream 1: 10 bytes missing [tcp-gap]',
      'warning: a.pcap, frame 4, stream 1: 10 bytes missing [tcp-gap]',
      'warning: 1 more [tcp-gap] not shown (3 in all)',
      'see docs/anomalies.md for what each [code] means and what to do',
    ]);
    expect(reporter.count).toBe(3);
  });

  it('says nothing when there was no anomaly', () => {
    const lines: string[] = [];
    new AnomalyReporter((line) => lines.push(line)).finish();
    expect(lines).toEqual([]);
  });
});

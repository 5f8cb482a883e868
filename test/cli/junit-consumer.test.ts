// The JUnit report as a real consumer (junit2json, as CI dashboards and BigQuery loaders use it) reads it.
import { parse, type TestCase, type TestSuite } from 'junit2json';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/cli.js';

describe('JUnit read by junit2json', () => {
  it('has a time on every suite and case, timestamp and hostname on suites, skipped and damaged captures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-junit-'));
    const config = join(dir, 'off.yaml');
    writeFileSync(config, 'rules:\n  no-basic-auth: off\n');
    const r = await runInProcess(['scan', 'captures/basic-auth.pcap', 'captures/snaplen-96.pcap', 'captures/s2s-good.masked.har', '--format', 'junit', '--fail-on', 'never', '--rules', config]);
    expect(r.code, r.stderr).toBe(0);
    const report = await parse(r.stdout);
    expect(report).toBeDefined();
    const suites = (report as { testsuite?: TestSuite[] }).testsuite ?? [];
    expect(suites.map((suite) => suite.name)).toEqual(['captures/basic-auth.pcap', 'captures/snaplen-96.pcap', 'captures/s2s-good.masked.har']);
    for (const suite of suites) {
      expect(typeof suite.time, suite.name).toBe('number');
      expect(suite.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      expect(suite.hostname).toBeTruthy();
      expect(suite.skipped).toBe(1);
      const cases: TestCase[] = suite.testcase ?? [];
      for (const tc of cases) {
        expect(tc.time, `${suite.name} ${tc.name}`).toBe(0);
        expect(tc.classname).not.toContain('.');
      }
      const skipped = cases.find((tc) => tc.name === 'no-basic-auth');
      expect(skipped?.skipped).toEqual([{ message: 'rule turned off in the configuration' }]);
    }
    const damaged = suites[1]!.testcase!.find((tc) => tc.name === 'capture-readable')!;
    expect(damaged.error?.[0]).toMatchObject({ type: 'capture-damaged' });
    expect(damaged['system-err']?.[0]).toContain('[snaplen-cut] frame 4, tcp.stream 0');
    expect(suites[0]!.testcase!.find((tc) => tc.name === 'capture-readable')!.error).toBeUndefined();
  });
});

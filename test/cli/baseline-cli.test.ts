// scan --write-baseline / --baseline as eslint and semgrep users expect: accepted findings suppressed and counted, fixed ones listed, exit code from the rest.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { errorsOf, validateReport } from '../report/schema-validators.js';

const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-baseline-'));
const accepted = join(dir, 'accepted.json');
const both = ['captures/basic-auth.pcap', 'captures/token-in-url.pcap'];

describe('scan --baseline', () => {
  it('records the findings, then suppresses them: exit 0, counted in text, JSON and SARIF', async () => {
    const write = await runBin(['scan', ...both, '--write-baseline', accepted]);
    expect(write.code).toBe(1);
    expect(write.stderr).toMatch(/wrote \d+ findings to the baseline/);
    const file = readFileSync(accepted, 'utf8');
    expect(file).not.toMatch(/eyJ|Basic |password/i);
    const total = (JSON.parse(file) as { findings: unknown[] }).findings.length;

    const text = await runBin(['scan', ...both, '--baseline', accepted]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`baseline ${accepted}: ${total} findings suppressed (not counted above), 0 fixed`);
    expect(text.stdout).toMatch(/ 0 findings, /);

    const json = await runBin(['scan', ...both, '--baseline', accepted, '--format', 'json']);
    const report = JSON.parse(json.stdout) as { summary: { findings: { total: number } }; findings: unknown[]; baseline: { suppressed: number; fixed: unknown[] } };
    expect(validateReport(report), errorsOf(validateReport)).toBe(true);
    expect(report.summary.findings.total).toBe(0);
    expect(report.baseline).toEqual({ file: accepted, suppressed: total, fixed: [] });

    const sarif = JSON.parse((await runBin(['scan', ...both, '--baseline', accepted, '--format', 'sarif'])).stdout) as Log;
    const results = sarif.runs[0]!.results!;
    expect(results).toHaveLength(total);
    for (const result of results) {
      expect(result.baselineState).toBe('unchanged');
      expect(result.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: `accepted in the baseline ${accepted}` }]);
    }
  });

  it('lists a baseline finding that disappeared as fixed, and fails on a new one', async () => {
    // The same capture path, recorded again: the Basic findings are gone, a token in the URL is new.
    const capture = join(dir, 'ews.pcap');
    copyFileSync('captures/basic-auth.pcap', capture);
    const onlyBasic = join(dir, 'basic.json');
    await runBin(['scan', capture, '--write-baseline', onlyBasic]);
    copyFileSync('captures/token-in-url.pcap', capture);
    const json = await runBin(['scan', capture, '--baseline', onlyBasic, '--format', 'json', '--fail-on', 'note']);
    const report = JSON.parse(json.stdout) as { findings: unknown[]; baseline: { suppressed: number; fixed: { rule: string; location: { file: string } }[] } };
    expect(report.baseline.suppressed).toBe(0);
    expect(report.baseline.fixed.map((entry) => entry.rule)).toContain('no-basic-auth');
    expect(report.baseline.fixed.every((entry) => entry.location.file === capture)).toBe(true);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(json.code).toBe(1);
    const text = await runBin(['scan', capture, '--baseline', onlyBasic]);
    expect(text.stdout).toContain(`fixed: no-basic-auth ${capture} frame 4, tcp.stream 0 mail.contoso.test/EWS/Exchange.asmx`);
  });

  it('does not call the findings of a capture this run did not scan fixed', async () => {
    const onlyBasic = join(dir, 'basic-only.json');
    await runBin(['scan', 'captures/basic-auth.pcap', '--write-baseline', onlyBasic]);
    const json = await runBin(['scan', 'captures/token-in-url.pcap', '--baseline', onlyBasic, '--format', 'json']);
    const report = JSON.parse(json.stdout) as { baseline: { suppressed: number; fixed: unknown[] } };
    expect(report.baseline).toMatchObject({ suppressed: 0, fixed: [] });
  });

  it('stops on a bad baseline with one line and exit 2', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"version":1,"findings":"all"}');
    const r = await runBin(['scan', 'captures/basic-auth.pcap', '--baseline', bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`oauth-inspect: ${bad}: not a baseline: findings is not a list\n`);
    const missing = await runBin(['scan', 'captures/basic-auth.pcap', '--baseline', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});

// Microsoft's SARIF Multitool, with GitHub's rules, finds nothing in any fixture's SARIF report.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/cli.js';
import { fixtureCaptures, fixtureScanArgs } from '../helpers/fixtures.js';

/** The Multitool binary of the dev dependency (`npm install` puts it there; never skipped). */
function multitool(): string {
  const binary = createRequire(import.meta.url)('@microsoft/sarif-multitool-linux') as string;
  accessSync(binary, constants.X_OK);
  return binary;
}

describe('SARIF Multitool validate --rule-kind "Sarif;Gh"', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-sarif-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports nothing on the SARIF of every fixture', { timeout: 300_000 }, async () => {
    const files: string[] = [];
    for (const capture of fixtureCaptures) {
      const r = await runInProcess(fixtureScanArgs(capture, 'sarif'));
      expect(r.code, r.stderr).toBe(0);
      const file = join(dir, `${capture.replace(/\//g, '_')}.sarif`);
      writeFileSync(file, r.stdout);
      files.push(file);
      const run = (JSON.parse(r.stdout) as Log).runs[0]!;
      for (const rule of run.tool.driver.rules ?? []) {
        expect(rule.helpUri, rule.id).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/v[^/]+\/docs\/rules\/[a-z0-9-]+\.md$/);
        expect(rule.properties?.['security-severity'], rule.id).toMatch(/^(8|5|2)\.0$/);
        expect(rule.help?.markdown, rule.id).toContain(`# ${rule.id}`);
      }
    }
    // And a scan with a baseline: suppressed results and baselineState.
    const baseline = join(dir, 'accepted.json');
    await runInProcess(['scan', 'captures/basic-auth.pcap', 'captures/token-in-url.pcap', '--write-baseline', baseline, '--fail-on', 'never']);
    const withBaseline = await runInProcess(['scan', 'captures/basic-auth.pcap', 'captures/token-in-url.pcap', '--baseline', baseline, '--format', 'sarif', '--fail-on', 'never']);
    expect(withBaseline.stdout).toContain('"suppressions"');
    files.push(join(dir, 'with-baseline.sarif'));
    writeFileSync(files[files.length - 1]!, withBaseline.stdout);
    const output = join(dir, 'validation.sarif');
    const run = spawnSync(multitool(), ['validate', '--rule-kind', 'Sarif;Gh', '--output', output, ...files], {
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.error).toBeUndefined();
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const validation = JSON.parse(readFileSync(output, 'utf8')) as Log;
    const problems = (validation.runs[0]?.results ?? []).map((result) => `${result.ruleId}: ${result.message.text ?? ''}`);
    expect(problems, run.stdout).toEqual([]);
    // The validator did read every file (it would also say so in its own notifications).
    expect(run.stdout).toContain(`${files.length} files scanned`);
  });
});

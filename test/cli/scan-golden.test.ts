// Golden scan reports: every fixture's JSON report is pinned; every rule fires somewhere and not elsewhere.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleIds } from '../../src/rules/index.js';
import { runInProcess } from '../helpers/cli.js';
import { capturesDir, fixtureCaptures } from '../helpers/fixture-captures.js';

const update = process.env.UPDATE_GOLDEN === '1';
const config = 'examples/sfb-online-exchange-onprem.yaml';
const captures = fixtureCaptures();

/** TLS fixtures are scanned with their key log (the pcapng carries its keys inside). */
function keylogArgs(capture: string): string[] {
  const keys = join(capturesDir, capture.replace(/\.(pcap|pcapng)$/, '.keys'));
  return existsSync(keys) ? ['--keylog', `captures/${capture.replace(/\.(pcap|pcapng)$/, '.keys')}`] : [];
}

interface Report {
  tool: { version: string };
  findings: { rule: string }[];
}

/** The report with volatile fields (the tool version) pinned. */
function stable(report: Report): Report {
  return { ...report, tool: { ...report.tool, version: '(version)' } };
}

async function scanJson(capture: string): Promise<Report> {
  const r = await runInProcess(['scan', `captures/${capture}`, ...keylogArgs(capture), '--rules', config, '--format', 'json', '--fail-on', 'never']);
  expect(r.code, r.stderr).toBe(0);
  return stable(JSON.parse(r.stdout) as Report);
}

const firedBy = new Map<string, Set<string>>();

describe('golden JSON reports of the fixtures (UPDATE_GOLDEN=1 regenerates)', () => {
  for (const capture of captures) {
    it(capture, async () => {
      const report = await scanJson(capture);
      firedBy.set(capture, new Set(report.findings.map((f) => f.rule)));
      const golden = join(capturesDir, `${capture}.scan.json`);
      if (update) writeFileSync(golden, `${JSON.stringify(report, null, 2)}\n`);
      expect(existsSync(golden), `${golden} (run with UPDATE_GOLDEN=1)`).toBe(true);
      const expected = JSON.parse(readFileSync(golden, 'utf8')) as Report;
      expect(report).toEqual(expected);
    });
  }

  it('every rule fires on at least one fixture and stays quiet on another', () => {
    expect(firedBy.size).toBe(captures.length);
    for (const id of ruleIds) {
      const firing = captures.filter((c) => firedBy.get(c)?.has(id));
      const quiet = captures.filter((c) => !firedBy.get(c)?.has(id));
      expect(firing, `no fixture where ${id} fires`).not.toHaveLength(0);
      expect(quiet, `no fixture where ${id} stays quiet`).not.toHaveLength(0);
    }
  });
});

// A capture piped into `scan -` gives the report the same file gives (its golden report), for every fixture in captures/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { capturesDir, FIXTURE_CONFIG as config, fixtureCaptures as captures, keylogArgs } from '../helpers/fixtures.js';
import { killLiveRuns, startLive } from '../helpers/live-cli.js';

afterEach(killLiveRuns);

/** The golden report's way of naming the file: stdin's `-` in file fields and ids becomes the capture's path. */
function asIfNamed(report: string, path: string): unknown {
  return JSON.parse(report.replace(/"-(#|")/g, (_match, after: string) => `"${path}${after}`));
}

describe('scan - (a capture on a pipe) reports what scan <file> reports', () => {
  it('has fixtures of every kind', () => {
    expect(captures.some((c) => c.endsWith('.pcap.gz'))).toBe(true);
    expect(captures.some((c) => c.endsWith('.pcapng'))).toBe(true);
    expect(captures.some((c) => c.endsWith('.har'))).toBe(true);
  });

  for (const capture of captures) {
    it(capture, async () => {
      const keylog = keylogArgs(capture);
      const run = startLive(['scan', '-', ...keylog, '--rules', config, '--format', 'json', '--fail-on', 'never']);
      run.child.stdin.end(readFileSync(join(capturesDir, capture)));
      const code = await run.exited(30_000);
      expect(code, run.stderr()).toBe(0);
      const report = asIfNamed(run.stdout(), `captures/${capture}`) as { tool: { version: string } };
      report.tool.version = '(version)';
      const golden = JSON.parse(readFileSync(join(capturesDir, `${capture}.scan.json`), 'utf8')) as unknown;
      expect(report).toEqual(golden);
    });
  }
});

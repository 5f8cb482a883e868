// No report format shows a raw token, Basic password or NTLM response unless secrets are shown.
import { describe, expect, it } from 'vitest';
import { formatJson } from '../../src/report/format-json.js';
import { formatJunit } from '../../src/report/format-junit.js';
import { formatSarif } from '../../src/report/format-sarif.js';
import { formatText } from '../../src/report/format-text.js';
import type { ScanFormatter } from '../../src/report/report-meta.js';
import { metaFor, sampleScan, secretList } from './builders.js';

const formats: ReadonlyArray<[string, ScanFormatter]> = [
  ['text', formatText],
  ['json', formatJson],
  ['sarif', formatSarif],
  ['junit', formatJunit],
];

/** Any 16 characters in a row of a secret: longer than any masked prefix. */
const WINDOW = 16;

function leaks(output: string, secret: string): string | undefined {
  for (let start = 0; start + WINDOW <= secret.length; start += 1) {
    const piece = secret.slice(start, start + WINDOW);
    if (output.includes(piece)) return piece;
  }
  return secret.length < WINDOW && output.includes(secret) ? secret : undefined;
}

describe('secrets stay masked', () => {
  const sample = sampleScan();
  const meta = metaFor(sample.result);

  it.each(formats)('%s shows no part of any raw credential', (_name, format) => {
    for (const color of [false, true]) {
      const output = format(sample.result, meta, { showSecrets: false, color });
      for (const secret of secretList(sample)) expect(leaks(output, secret), `leaked a piece of ${secret.slice(0, 8)}…`).toBeUndefined();
      expect(output).not.toContain(sample.secrets.basicPassword);
    }
  });

  it.each(formats)('%s is told the same scan in the same words each time', (_name, format) => {
    expect(format(sample.result, meta, { showSecrets: false })).toBe(format(sampleScan().result, meta, { showSecrets: false }));
  });

  it('the leak check finds values when they are shown', () => {
    const json = formatJson(sample.result, meta, { showSecrets: true });
    expect(leaks(json, sample.secrets.outerToken)).toBeDefined();
    expect(leaks(json, sample.secrets.basicValue)).toBeDefined();
    expect(leaks(json, sample.secrets.ntlmValue)).toBeDefined();
    expect(json).toContain(`access_token=${sample.secrets.queryToken}`);
    expect(formatText(sample.result, meta, { showSecrets: true })).toContain(sample.secrets.outerToken);
  });
});

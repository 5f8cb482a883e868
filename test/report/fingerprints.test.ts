// Fingerprints in the reports: passwords get a keyed HMAC that no word list inverts, tokens a plain SHA-256.
import { createHash } from 'node:crypto';
import type { Log } from 'sarif';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprintOf, setFingerprintKey } from '../../src/model/index.js';
import { formatJson } from '../../src/report/format-json.js';
import { formatSarif } from '../../src/report/format-sarif.js';
import { metaFor, sampleScan } from './builders.js';

type Json = Record<string, any>;

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

function reports(): { json: Json; sarif: Log } {
  const { result } = sampleScan();
  return {
    json: JSON.parse(formatJson(result, metaFor(result), { showSecrets: false })) as Json,
    sarif: JSON.parse(formatSarif(result, metaFor(result), { showSecrets: false })) as Log,
  };
}

describe('credential fingerprints', () => {
  afterEach(() => setFingerprintKey('test-key'));

  it('give a Basic credential a keyed fingerprint, not a hash of its value or of user:password', () => {
    setFingerprintKey('test-key');
    const sample = sampleScan();
    const userPassword = Buffer.from(sample.secrets.basicValue, 'base64').toString('utf8');
    const guessable = [sample.secrets.basicValue, userPassword, sample.secrets.basicPassword].map(sha256Hex);
    const { json, sarif } = reports();
    const basic = (json['credentials'] as Json[]).find((c) => c['scheme'] === 'basic')!;
    const finding = (json['findings'] as Json[]).find((f) => f['rule'] === 'no-basic-auth')!;
    expect(basic['fingerprint']).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(finding['fingerprint']).toBe(basic['fingerprint']);
    const result = sarif.runs[0]!.results!.find((r) => r.ruleId === 'no-basic-auth')!;
    expect(result.properties?.['credentialFingerprint']).toBe(basic['fingerprint']);
    const printed = [basic['fingerprint'], finding['fingerprint'], ...Object.values(result.partialFingerprints ?? {}), JSON.stringify(sarif), JSON.stringify(json)].join('\n');
    for (const hash of guessable) expect(printed).not.toContain(hash);
  });

  it('keep NTLM keyed and JWTs plain sha256, so tokens match across tools', () => {
    setFingerprintKey('test-key');
    const sample = sampleScan();
    const { json } = reports();
    const fingerprintOfScheme = (scheme: string): unknown => (json['credentials'] as Json[]).find((c) => c['scheme'] === scheme)?.['fingerprint'];
    expect(fingerprintOfScheme('ntlm')).toMatch(/^hmac-sha256:/);
    expect(fingerprintOfScheme('bearer')).toBe(fingerprintOf(sample.secrets.outerToken));
  });

  it('are the same under the same key and differ under another', () => {
    const basicOf = (): string => ((reports().json['credentials'] as Json[]).find((c) => c['scheme'] === 'basic')!)['fingerprint'] as string;
    setFingerprintKey('key-one');
    const first = basicOf();
    setFingerprintKey('key-one');
    expect(basicOf()).toBe(first);
    setFingerprintKey('key-two');
    expect(basicOf()).not.toBe(first);
  });
});

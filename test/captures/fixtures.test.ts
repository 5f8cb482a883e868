// Checks the committed fixture captures: tshark still reads them as recorded, they are small, no key leaked.
import { createHash, createPublicKey, createVerify, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../scripts/fixture-server/scenarios.js';
import { tsharkFields } from '../../scripts/fixture-server/tshark-fields.js';

const CAPTURES_DIR = join(import.meta.dirname, '..', '..', 'captures');
const KEYS_DIR = join(CAPTURES_DIR, 'keys');
const CAPTURE_FILE = /\.(pcap|pcapng|pcap\.gz)$/;
/** "A few KB" each; the mixed sample session is the largest. */
const MAX_CAPTURE_BYTES = 32 * 1024;

const captureFiles = readdirSync(CAPTURES_DIR).filter((f) => CAPTURE_FILE.test(f)).sort();
const stemOf = (file: string): string => file.replace(CAPTURE_FILE, '');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]);
}

describe('fixture captures', () => {
  it('has a capture for every recorder scenario', () => {
    const stems = new Set(captureFiles.map(stemOf));
    expect(SCENARIOS.map((s) => s.name).filter((name) => !stems.has(name))).toEqual([]);
  });

  it.each(captureFiles)('%s: tshark output equals the committed .tshark.tsv', (file) => {
    const expected = readFileSync(join(CAPTURES_DIR, `${stemOf(file)}.tshark.tsv`), 'utf8');
    expect(expected.trim()).not.toBe('');
    expect(tsharkFields(join(CAPTURES_DIR, file))).toBe(expected);
  });

  it.each(captureFiles)('%s is small', (file) => {
    expect(statSync(join(CAPTURES_DIR, file)).size).toBeLessThan(MAX_CAPTURE_BYTES);
  });

  it('documents every capture in captures/README.md', () => {
    const readme = readFileSync(join(CAPTURES_DIR, 'README.md'), 'utf8');
    for (const file of captureFiles) expect(readme).toContain(`\`${file}\``);
  });
});

describe('fixture keys', () => {
  it('commits no private key anywhere under captures/', () => {
    for (const path of filesUnder(CAPTURES_DIR)) {
      expect(path).not.toMatch(/\.(key|p12|pfx|p8)$/i);
      expect(readFileSync(path).toString('latin1'), path).not.toContain('PRIVATE KEY');
    }
  });

  it.each(['oauth-test-cert', 'other-signer-cert'])('%s: the .pem and .cer hold the same certificate', (name) => {
    const pem = new X509Certificate(readFileSync(join(KEYS_DIR, `${name}.pem`)));
    const der = new X509Certificate(readFileSync(join(KEYS_DIR, `${name}.cer`)));
    expect(der.raw.equals(pem.raw)).toBe(true);
  });

  it('signed the actor token of the s2s-good capture (x5t and RS256 signature)', () => {
    const certDer = readFileSync(join(KEYS_DIR, 'oauth-test-cert.cer'));
    const rows = readFileSync(join(CAPTURES_DIR, 's2s-good.tshark.tsv'), 'utf8').trim().split('\n');
    const authorization = rows.at(-1)?.split('\t')[4] ?? '';
    const outer = authorization.replace(/^Bearer /, '');
    const claims = JSON.parse(Buffer.from(outer.split('.')[1] ?? '', 'base64url').toString('utf8')) as { actortoken: string };
    const [header = '', payload = '', signature = ''] = claims.actortoken.split('.');
    const jose = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { x5t: string; alg: string };
    expect(jose.alg).toBe('RS256');
    expect(jose.x5t).toBe(createHash('sha1').update(certDer).digest('base64url'));
    const key = createPublicKey(new X509Certificate(certDer).toString());
    const valid = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(key, Buffer.from(signature, 'base64url'));
    expect(valid).toBe(true);
  });
});

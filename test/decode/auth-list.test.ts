// RFC 7235 auth lists: schemes, token68, auth-params, quoted strings, and lenient recovery.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAuthList } from '../../src/decode/auth-list.js';

/** Elements as plain objects, for comparison. */
function parsed(value: string): unknown[] {
  return parseAuthList(value).map((element) => ({ ...element, params: Object.fromEntries(element.params) }));
}

describe('parseAuthList', () => {
  it.each([
    ['quoted-string escapes', String.raw`Basic realm="a \"quoted\" \\ realm"`, [{ scheme: 'Basic', params: { realm: 'a "quoted" \\ realm' } }]],
    ['case-insensitive names, token values', 'Digest REALM=x, Qop=auth, Algorithm=MD5', [{ scheme: 'Digest', params: { realm: 'x', qop: 'auth', algorithm: 'MD5' } }]],
    ['first of duplicate names wins', 'Bearer error="a", error="b"', [{ scheme: 'Bearer', params: { error: 'a' } }]],
    ['spaces around =', 'Bearer realm = "r" , error= invalid_token', [{ scheme: 'Bearer', params: { realm: 'r', error: 'invalid_token' } }]],
    ['empty list elements', ', ,Negotiate, ,NTLM,', [{ scheme: 'Negotiate', params: {} }, { scheme: 'NTLM', params: {} }]],
    ['unterminated quoted string', 'Bearer realm="open', [{ scheme: 'Bearer', params: { realm: 'open' } }]],
    ['bare scheme with trailing space', 'Bearer ', [{ scheme: 'Bearer', params: {} }]],
    ['token68 with padding', 'NTLM TlRMTVNTUAABAAAA==', [{ scheme: 'NTLM', params: {}, token68: 'TlRMTVNTUAABAAAA==' }]],
    ['token68 then another scheme', 'Negotiate YIIB+w==, Basic realm="r"', [
      { scheme: 'Negotiate', params: {}, token68: 'YIIB+w==' },
      { scheme: 'Basic', params: { realm: 'r' } },
    ]],
    ['a token value is not a token68', 'Basic realm=r', [{ scheme: 'Basic', params: { realm: 'r' } }]],
    ['Digest credentials', 'Digest username="Mufasa", realm="testrealm@host.com", nc=00000001, response="6629fae4"', [
      { scheme: 'Digest', params: { username: 'Mufasa', realm: 'testrealm@host.com', nc: '00000001', response: '6629fae4' } },
    ]],
    ['stray characters are skipped', '"junk" Bearer', [{ scheme: 'junk', params: {} }, { scheme: 'Bearer', params: {} }]],
  ])('%s', (_name, value, expected) => {
    expect(parsed(value)).toEqual(expected);
  });

  it('keeps at most 64 elements and 64 params', () => {
    expect(parseAuthList(Array.from({ length: 100 }, (_, i) => `S${i}`).join(','))).toHaveLength(64);
    const manyParams = `Bearer ${Array.from({ length: 100 }, (_, i) => `p${i}="v"`).join(', ')}`;
    expect(parseAuthList(manyParams)[0]?.params.size).toBe(64);
  });

  it('never throws and always terminates on arbitrary values', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'Bearer a="\\,= \t=NTLM'.split('')), maxLength: 200 }), (value) => {
        expect(parseAuthList(value).length).toBeLessThanOrEqual(64);
      }),
    );
  });
});

describe('parseAuthList on hostile values', () => {
  // Sizes where the former quadratic scan took far over 10 s (5 MB: 85 s); linear takes milliseconds.
  it('reads a 2 MB quoted value full of backslashes in linear time', () => {
    const escaped = '\\\\'.repeat(1024 * 1024);
    const started = performance.now();
    const [element] = parseAuthList(`Bearer realm="${escaped}", error="invalid_token"`);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(element?.params.get('realm')).toBe('\\'.repeat(1024 * 1024));
    expect(element?.params.get('error')).toBe('invalid_token');
  });

  it('reads an unterminated quoted value of escapes to the end', () => {
    expect(parseAuthList('Bearer realm="a\\"b\\')[0]?.params.get('realm')).toBe('a"b');
  });
});

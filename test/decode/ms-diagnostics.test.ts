// x-ms-diagnostics parsing: the reference doc's verbatim headers and damaged variants.
import { describe, expect, it } from 'vitest';
import { parseMsDiagnostic, parseMsDiagnostics } from '../../src/decode/ms-diagnostics.js';
import { headerLine } from './builders.js';

describe('parseMsDiagnostics on the reference doc §7 headers', () => {
  it.each([
    [
      '§7.3 SSL offload',
      headerLine(String.raw`x-ms-diagnostics →2000003;reason="The hostname component of the audience claim value is invalid. Expected 'https://mail.contoso.com'. Actual 'http://mail.contoso.com'.";error_category="invalid_resource"`),
      {
        code: '2000003',
        reason: "The hostname component of the audience claim value is invalid. Expected 'https://mail.contoso.com'. Actual 'http://mail.contoso.com'.",
        errorCategory: 'invalid_resource',
      },
    ],
    [
      '§7.4 wrong tenant',
      headerLine(String.raw`x-ms-diagnostics: 2000004;reason="The tenant for tenant guid 'contoso.com' does not exist.";error_category="invalid_tenant"`),
      { code: '2000004', reason: "The tenant for tenant guid 'contoso.com' does not exist.", errorCategory: 'invalid_tenant' },
    ],
    [
      '§7.5 wrong audience',
      headerLine(String.raw`x-ms-diagnostics: 2000003;reason="The audience claim value is invalid 'aud'.";error_category="invalid_resource"`),
      { code: '2000003', reason: "The audience claim value is invalid 'aud'.", errorCategory: 'invalid_resource' },
    ],
  ])('%s', (_name, header, expected) => {
    expect(parseMsDiagnostics([header])).toEqual([{ ...expected, raw: header[1] }]);
  });

  it('returns every occurrence in order and skips other headers', () => {
    const headers = [
      ['X-FEServer', 'XJSUI01CA101'],
      ['x-ms-diagnostics', '2000000;reason="The token has an invalid signature.";error_category="invalid_signature"'],
      ['X-MS-Diagnostics', '2000005;reason="The user specified by the user-context in the token does not exist.";error_category="invalid_user"'],
    ] as const;
    expect(parseMsDiagnostics(headers).map((d) => [d.code, d.errorCategory])).toEqual([
      ['2000000', 'invalid_signature'],
      ['2000005', 'invalid_user'],
    ]);
  });
});

describe('parseMsDiagnostic tolerates missing and odd parts', () => {
  it.each([
    ['code only', '2000003', { code: '2000003' }],
    ['no category', '2000003;reason="r"', { code: '2000003', reason: 'r' }],
    ['no reason', '2000004; error_category="invalid_tenant"', { code: '2000004', errorCategory: 'invalid_tenant' }],
    ['semicolon inside the quoted reason', '1;reason="a;b";error_category=c', { code: '1', reason: 'a;b', errorCategory: 'c' }],
    ['escaped quote in the reason', String.raw`1;reason="say \"hi\""`, { code: '1', reason: 'say "hi"' }],
    ['unterminated reason', '1;reason="cut off', { code: '1', reason: 'cut off' }],
    ['spaces before semicolons', '1 ;reason="r" ;error_category="c"', { code: '1', reason: 'r', errorCategory: 'c' }],
    ['garbage after the code', '1;;;', { code: '1' }],
    ['empty', '', { code: '' }],
  ])('%s', (_name, raw, expected) => {
    expect(parseMsDiagnostic(raw)).toEqual({ ...expected, raw });
  });
});

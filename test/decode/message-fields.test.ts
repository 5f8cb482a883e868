// Field extraction: query strings, form and JSON bodies, cookies; bounded and never throwing.
import { describe, expect, it } from 'vitest';
import { bodyFormatOf, formFields, jsonFields, queryFields, requestCookies, responseCookies } from '../../src/decode/message-fields.js';
import { makeBody } from '../factories.js';

describe('queryFields', () => {
  it.each([
    ['origin-form', '/ews/exchange.asmx?access_token=a%2Eb&x=1#frag', [['access_token', 'a.b'], ['x', '1']]],
    ['absolute-form', 'https://contoso.com/owa/?code=abc&state=s', [['code', 'abc'], ['state', 's']]],
    ['no query', '/autodiscover/autodiscover.svc', []],
    ['only a fragment after ?', '/p?#x=1', []],
    ['broken percent-encoding is kept as sent', '/p?t=%zz%', [['t', '%zz%']]],
  ])('%s', (_name, uri, expected) => {
    expect(queryFields(uri)).toEqual(expected);
  });

  it('takes at most 256 fields', () => {
    expect(queryFields(`/?${Array.from({ length: 300 }, (_, i) => `p${i}=v`).join('&')}`)).toHaveLength(256);
  });
});

describe('formFields', () => {
  const body = 'grant_type=http%3A%2F%2Foauth.net%2Fgrant_type%2Fjwt%2F1.0%2Fbearer&assertion=eyJ.a.b&resource=r';

  it('decodes a form body', () => {
    expect(formFields(makeBody(body))).toEqual([
      ['grant_type', 'http://oauth.net/grant_type/jwt/1.0/bearer'],
      ['assertion', 'eyJ.a.b'],
      ['resource', 'r'],
    ]);
  });

  it('drops the last, possibly cut, field of a truncated body', () => {
    expect(formFields(makeBody(body, true)).map(([name]) => name)).toEqual(['grant_type', 'assertion']);
  });
});

describe('jsonFields', () => {
  it('reads the top-level members of an object', () => {
    const fields = jsonFields(makeBody(' {"token_type":"Bearer","expires_in":"86399","nested":{"access_token":"x"}}'));
    expect([...fields.keys()]).toEqual(['token_type', 'expires_in', 'nested']);
  });

  it('skips a UTF-8 byte order mark and leading whitespace', () => {
    expect([...jsonFields(makeBody('\uFEFF \r\n\t{"a":1}')).keys()]).toEqual(['a']);
  });

  it.each([['an array', '[1,2]'], ['not JSON', '{"a":'], ['a string', '"x"'], ['empty', '']])('%s gives no fields', (_name, text) => {
    expect(jsonFields(makeBody(text)).size).toBe(0);
  });
});

describe('bodyFormatOf', () => {
  it.each([
    ['application/x-www-form-urlencoded; charset=utf-8', 'form'],
    ['Application/JSON', 'json'],
    ['application/problem+json', 'json'],
    ['text/plain', 'json'],
    [undefined, 'json'],
    ['application/octet-stream', 'other'],
    ['text/xml', 'json'],
  ])('%s -> %s', (contentType, expected) => {
    expect(bodyFormatOf(contentType === undefined ? [] : [['Content-Type', contentType]])).toBe(expected);
  });
});

describe('cookies', () => {
  it('splits Cookie headers into name/value pairs, unquoting values', () => {
    expect(requestCookies([['Cookie', 'a=1; b="two" ;c=x=y'], ['cookie', 'd=4'], ['Host', 'h']])).toEqual([
      ['a', '1'],
      ['b', 'two'],
      ['c', 'x=y'],
      ['d', '4'],
    ]);
  });

  it('takes the name and value of each Set-Cookie header, not its attributes', () => {
    expect(responseCookies([['Set-Cookie', 'session=abc; Path=/; HttpOnly'], ['set-cookie', 'flag']])).toEqual([['session', 'abc']]);
  });
});

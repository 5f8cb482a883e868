// Strict base64 decoding: garbage that Buffer.from would silently accept is refused.
import { describe, expect, it } from 'vitest';
import { decodeBase64Strict, decodeBase64UrlStrict } from '../../src/decode/base64.js';

describe('decodeBase64Strict', () => {
  it.each([
    ['padded', 'aGVsbG8=', 'hello'],
    ['unpadded', 'aGVsbG8', 'hello'],
    ['with + and /', '+/+/', Buffer.from([0xfb, 0xff, 0xbf]).toString('latin1')],
  ])('%s', (_name, text, expected) => {
    expect(decodeBase64Strict(text)?.toString('latin1')).toBe(expected);
  });

  it.each([['empty', ''], ['url alphabet', 'a-_b'], ['spaces', 'aGVs bG8='], ['bad length', 'aGVsb'], ['too much padding', 'aGVsbG8==='], ['inner padding', 'aG=sbG8=']])(
    '%s -> undefined',
    (_name, text) => {
      expect(decodeBase64Strict(text)).toBeUndefined();
    },
  );
});

describe('decodeBase64UrlStrict', () => {
  it('decodes the url alphabet', () => {
    expect(decodeBase64UrlStrict('-_-_')).toEqual(Buffer.from([0xfb, 0xff, 0xbf]));
  });

  it.each([['standard alphabet', '+/+/'], ['padding', 'aGVsbG8='], ['bad length', 'aGVsb']])('%s -> undefined', (_name, text) => {
    expect(decodeBase64UrlStrict(text)).toBeUndefined();
  });
});

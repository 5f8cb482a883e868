// Tests for decodeContentEncoding: each coding against node:zlib, caps, truncation and failures.
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { contentCodings, decodeContentEncoding } from '../../src/http1/content-coding.js';

const text = Buffer.from(Array.from({ length: 4000 }, (_, i) => `<Item id="${(i * 2654435761) % 4294967296}"/>`).join('\n'));

describe('decodeContentEncoding', () => {
  test.each([
    ['gzip', gzipSync(text)],
    ['X-GZIP', gzipSync(text)],
    ['deflate', deflateSync(text)],
    ['deflate', deflateRawSync(text)],
    ['br', brotliCompressSync(text)],
    ['br, gzip', gzipSync(brotliCompressSync(text))],
    ['identity', text],
  ])('%s', (encoding, encoded) => {
    expect(decodeContentEncoding(encoded, encoding, 10 * text.length)).toEqual({ bytes: text, truncated: false });
  });

  test.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('%s beyond the cap keeps a prefix no longer than the cap', (encoding, encode) => {
    const cap = 20_000;
    const decoded = decodeContentEncoding(encode(text), encoding, cap);
    expect(decoded.truncated).toBe(true);
    expect(decoded.error).toBeUndefined();
    expect(decoded.bytes.length).toBeLessThanOrEqual(cap);
    expect(decoded.bytes.length).toBeGreaterThan(cap / 2);
    expect(decoded.bytes.equals(text.subarray(0, decoded.bytes.length))).toBe(true);
  });

  test('a truncated gzip body decodes as far as it goes', () => {
    const encoded = gzipSync(text);
    const decoded = decodeContentEncoding(encoded.subarray(0, encoded.length >> 1), 'gzip', 10 * text.length);
    expect(decoded.bytes.length).toBeGreaterThan(0);
    expect(decoded.bytes.equals(text.subarray(0, decoded.bytes.length))).toBe(true);
  });

  test.each([
    ['gzip', Buffer.from('plainly not gzip'), /^gzip decoding failed/],
    ['br', Buffer.from('plainly not brotli'), /^br decoding failed/],
    ['zstd', Buffer.from('whatever'), /^unsupported content-encoding "zstd"$/],
  ])('%s failure keeps the raw bytes, truncated', (encoding, raw, message) => {
    const decoded = decodeContentEncoding(raw, encoding, 1000);
    expect(decoded.bytes).toEqual(raw);
    expect(decoded.truncated).toBe(true);
    expect(decoded.error).toMatch(message);
  });

  test('contentCodings normalises and drops identity', () => {
    expect(contentCodings(' GZip ,identity, br ')).toEqual(['gzip', 'br']);
  });
});

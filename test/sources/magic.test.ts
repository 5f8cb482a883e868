// sniffFormat: the magic numbers of each capture format, and what is not one.
import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../src/sources/magic.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/ /g, ''), 'hex');

describe('sniffFormat', () => {
  it.each([
    ['d4c3b2a1 02000400', 'pcap'], // µs, little-endian
    ['a1b2c3d4 00020004', 'pcap'], // µs, big-endian
    ['4d3cb2a1 02000400', 'pcap'], // ns, little-endian
    ['a1b23c4d 00020004', 'pcap'], // ns, big-endian
    ['0a0d0d0a 1c000000 4d3c2b1a', 'pcapng'],
    ['1f8b0800 00000000', 'gzip'],
    ['7b226c6f67223a7b7d7d', 'json'], // {"log":{}}
    ['efbbbf 20090d0a 7b', 'json'], // BOM and whitespace first
  ])('%s is %s', (bytes, format) => {
    expect(sniffFormat(hex(bytes))).toBe(format);
  });

  it.each([
    ['', 'nothing'],
    ['d4c3b2', 'a cut magic'],
    ['5b7b7d5d', 'a JSON array'],
    ['efbbbf 2020', 'only a BOM and blanks'],
    ['48545450', 'text'],
  ])('%s (%s) is no known format', (bytes) => {
    expect(sniffFormat(hex(bytes))).toBeUndefined();
  });
});

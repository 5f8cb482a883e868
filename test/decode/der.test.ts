// The tiny DER reader: lengths, children, OIDs, and refusal (not exceptions) on bad input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derChildren, derOid, readDer } from '../../src/decode/der.js';
import { OID, der, oid } from './builders.js';

describe('readDer', () => {
  it.each([
    ['short form', der(0x04, Buffer.alloc(5)), { tag: 0x04, start: 2, end: 7 }],
    ['long form, one length byte', der(0x04, Buffer.alloc(200)), { tag: 0x04, start: 3, end: 203 }],
    ['long form, two length bytes', der(0x30, Buffer.alloc(1000)), { tag: 0x30, start: 4, end: 1004 }],
  ])('%s', (_name, bytes, expected) => {
    expect(readDer(bytes, 0)).toEqual(expected);
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['tag only', Buffer.from([0x30])],
    ['length past the end', Buffer.from([0x04, 0x05, 0x00])],
    ['indefinite length', Buffer.from([0x30, 0x80, 0x00, 0x00])],
    ['five length bytes', Buffer.from([0x04, 0x85, 0, 0, 0, 0, 1, 0])],
    ['high tag number form', Buffer.from([0x1f, 0x01, 0x00])],
  ])('%s -> undefined', (_name, bytes) => {
    expect(readDer(bytes, 0)).toBeUndefined();
  });

  it('respects the limit given by the parent', () => {
    const bytes = Buffer.from([0x04, 0x02, 0xaa, 0xbb]);
    expect(readDer(bytes, 0, 3)).toBeUndefined();
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(70), (bytes, offset) => {
        const element = readDer(Buffer.from(bytes), offset);
        if (element) expect(element.end).toBeLessThanOrEqual(bytes.length);
      }),
    );
  });
});

describe('derChildren', () => {
  it('lists the elements of a SEQUENCE in order', () => {
    const sequence = der(0x30, der(0x02, Buffer.from([1])), der(0x04, Buffer.from('ab')));
    const children = derChildren(sequence, readDer(sequence, 0)!);
    expect(children.map((c) => c.tag)).toEqual([0x02, 0x04]);
  });

  it('stops at the first unreadable child', () => {
    const sequence = der(0x30, der(0x02, Buffer.from([1])), Buffer.from([0x04, 0x09]));
    expect(derChildren(sequence, readDer(sequence, 0)!)).toHaveLength(1);
  });
});

describe('derOid', () => {
  it.each(Object.values(OID))('%s round-trips', (dotted) => {
    const bytes = oid(dotted);
    expect(derOid(bytes, readDer(bytes, 0)!)).toBe(dotted);
  });

  it('refuses a non-OID element and a truncated arc', () => {
    const notOid = der(0x04, Buffer.from([0x2a]));
    expect(derOid(notOid, readDer(notOid, 0)!)).toBeUndefined();
    const truncated = der(0x06, Buffer.from([0x2a, 0x86]));
    expect(derOid(truncated, readDer(truncated, 0)!)).toBeUndefined();
  });
});

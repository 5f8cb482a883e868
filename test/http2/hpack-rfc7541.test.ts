// HPACK decoder against every example of RFC 7541 Appendix C (C.2–C.6), table state included.
import { describe, expect, it } from 'vitest';
import { HpackDecoder } from '../../src/http2/hpack-decoder.js';
import { HpackError } from '../../src/http2/hpack-error.js';
import { decodeHuffman, huffmanCodeOf } from '../../src/http2/hpack-huffman.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

interface Step {
  readonly block: string;
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly tableSize: number;
}

function run(steps: readonly Step[], tableLimit?: number): void {
  const decoder = new HpackDecoder();
  if (tableLimit !== undefined) decoder.announceTableSize(tableLimit);
  for (const step of steps) {
    const { fields } = decoder.decode(hex(step.block));
    expect(fields).toEqual(step.fields);
    expect(decoder.tableSize).toBe(step.tableSize);
  }
}

describe('RFC 7541 C.2 header field representations', () => {
  it('C.2.1 literal with indexing', () => run([{ block: '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572', fields: [['custom-key', 'custom-header']], tableSize: 55 }]));
  it('C.2.2 literal without indexing', () => run([{ block: '040c 2f73 616d 706c 652f 7061 7468', fields: [[':path', '/sample/path']], tableSize: 0 }]));
  it('C.2.3 literal never indexed', () => run([{ block: '1008 7061 7373 776f 7264 0673 6563 7265 74', fields: [['password', 'secret']], tableSize: 0 }]));
  it('C.2.4 indexed', () => run([{ block: '82', fields: [[':method', 'GET']], tableSize: 0 }]));
});

const request1 = [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']] as const;
const request2 = [...request1, ['cache-control', 'no-cache']] as const;
const request3 = [[':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value']] as const;

describe('RFC 7541 C.3 / C.4 requests on one connection', () => {
  it('C.3 without Huffman', () =>
    run([
      { block: '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d', fields: request1, tableSize: 57 },
      { block: '8286 84be 5808 6e6f 2d63 6163 6865', fields: request2, tableSize: 110 },
      { block: '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65', fields: request3, tableSize: 164 },
    ]));
  it('C.4 with Huffman', () =>
    run([
      { block: '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff', fields: request1, tableSize: 57 },
      { block: '8286 84be 5886 a8eb 1064 9cbf', fields: request2, tableSize: 110 },
      { block: '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf', fields: request3, tableSize: 164 },
    ]));
});

const response1 = [[':status', '302'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'], ['location', 'https://www.example.com']] as const;
const response2 = [[':status', '307'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'], ['location', 'https://www.example.com']] as const;
const response3 = [
  [':status', '200'],
  ['cache-control', 'private'],
  ['date', 'Mon, 21 Oct 2013 20:13:22 GMT'],
  ['location', 'https://www.example.com'],
  ['content-encoding', 'gzip'],
  ['set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'],
] as const;

/** C.5 and C.6 use a 256-octet table: the encoder shrinks it with a size update the decoder must allow. */
const SHRINK_TO_256 = '3fe1 01';

describe('RFC 7541 C.5 / C.6 responses with evictions (table size 256)', () => {
  it('C.5 without Huffman', () =>
    run([
      {
        block: `${SHRINK_TO_256} 4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d`,
        fields: response1,
        tableSize: 222,
      },
      { block: '4803 3330 37c1 c0bf', fields: response2, tableSize: 222 },
      {
        block:
          '88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31',
        fields: response3,
        tableSize: 215,
      },
    ]));
  it('C.6 with Huffman', () =>
    run([
      {
        block: `${SHRINK_TO_256} 4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3`,
        fields: response1,
        tableSize: 222,
      },
      { block: '4883 640e ffc1 c0bf', fields: response2, tableSize: 222 },
      {
        block:
          '88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07',
        fields: response3,
        tableSize: 215,
      },
    ]));
});

describe('HPACK errors', () => {
  const fails = (block: string, message: RegExp): void => {
    expect(() => new HpackDecoder().decode(hex(block))).toThrow(HpackError);
    expect(() => new HpackDecoder().decode(hex(block))).toThrow(message);
  };
  it('index 0', () => fails('80', /index 0/));
  it('index past the dynamic table', () => fails('be', /beyond the dynamic table/));
  it('string past the end of the block', () => fails('4005 6162', /runs past the end/));
  it('integer cut off', () => fails('7f', /ends inside an integer/));
  it('huge integer', () => fails('7fffffffffff0f', /integer too large/));
  it('size update above the announced limit', () => fails('3fe21f', /above the announced/));
  it('size update after a field', () => fails('82 20', /after a header field/));
  it('Huffman padding not all ones', () => expect(() => decodeHuffman(hex('00'), 0, 1)).toThrow(/padding/));
  it('Huffman padding of 8 bits or more', () => expect(() => decodeHuffman(hex('1fff'), 0, 2)).toThrow(/padding/));
  it('EOS in a Huffman string', () => expect(() => decodeHuffman(hex('ffffffff'), 0, 4)).toThrow(/EOS/));
});

describe('Huffman code', () => {
  it('is the canonical code of Appendix B (spot checks)', () => {
    expect(huffmanCodeOf(0)).toEqual({ code: 0x1ff8, length: 13 });
    expect(huffmanCodeOf(48)).toEqual({ code: 0x0, length: 5 });
    expect(huffmanCodeOf(97)).toEqual({ code: 0x3, length: 5 });
    expect(huffmanCodeOf(255)).toEqual({ code: 0x3ffffee, length: 26 });
    expect(huffmanCodeOf(256)).toEqual({ code: 0x3fffffff, length: 30 });
  });
  it('decodes every symbol', () => {
    for (let symbol = 0; symbol < 256; symbol++) {
      const { code, length } = huffmanCodeOf(symbol);
      const padded = length + ((8 - (length % 8)) % 8);
      const bits = BigInt(code) << BigInt(padded - length) | ((1n << BigInt(padded - length)) - 1n);
      const bytes = Buffer.from(bits.toString(16).padStart(padded / 4, '0'), 'hex');
      expect(decodeHuffman(bytes, 0, bytes.length)).toBe(String.fromCharCode(symbol));
    }
  });
});

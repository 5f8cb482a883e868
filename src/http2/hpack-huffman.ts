// HPACK Huffman strings (RFC 7541 §5.2, Appendix B): decodes the canonical code, bit by bit, in linear time.
import { HpackError } from './hpack-error.js';

/**
 * Code length in bits of each symbol 0–255 and EOS (256), from RFC 7541 Appendix B. The code is
 * canonical (codes of one length are consecutive, in symbol order), so the lengths alone rebuild it.
 */
const CODE_LENGTHS: readonly number[] = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
  28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
  5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
  6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
  24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
  21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
  19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
  26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30,
];

const MAX_CODE_LENGTH = 30;
const EOS = 256;

/** The canonical code, per length: first code, how many codes, and where its symbols start in `symbols`. */
interface CanonicalCode {
  readonly firstCode: Int32Array;
  readonly count: Int32Array;
  readonly offset: Int32Array;
  readonly symbols: Uint16Array;
}

function buildCanonicalCode(): CanonicalCode {
  const count = new Int32Array(MAX_CODE_LENGTH + 1);
  for (const length of CODE_LENGTHS) count[length]!++;
  const firstCode = new Int32Array(MAX_CODE_LENGTH + 1);
  const offset = new Int32Array(MAX_CODE_LENGTH + 1);
  let code = 0;
  let position = 0;
  for (let length = 1; length <= MAX_CODE_LENGTH; length++) {
    code = (code + (count[length - 1] ?? 0)) * 2;
    if (length === 1) code = 0;
    firstCode[length] = code;
    offset[length] = position;
    position += count[length]!;
  }
  const symbols = new Uint16Array(CODE_LENGTHS.length);
  const next = Int32Array.from(offset);
  for (let length = 1; length <= MAX_CODE_LENGTH; length++) {
    for (let symbol = 0; symbol < CODE_LENGTHS.length; symbol++) if (CODE_LENGTHS[symbol] === length) symbols[next[length]!++] = symbol;
  }
  return { firstCode, count, offset, symbols };
}

const CODE = buildCanonicalCode();

/** The code of `symbol` and its length in bits (for encoders in tests and fixture scripts). */
export function huffmanCodeOf(symbol: number): { code: number; length: number } {
  const length = CODE_LENGTHS[symbol]!;
  const start = CODE.offset[length]!;
  let index = start;
  while (CODE.symbols[index] !== symbol) index++;
  return { code: CODE.firstCode[length]! + (index - start), length };
}

/**
 * Decodes `bytes[start, end)` as an HPACK Huffman string (latin1 text). Throws HpackError on the
 * EOS symbol, on padding longer than 7 bits, or on padding that is not the EOS prefix (all ones).
 */
export function decodeHuffman(bytes: Buffer, start: number, end: number): string {
  const out = Buffer.allocUnsafe(Math.ceil(((end - start) * 8) / 5));
  let written = 0;
  let code = 0;
  let length = 0;
  const { firstCode, count, offset, symbols } = CODE;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    for (let bit = 7; bit >= 0; bit--) {
      code = (code << 1) | ((byte >> bit) & 1);
      length++;
      const rank = code - firstCode[length]!;
      if (rank >= 0 && rank < count[length]!) {
        const symbol = symbols[offset[length]! + rank]!;
        if (symbol === EOS) throw new HpackError('Huffman string contains the EOS symbol');
        out[written++] = symbol;
        code = 0;
        length = 0;
      } else if (length >= MAX_CODE_LENGTH) {
        throw new HpackError('invalid Huffman code');
      }
    }
  }
  if (length > 7) throw new HpackError('Huffman padding longer than 7 bits');
  if (code !== (1 << length) - 1) throw new HpackError('Huffman padding is not the EOS prefix');
  return out.toString('latin1', 0, written);
}

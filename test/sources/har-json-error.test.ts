// Tests the JSON error locator against V8's JSON.parse, which is the oracle for valid/invalid and positions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeJsonSyntaxError, findJsonSyntaxError, lineAndColumn } from '../../src/sources/har-json-error.js';

/** JSON.parse's verdict: 'ok', or the position V8 names (undefined when its message has none). */
function v8Verdict(text: string): 'ok' | { position: number | undefined } {
  try {
    JSON.parse(text);
    return 'ok';
  } catch (error) {
    const match = /at position (\d+)/.exec((error as Error).message);
    if (match) return { position: Number(match[1]) };
    if ((error as Error).message.includes('Unexpected end of JSON input')) return { position: text.length };
    return { position: undefined };
  }
}

/** Valid JSON, and JSON damaged by a cut, an inserted character or a deleted one. */
const jsonLike = fc.oneof(
  fc.json(),
  fc.tuple(fc.json(), fc.nat()).map(([t, n]) => t.slice(0, n % (t.length + 1))),
  fc.tuple(fc.json(), fc.nat(), fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'x', '-', '0', '.', 'e', '\n', '\u0001'))
    .map(([t, n, c]) => {
      const at = n % (t.length + 1);
      return t.slice(0, at) + c + t.slice(at);
    }),
  fc.tuple(fc.json(), fc.nat()).map(([t, n]) => {
    const at = n % (t.length + 1);
    return t.slice(0, at) + t.slice(at + 1);
  }),
  fc.string(),
);

describe('findJsonSyntaxError', () => {
  it('accepts exactly what JSON.parse accepts, and finds the position V8 names', () => {
    fc.assert(
      fc.property(jsonLike, (text) => {
        const verdict = v8Verdict(text);
        const found = findJsonSyntaxError(text);
        if (verdict === 'ok') {
          expect(found).toBeUndefined();
          return;
        }
        expect(found).toBeDefined();
        if (verdict.position !== undefined) expect(found!.offset).toBe(verdict.position);
      }),
      { numRuns: 3000 },
    );
  });

  it('does not overflow the stack on deep nesting', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(199_999);
    expect(findJsonSyntaxError(deep)).toEqual({ offset: deep.length, reason: 'unexpected end of input' });
  });
});

describe('describeJsonSyntaxError', () => {
  it('gives 1-based line and column of the first error', () => {
    const text = '{\n  "a": 1,\n  "b": tru\n}';
    expect(describeJsonSyntaxError(text)).toBe('invalid JSON at line 3 column 11: unexpected character U+000A');
  });

  it('counts columns from the last line feed', () => {
    expect(lineAndColumn('ab\ncd\nef', 7)).toEqual({ line: 3, column: 2 });
    expect(lineAndColumn('abc', 0)).toEqual({ line: 1, column: 1 });
  });
});

// harEntryLines: the line of each log.entries element, whatever the layout and the strings inside.
import { describe, expect, it } from 'vitest';
import { harEntryLines } from '../../src/sources/har-entry-lines.js';

describe('harEntryLines', () => {
  it('finds each entry of a pretty-printed HAR', () => {
    const text = JSON.stringify({ log: { version: '1.2', pages: [{ id: 'x' }], entries: [{ a: 1 }, { b: [1, 2] }, { c: { d: '[' } }] } }, null, 2);
    const lines = text.split('\n');
    const entriesLine = lines.indexOf('    "entries": [');
    const expected = lines.flatMap((line, index) => (index > entriesLine && line === '      {' ? [index + 1] : []));
    expect(harEntryLines(text)).toEqual(expected);
    expect(expected).toHaveLength(3);
  });

  it('counts one entry per element, on its line, in compact and odd layouts', () => {
    expect(harEntryLines('{"log":{"entries":[{"x":"a\\"]{"},\n{"y":1},\n\n null]}}')).toEqual([1, 2, 4]);
    expect(harEntryLines('{"other":{"entries":[{}]},"log":{"creator":{"entries":[{}]},"entries":[\n{}\n]}}')).toEqual([2]);
    expect(harEntryLines('{"log":{"entries":[]}}')).toEqual([]);
    expect(harEntryLines('[1,2]')).toEqual([]);
  });
});

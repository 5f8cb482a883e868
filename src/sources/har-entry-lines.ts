// The line on which each element of a HAR's log.entries starts, found in one pass over the text.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/** Depth of the elements of log.entries: inside the root object, the log object and the array. */
const ENTRIES_DEPTH = 3;

/**
 * 1-based line of each element of `log.entries` in `text`, by index (as JSON.parse reads them).
 * Linear in the text and allocation-free beyond the keys of the two outer objects; it does not
 * check the JSON (the parser did), and gives an empty list for text that has no such array.
 */
export function harEntryLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inEntries = false;
  let expectEntry = false;
  let lastString: string | undefined;
  const keyAt: (string | undefined)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE) {
      line++;
      continue;
    }
    if (c === 0x20 || c === 0x09 || c === 0x0d) continue;
    if (inEntries && expectEntry && depth === ENTRIES_DEPTH && c !== CLOSE_ARRAY) {
      lines.push(line);
      expectEntry = false;
    }
    if (c === QUOTE) {
      const start = i + 1;
      for (i = start; i < text.length && text.charCodeAt(i) !== QUOTE; i++) if (text.charCodeAt(i) === BACKSLASH) i++;
      if (depth < ENTRIES_DEPTH) lastString = text.slice(start, i);
    } else if (c === COLON) {
      keyAt[depth] = lastString;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      if (c === OPEN_ARRAY && depth === ENTRIES_DEPTH && keyAt[1] === 'log' && keyAt[2] === 'entries') {
        inEntries = true;
        expectEntry = true;
        lines.length = 0;
      }
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth === ENTRIES_DEPTH) inEntries = false;
      depth--;
    } else if (c === COMMA && inEntries && depth === ENTRIES_DEPTH) {
      expectEntry = true;
    }
  }
  return lines;
}

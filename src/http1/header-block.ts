// Header fields of an HTTP/1.x header section or trailer section, in wire order with original casing.

export interface ParsedHeaderLines {
  readonly headers: Array<[name: string, value: string]>;
  /** Lines that are not `name: value` fields (they are left out of `headers`). */
  readonly badLines: number;
}

const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Parses the field lines of `block` (latin1, lines ended by CRLF or bare LF) up to the first empty
 * line. obs-fold continuation lines are joined to the previous value with one space.
 */
export function parseHeaderLines(block: Buffer): ParsedHeaderLines {
  const headers: Array<[string, string]> = [];
  let badLines = 0;
  const text = block.toString('latin1');
  // Line by line with indexOf, without an array of every line (this was the top of the `exchanges` profile).
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    let stop = newline === -1 ? text.length : newline;
    if (stop > start && text.charCodeAt(stop - 1) === 0x0d) stop--;
    const line = text.slice(start, stop);
    start = newline === -1 ? text.length : newline + 1;
    if (line === '') break;
    const previous = headers[headers.length - 1];
    if (line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x09) {
      if (previous) previous[1] = joinFolded(previous[1], trimOws(line));
      else badLines++;
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!FIELD_NAME.test(name)) {
      badLines++;
      continue;
    }
    headers.push([name, trimOws(line, colon + 1)]);
  }
  return { headers, badLines };
}

/** `text` from `start` without leading and trailing spaces and tabs (HTTP's optional white space). */
export function trimOws(text: string, start = 0): string {
  let from = start;
  let to = text.length;
  while (from < to && (text.charCodeAt(from) === 0x20 || text.charCodeAt(from) === 0x09)) from++;
  while (to > from && (text.charCodeAt(to - 1) === 0x20 || text.charCodeAt(to - 1) === 0x09)) to--;
  return text.slice(from, to);
}

function joinFolded(value: string, continuation: string): string {
  if (continuation === '') return value;
  return value === '' ? continuation : `${value} ${continuation}`;
}

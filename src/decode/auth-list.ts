// RFC 7235 §2.1 / §4.1 grammar: a header value holding one or more comma-joined challenges (or
// credentials), each a scheme with a token68 or auth-params. Lenient, bounded, never throws.

/** One challenge or credentials element, as written. */
export interface AuthElement {
  readonly scheme: string;
  /** auth-param names lower-cased, values unquoted; the first of duplicate names wins. */
  readonly params: ReadonlyMap<string, string>;
  readonly token68?: string;
}

/** Most elements taken from one header value, and most params per element. */
const MAX_ELEMENTS = 64;
const MAX_PARAMS = 64;

/** A backslash and the character it escapes (none after a final backslash). */
const QUOTED_PAIR = /\\([\s\S]?)/g;

const TOKEN_CHARS = charTable("!#$%&'*+.^_`|~-");
const TOKEN68_CHARS = charTable('._~+/-');

/** ASCII lookup table: letters, digits and the given punctuation. */
function charTable(punctuation: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code++) {
    const char = String.fromCharCode(code);
    if (/[A-Za-z0-9]/.test(char) || punctuation.includes(char)) table[code] = 1;
  }
  return table;
}

function isIn(table: Uint8Array, code: number): boolean {
  return code < 128 && table[code] === 1;
}

/** Splits a WWW-Authenticate / Proxy-Authenticate (or Authorization) value into its elements. */
export function parseAuthList(value: string): AuthElement[] {
  const cursor = new Cursor(value);
  const elements: AuthElement[] = [];
  while (elements.length < MAX_ELEMENTS) {
    cursor.skipListSeparators();
    if (cursor.atEnd()) break;
    const scheme = cursor.token();
    if (scheme === '') {
      cursor.skipOne();
      continue;
    }
    elements.push(parseElementBody(cursor, scheme));
  }
  return elements;
}

function parseElementBody(cursor: Cursor, scheme: string): AuthElement {
  const params = new Map<string, string>();
  if (!cursor.skipSpaces()) return { scheme, params };
  const token68 = cursor.token68();
  if (token68 !== undefined) return { scheme, params, token68 };
  while (params.size < MAX_PARAMS) {
    const mark = cursor.position;
    const name = cursor.token();
    cursor.skipSpaces();
    if (name === '' || !cursor.take('=')) {
      cursor.position = mark;
      break;
    }
    cursor.skipSpaces();
    const paramValue = cursor.peek() === '"' ? cursor.quotedString() : cursor.token();
    const key = name.toLowerCase();
    if (!params.has(key)) params.set(key, paramValue);
    if (!cursor.nextIsParam()) break;
  }
  return { scheme, params };
}

/** A read position in a header value. */
class Cursor {
  position = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.position];
  }

  skipOne(): void {
    this.position++;
  }

  take(char: string): boolean {
    if (this.text[this.position] !== char) return false;
    this.position++;
    return true;
  }

  /** Skips spaces and tabs; true when any were skipped. */
  skipSpaces(): boolean {
    const start = this.position;
    while (this.peek() === ' ' || this.peek() === '\t') this.position++;
    return this.position > start;
  }

  skipListSeparators(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',') this.position++;
  }

  token(): string {
    const start = this.position;
    while (!this.atEnd() && isIn(TOKEN_CHARS, this.text.charCodeAt(this.position))) this.position++;
    return this.text.slice(start, this.position);
  }

  /** A token68 that fills the element (followed only by spaces, then a comma or the end). */
  token68(): string | undefined {
    const start = this.position;
    let end = start;
    while (end < this.text.length && isIn(TOKEN68_CHARS, this.text.charCodeAt(end))) end++;
    if (end === start) return undefined;
    while (this.text[end] === '=') end++;
    let after = end;
    while (this.text[after] === ' ' || this.text[after] === '\t') after++;
    if (after < this.text.length && this.text[after] !== ',') return undefined;
    this.position = after;
    return this.text.slice(start, end);
  }

  /**
   * A quoted-string, unescaped; an unterminated one runs to the end. Linear: each backslash is
   * found once, the closing quote is looked for again only when an escape took the one found.
   */
  quotedString(): string {
    const text = this.text;
    const start = ++this.position;
    const quoteFrom = (from: number): number => {
      const quote = text.indexOf('"', from);
      return quote === -1 ? text.length : quote;
    };
    let quote = quoteFrom(start);
    let escaped = false;
    for (let backslash = text.indexOf('\\', start); backslash !== -1 && backslash < quote; backslash = text.indexOf('\\', backslash + 2)) {
      escaped = true;
      if (backslash + 1 === quote) quote = quoteFrom(backslash + 2);
    }
    this.position = quote + 1;
    const raw = text.slice(start, quote);
    return escaped ? raw.replace(QUOTED_PAIR, '$1') : raw;
  }

  /**
   * After a param: consumes a following comma when another param of the same element comes next
   * (`, name=`); leaves the position before the comma when a new element starts instead.
   */
  nextIsParam(): boolean {
    const mark = this.position;
    this.skipListSeparators();
    const name = this.token();
    this.skipSpaces();
    const isParam = name !== '' && this.peek() === '=';
    this.position = mark;
    if (!isParam) return false;
    this.skipListSeparators();
    return true;
  }
}

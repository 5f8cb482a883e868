// A minimal, strict XML 1.0 reader for the JUnit tests: elements, attributes, text, the five entities.
// It throws on anything not well-formed that the JUnit writer could get wrong; it does not do DTDs.

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Text content directly inside the element, entities resolved. */
  text: string;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isNameChar(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return (
    (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) ||
    ch === '-' || ch === '_' || ch === '.' || ch === ':'
  );
}

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

export function parseXml(xml: string): XmlElement {
  for (const ch of xml) {
    const code = ch.codePointAt(0) ?? 0;
    if (!isXmlChar(code)) throw new Error(`character U+${code.toString(16)} is not allowed in XML 1.0`);
  }
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at offset ${pos}`);
  };
  const skipSpace = (): void => {
    while (pos < xml.length && ' \t\r\n'.includes(xml[pos] ?? '')) pos += 1;
  };
  const readName = (): string => {
    const start = pos;
    while (pos < xml.length && isNameChar(xml[pos] ?? '')) pos += 1;
    if (pos === start) fail('expected a name');
    return xml.slice(start, pos);
  };
  const decode = (raw: string, inAttribute: boolean): string => {
    let out = '';
    for (let i = 0; i < raw.length; i += 1) {
      const ch = raw[i] ?? '';
      if (ch === '<') fail('raw < in text');
      if (inAttribute && ch === '"') fail('raw " in attribute');
      if (ch !== '&') {
        out += ch;
        continue;
      }
      const end = raw.indexOf(';', i);
      if (end === -1) fail('unterminated entity');
      const entity = raw.slice(i + 1, end);
      const named = ENTITIES[entity];
      if (named !== undefined) out += named;
      else if (entity.startsWith('#x')) out += String.fromCodePoint(parseInt(entity.slice(2), 16));
      else if (entity.startsWith('#')) out += String.fromCodePoint(parseInt(entity.slice(1), 10));
      else fail(`unknown entity &${entity};`);
      i = end;
    }
    return out;
  };

  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end === -1) fail('unterminated XML declaration');
    pos = end + 2;
  }
  skipSpace();

  const readElement = (): XmlElement => {
    if (xml[pos] !== '<') fail('expected <');
    pos += 1;
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      skipSpace();
      const ch = xml[pos];
      if (ch === '/' && xml[pos + 1] === '>') {
        pos += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (ch === '>') {
        pos += 1;
        break;
      }
      const attribute = readName();
      if (attribute in attributes) fail(`duplicate attribute ${attribute}`);
      skipSpace();
      if (xml[pos] !== '=') fail('expected =');
      pos += 1;
      skipSpace();
      if (xml[pos] !== '"') fail('expected "');
      const end = xml.indexOf('"', pos + 1);
      if (end === -1) fail('unterminated attribute');
      attributes[attribute] = decode(xml.slice(pos + 1, end), true);
      pos = end + 1;
    }
    const element: XmlElement = { name, attributes, children: [], text: '' };
    for (;;) {
      const next = xml.indexOf('<', pos);
      if (next === -1) fail(`unclosed <${name}>`);
      element.text += decode(xml.slice(pos, next), false);
      pos = next;
      if (xml.startsWith('</', pos)) {
        pos += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        skipSpace();
        if (xml[pos] !== '>') fail('expected >');
        pos += 1;
        return element;
      }
      if (xml.startsWith('<!', pos) || xml.startsWith('<?', pos)) fail('comments, CDATA and processing instructions are not expected');
      element.children.push(readElement());
    }
  };

  const root = readElement();
  skipSpace();
  if (pos !== xml.length) fail('content after the root element');
  return root;
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

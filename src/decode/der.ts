// A tiny bounded DER reader for SPNEGO: reads one TLV at a time and never throws.

/** One DER element: its tag byte and where its contents lie in the buffer. */
export interface DerElement {
  readonly tag: number;
  /** Offset of the first content byte. */
  readonly start: number;
  /** Offset just past the last content byte (also where the next sibling starts). */
  readonly end: number;
}

/**
 * Reads the element at `offset`, which must end at or before `limit`. Returns undefined on
 * high-tag-number forms, indefinite or over-long lengths, and elements that run past `limit`.
 */
export function readDer(buf: Buffer, offset: number, limit: number = buf.length): DerElement | undefined {
  const end = Math.min(limit, buf.length);
  if (offset + 2 > end) return undefined;
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) return undefined;
  const first = buf[offset + 1]!;
  let pos = offset + 2;
  let length: number;
  if (first < 0x80) {
    length = first;
  } else {
    const lengthBytes = first & 0x7f;
    if (lengthBytes === 0 || lengthBytes > 4 || pos + lengthBytes > end) return undefined;
    length = 0;
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + buf[pos + i]!;
    pos += lengthBytes;
  }
  if (pos + length > end) return undefined;
  return { tag, start: pos, end: pos + length };
}

/** The children of a constructed element, in order; stops at the first unreadable one. */
export function derChildren(buf: Buffer, parent: DerElement, maxChildren = 32): DerElement[] {
  const children: DerElement[] = [];
  let pos = parent.start;
  while (pos < parent.end && children.length < maxChildren) {
    const child = readDer(buf, pos, parent.end);
    if (!child) break;
    children.push(child);
    pos = child.end;
  }
  return children;
}

/** Dotted text of an OBJECT IDENTIFIER element (tag 0x06), or undefined when it is not one. */
export function derOid(buf: Buffer, element: DerElement): string | undefined {
  if (element.tag !== 0x06 || element.end === element.start || element.end - element.start > 64) {
    return undefined;
  }
  const arcs: number[] = [];
  let value = 0;
  for (let i = element.start; i < element.end; i++) {
    const byte = buf[i]!;
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) return undefined;
    if ((byte & 0x80) === 0) {
      if (arcs.length === 0) {
        const top = value < 80 ? Math.floor(value / 40) : 2;
        arcs.push(top, value - top * 40);
      } else {
        arcs.push(value);
      }
      value = 0;
    }
  }
  if ((buf[element.end - 1]! & 0x80) !== 0) return undefined;
  return arcs.join('.');
}

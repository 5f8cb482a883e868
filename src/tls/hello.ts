// ClientHello and ServerHello bodies: the fields decryption needs (randoms, suite, versions, extensions).

export interface ClientHello {
  readonly random: Buffer;
  readonly sessionId: Buffer;
  readonly sni?: string;
  readonly alpn: readonly string[];
  /** The session_ticket extension's data (empty when the client asks for a new ticket). */
  readonly sessionTicket?: Buffer;
  readonly extendedMasterSecret: boolean;
  readonly encryptThenMac: boolean;
  readonly earlyData: boolean;
}

export interface ServerHello {
  /** The negotiated version: supported_versions when present, else the legacy field. */
  readonly version: number;
  readonly random: Buffer;
  readonly sessionId: Buffer;
  readonly cipherSuite: number;
  readonly alpn?: string;
  readonly extendedMasterSecret: boolean;
  readonly encryptThenMac: boolean;
  /** RFC 8446 §4.1.3: a ServerHello whose random is this constant is a HelloRetryRequest. */
  readonly helloRetryRequest: boolean;
}

const HELLO_RETRY_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

const Extension = {
  SERVER_NAME: 0,
  ALPN: 16,
  ENCRYPT_THEN_MAC: 22,
  EXTENDED_MASTER_SECRET: 23,
  SESSION_TICKET: 35,
  EARLY_DATA: 42,
  SUPPORTED_VERSIONS: 43,
} as const;

/** Reads big-endian fields from a buffer; every read past the end yields undefined. */
class Cursor {
  offset = 0;
  constructor(readonly bytes: Buffer) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  u8(): number | undefined {
    return this.offset + 1 <= this.bytes.length ? this.bytes[this.offset++] : undefined;
  }

  u16(): number | undefined {
    if (this.offset + 2 > this.bytes.length) return undefined;
    const value = this.bytes.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  take(length: number | undefined): Buffer | undefined {
    if (length === undefined || this.offset + length > this.bytes.length) return undefined;
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  vector8(): Buffer | undefined {
    return this.take(this.u8());
  }

  vector16(): Buffer | undefined {
    return this.take(this.u16());
  }
}

/** Calls `visit(type, data)` for each extension; false when the block is malformed. */
function readExtensions(cursor: Cursor, visit: (type: number, data: Buffer) => void): boolean {
  if (cursor.remaining === 0) return true;
  const block = cursor.vector16();
  if (block === undefined) return false;
  const inner = new Cursor(block);
  while (inner.remaining > 0) {
    const type = inner.u16();
    const data = inner.vector16();
    if (type === undefined || data === undefined) return false;
    visit(type, data);
  }
  return true;
}

function readSni(data: Buffer): string | undefined {
  const list = new Cursor(new Cursor(data).vector16() ?? Buffer.alloc(0));
  while (list.remaining > 0) {
    const type = list.u8();
    const name = list.vector16();
    if (name === undefined) return undefined;
    if (type === 0) return name.toString('latin1');
  }
  return undefined;
}

function readAlpn(data: Buffer): string[] {
  const list = new Cursor(new Cursor(data).vector16() ?? Buffer.alloc(0));
  const protocols: string[] = [];
  while (list.remaining > 0) {
    const protocol = list.vector8();
    if (protocol === undefined) break;
    protocols.push(protocol.toString('latin1'));
  }
  return protocols;
}

/** Parses a ClientHello body (after the 4-byte handshake header); undefined when malformed. */
export function parseClientHello(body: Buffer): ClientHello | undefined {
  const cursor = new Cursor(body);
  const version = cursor.u16();
  const random = cursor.take(32);
  const sessionId = cursor.vector8();
  const suites = cursor.vector16();
  const compression = cursor.vector8();
  if (version === undefined || random === undefined || sessionId === undefined || suites === undefined || compression === undefined) {
    return undefined;
  }
  let sni: string | undefined;
  let alpn: string[] = [];
  let sessionTicket: Buffer | undefined;
  let extendedMasterSecret = false;
  let encryptThenMac = false;
  let earlyData = false;
  const ok = readExtensions(cursor, (type, data) => {
    if (type === Extension.SERVER_NAME) sni = readSni(data);
    else if (type === Extension.ALPN) alpn = readAlpn(data);
    else if (type === Extension.SESSION_TICKET) sessionTicket = data;
    else if (type === Extension.EXTENDED_MASTER_SECRET) extendedMasterSecret = true;
    else if (type === Extension.ENCRYPT_THEN_MAC) encryptThenMac = true;
    else if (type === Extension.EARLY_DATA) earlyData = true;
  });
  if (!ok) return undefined;
  return {
    random: Buffer.from(random),
    sessionId: Buffer.from(sessionId),
    alpn,
    extendedMasterSecret,
    encryptThenMac,
    earlyData,
    ...(sni !== undefined ? { sni } : {}),
    ...(sessionTicket !== undefined ? { sessionTicket: Buffer.from(sessionTicket) } : {}),
  };
}

/** Parses a ServerHello body (after the 4-byte handshake header); undefined when malformed. */
export function parseServerHello(body: Buffer): ServerHello | undefined {
  const cursor = new Cursor(body);
  const legacyVersion = cursor.u16();
  const random = cursor.take(32);
  const sessionId = cursor.vector8();
  const cipherSuite = cursor.u16();
  const compression = cursor.u8();
  if (legacyVersion === undefined || random === undefined || sessionId === undefined || cipherSuite === undefined || compression === undefined) {
    return undefined;
  }
  let version = legacyVersion;
  let alpn: string | undefined;
  let extendedMasterSecret = false;
  let encryptThenMac = false;
  const ok = readExtensions(cursor, (type, data) => {
    if (type === Extension.SUPPORTED_VERSIONS && data.length === 2) version = data.readUInt16BE(0);
    else if (type === Extension.ALPN) alpn = readAlpn(data)[0];
    else if (type === Extension.EXTENDED_MASTER_SECRET) extendedMasterSecret = true;
    else if (type === Extension.ENCRYPT_THEN_MAC) encryptThenMac = true;
  });
  if (!ok) return undefined;
  return {
    version,
    random: Buffer.from(random),
    sessionId: Buffer.from(sessionId),
    cipherSuite,
    extendedMasterSecret,
    encryptThenMac,
    helloRetryRequest: random.equals(HELLO_RETRY_RANDOM),
    ...(alpn !== undefined ? { alpn } : {}),
  };
}

/** The ticket of a NewSessionTicket (TLS 1.2: lifetime hint, then the ticket); undefined when malformed. */
export function parseNewSessionTicket(body: Buffer): Buffer | undefined {
  const cursor = new Cursor(body);
  if (cursor.take(4) === undefined) return undefined;
  const ticket = cursor.vector16();
  return ticket === undefined ? undefined : Buffer.from(ticket);
}

/** The encrypted premaster of an RSA ClientKeyExchange (TLS: a 2-byte length, SSL 3: bare). */
export function rsaEncryptedPremaster(body: Buffer): Buffer {
  const cursor = new Cursor(body);
  return cursor.vector16() ?? body;
}

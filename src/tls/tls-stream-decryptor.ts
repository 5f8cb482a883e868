// TlsStreamDecryptor: a StreamHandler that decrypts one TLS connection and feeds its plaintext to another handler.
import type { AnomalyCode, AnomalyDetails, AnomalySeverity, AnomalySink, Direction, TcpStreamInfo, Timestamp, TlsInfo } from '../model/index.js';
import { anomaly, endpointToString } from '../model/index.js';
import type { StreamHandler } from '../reassembly/stream-handler.js';
import { cipherSuite, type CipherSuite, type PrfHash, type RecordProtection } from './cipher-suites.js';
import { HandshakeReader } from './handshake-reader.js';
import { parseClientHello, parseNewSessionTicket, parseServerHello, rsaEncryptedPremaster, type ClientHello, type ServerHello } from './hello.js';
import { keyBlock, masterSecret } from './key-schedule.js';
import type { KeyLog } from './key-log.js';
import { ContentType, keyBlockLayout, tls12Decrypter, Tls13Decrypter, type RecordDecrypter } from './record-decrypter.js';
import { RecordReader } from './record-reader.js';

export interface TlsContext {
  readonly keyLog: KeyLog;
  readonly onAnomaly: AnomalySink;
  /** The capture file, for anomalies. */
  readonly file?: string;
  /** Told each connection's client random once its ClientHello is read (export embeds its key-log lines). */
  readonly onClientHello?: (stream: number, clientRandom: Buffer) => void;
}

const HandshakeType = {
  CLIENT_HELLO: 1,
  SERVER_HELLO: 2,
  NEW_SESSION_TICKET: 4,
  CLIENT_KEY_EXCHANGE: 16,
  FINISHED: 20,
  KEY_UPDATE: 24,
} as const;

/** Handshake bytes kept for the extended master secret's session hash (ClientHello … ClientKeyExchange). */
const MAX_TRANSCRIPT_BYTES = 2 * 1024 * 1024;

const VERSION_NAMES: Readonly<Record<number, string>> = {
  0x0300: 'SSL 3.0',
  0x0301: 'TLS 1.0',
  0x0302: 'TLS 1.1',
  0x0303: 'TLS 1.2',
  0x0304: 'TLS 1.3',
};

/** One direction: its record and handshake readers and the keys to try, current first. */
interface Side {
  readonly records: RecordReader;
  readonly handshake: HandshakeReader;
  /** Decrypters in the order they come into use; the first one that opens a record becomes current. */
  keys: RecordDecrypter[];
  /** Set by a TLS 1.2 ChangeCipherSpec: records from here on are protected. */
  encrypted: boolean;
}

/**
 * Decrypts the records of one connection with the secrets of a KeyLog and hands application data
 * to `inner` (the HTTP/1 or HTTP/2 reader, chosen by ALPN), in order, with the frame that completed each record. Never throws:
 * what it cannot do (no key, unsupported cipher, a gap) becomes one anomaly.
 */
export class TlsStreamDecryptor implements StreamHandler {
  readonly #sides: Record<Direction, Side>;
  #clientHello: ClientHello | undefined;
  /** Frame that completed the ClientHello: where a connection that cannot be decrypted is reported. */
  #clientHelloFrame = 0;
  #serverHello: ServerHello | undefined;
  #suite: CipherSuite | undefined;
  #transcript: Buffer[] | undefined = [];
  #transcriptBytes = 0;
  #sessionHashInput: Buffer | undefined;
  #encryptedPremaster: Buffer | undefined;
  #master: Buffer | undefined;
  #tls12Keys: Record<Direction, RecordDecrypter> | undefined;
  /** Set once a record failed to decrypt: reported once per connection. */
  #decryptFailedReported = false;
  /** Set once decryption cannot happen (no key, unsupported cipher): the rest is skipped. */
  #undecryptable = false;
  #innerDone = false;
  #frame = 0;
  #time: Timestamp = { sec: 0, nsec: 0 };
  /** A NewSessionTicket seen before the master secret was known (abbreviated handshakes send it first). */
  #pendingTicket: Buffer | undefined;

  constructor(
    private readonly info: TcpStreamInfo,
    private readonly inner: StreamHandler,
    private readonly context: TlsContext,
  ) {
    this.#sides = { client: this.#side('client'), server: this.#side('server') };
  }

  /** What is known of the connection so far: version, suite, SNI, ALPN. */
  get tlsInfo(): TlsInfo {
    const hello = this.#serverHello;
    const version = hello !== undefined ? VERSION_NAMES[hello.version] : undefined;
    const sni = this.#clientHello?.sni;
    return {
      ...(version !== undefined ? { version } : {}),
      ...(this.#suite !== undefined ? { cipherSuite: this.#suite.name } : {}),
      ...(sni !== undefined ? { sni } : {}),
      ...(hello?.alpn !== undefined ? { alpn: hello.alpn } : {}),
    };
  }

  data(direction: Direction, bytes: Buffer, frame: number, time: Timestamp): boolean {
    this.#frame = frame;
    this.#time = time;
    this.#sides[direction].records.feed(bytes);
    return this.#wantsData;
  }

  gap(direction: Direction, missing: number, frame: number, time: Timestamp, snapLength?: number): void {
    const side = this.#sides[direction];
    if (side.records.stopped) return;
    side.records.stop();
    side.handshake.stop();
    if (this.#undecryptable) return;
    // Bytes cut by the snapshot length are told once per connection by the reassembler.
    if (snapLength === undefined) {
      this.#anomaly('tls-gap', 'info', `${missing} bytes missing from the ${direction}; the rest of its TLS records are not decrypted`, frame);
    }
    if (!this.#innerDone) this.inner.gap(direction, missing, frame, time, snapLength);
  }

  end(reason: 'fin' | 'rst' | 'idle' | 'eof' | 'reused'): void {
    this.inner.end(reason);
  }

  get #wantsData(): boolean {
    return !this.#undecryptable && !this.#innerDone && !(this.#sides.client.records.stopped && this.#sides.server.records.stopped);
  }

  #side(direction: Direction): Side {
    const side: Side = {
      records: new RecordReader({
        record: (header, fragment) => this.#record(direction, side, header, fragment),
        malformed: (detail) => this.#anomaly('tls-malformed-record', 'warning', `${direction}: ${detail}`, this.#frame),
      }),
      handshake: new HandshakeReader({
        message: (type, body, message) => this.#handshake(direction, type, body, message),
        malformed: (detail) => this.#anomaly('tls-malformed-handshake', 'warning', `${direction}: ${detail}`, this.#frame),
      }),
      keys: [],
      encrypted: false,
    };
    return side;
  }

  #record(direction: Direction, side: Side, header: Buffer, fragment: Buffer): void {
    if (this.#undecryptable) return;
    const type = header[0]!;
    const tls13 = this.#serverHello?.version === 0x0304;
    if (type === ContentType.CHANGE_CIPHER_SPEC) {
      if (!tls13) this.#changeCipherSpec(direction, side);
      return;
    }
    const protectedRecord = tls13 ? type === ContentType.APPLICATION_DATA && this.#serverHello !== undefined : side.encrypted;
    if (!protectedRecord) {
      this.#plaintext(direction, side, type, fragment);
      return;
    }
    const decrypted = this.#decrypt(side, header, fragment);
    if (decrypted === undefined) {
      // One finding per connection: the other direction failing too is the same fact.
      if (!this.#decryptFailedReported) {
        this.#decryptFailedReported = true;
        this.#undecryptableConnection('tls-decrypt-failed', `a ${direction} record did not decrypt (wrong key?); the rest of the ${direction} is skipped`, {}, this.#frame);
      }
      side.records.stop();
      if (!this.#innerDone) this.inner.gap(direction, fragment.length, this.#frame, this.#time);
      return;
    }
    this.#plaintext(direction, side, decrypted.contentType, decrypted.plaintext);
  }

  /** Opens a record with the current key or, failing that, the next one (which then becomes current). */
  #decrypt(side: Side, header: Buffer, fragment: Buffer): { contentType: number; plaintext: Buffer } | undefined {
    for (let i = 0; i < side.keys.length; i++) {
      const opened = side.keys[i]!.decrypt(header, fragment);
      if (opened !== undefined) {
        if (i > 0) side.keys.splice(0, i);
        return opened;
      }
    }
    return undefined;
  }

  #plaintext(direction: Direction, side: Side, type: number, plaintext: Buffer): void {
    if (type === ContentType.HANDSHAKE) side.handshake.feed(plaintext);
    else if (type === ContentType.APPLICATION_DATA && plaintext.length > 0 && !this.#innerDone) {
      if (this.inner.data(direction, plaintext, this.#frame, this.#time) === false) this.#innerDone = true;
    }
  }

  #handshake(direction: Direction, type: number, body: Buffer, message: Buffer): void {
    if (this.#transcript !== undefined) this.#record12Transcript(message);
    if (type === HandshakeType.CLIENT_HELLO && direction === 'client') {
      const hello = parseClientHello(body);
      if (hello === undefined) this.#anomaly('tls-malformed-handshake', 'warning', 'ClientHello does not parse', this.#frame);
      else {
        this.#clientHello = hello;
        this.context.onClientHello?.(this.info.index, hello.random);
        this.#clientHelloFrame = this.#frame;
      }
    } else if (type === HandshakeType.SERVER_HELLO && direction === 'server') {
      this.#onServerHello(body);
    } else if (type === HandshakeType.CLIENT_KEY_EXCHANGE && direction === 'client') {
      this.#encryptedPremaster = Buffer.from(rsaEncryptedPremaster(body));
      if (this.#transcript !== undefined) this.#sessionHashInput = Buffer.concat(this.#transcript);
      this.#transcript = undefined;
    } else if (type === HandshakeType.NEW_SESSION_TICKET && direction === 'server' && this.#serverHello?.version !== 0x0304) {
      const ticket = parseNewSessionTicket(body);
      if (ticket !== undefined && this.#master !== undefined) this.context.keyLog.rememberTicket(ticket, this.#master);
      this.#pendingTicket = ticket;
    } else if (this.#serverHello?.version === 0x0304) {
      const side = this.#sides[direction];
      if (type === HandshakeType.FINISHED && side.keys.length > 1) side.keys.shift();
      else if (type === HandshakeType.KEY_UPDATE && side.keys[0] instanceof Tls13Decrypter) side.keys[0] = side.keys[0].next();
    }
  }

  #record12Transcript(message: Buffer): void {
    this.#transcriptBytes += message.length;
    if (this.#transcriptBytes > MAX_TRANSCRIPT_BYTES) this.#transcript = undefined;
    else this.#transcript!.push(Buffer.from(message));
  }

  #onServerHello(body: Buffer): void {
    const hello = parseServerHello(body);
    if (hello === undefined) {
      this.#anomaly('tls-malformed-handshake', 'warning', 'ServerHello does not parse', this.#frame);
      this.#undecryptable = true;
      return;
    }
    if (hello.helloRetryRequest) return;
    this.#serverHello = hello;
    const suite = cipherSuite(hello.cipherSuite);
    this.#suite = suite;
    if (suite.protection === undefined) {
      this.#undecryptableConnection('tls-cipher-unsupported', `cipher not supported: ${suite.name}${this.#sniText()}`, { cipherSuite: suite.name });
      this.#undecryptable = true;
      return;
    }
    if (hello.version === 0x0304) this.#startTls13(suite.hash, suite.protection);
  }

  #startTls13(hash: PrfHash, protection: RecordProtection): void {
    this.#transcript = undefined;
    if (protection.kind === 'cbc') {
      this.#anomaly('tls-malformed-handshake', 'warning', 'TLS 1.3 with a CBC cipher suite', this.#frame);
      this.#undecryptable = true;
      return;
    }
    const clientHello = this.#clientHello;
    const secrets = clientHello !== undefined ? this.context.keyLog.secretsFor(clientHello.random) : undefined;
    const keysOf = (...candidates: (Buffer | undefined)[]): RecordDecrypter[] =>
      candidates.filter((secret): secret is Buffer => secret !== undefined).map((secret) => new Tls13Decrypter(hash, protection, secret));
    const client = keysOf(clientHello?.earlyData ? secrets?.clientEarlyTraffic : undefined, secrets?.clientHandshakeTraffic, secrets?.clientTraffic0);
    const server = keysOf(secrets?.serverHandshakeTraffic, secrets?.serverTraffic0);
    if (client.length === 0 && server.length === 0) {
      this.#noKey();
      return;
    }
    this.#sides.client.keys = client;
    this.#sides.server.keys = server;
  }

  #changeCipherSpec(direction: Direction, side: Side): void {
    side.encrypted = true;
    const keys = this.#tls12Keys ?? this.#deriveTls12Keys();
    if (keys !== undefined) side.keys = [keys[direction]];
  }

  #deriveTls12Keys(): Record<Direction, RecordDecrypter> | undefined {
    const clientHello = this.#clientHello;
    const serverHello = this.#serverHello;
    const suite = this.#suite;
    const layout = suite !== undefined ? keyBlockLayout(suite) : undefined;
    if (clientHello === undefined || serverHello === undefined || suite === undefined || layout === undefined) {
      this.#undecryptableConnection('tls-no-handshake', 'encrypted records without a ClientHello and ServerHello seen: cannot decrypt', {});
      this.#undecryptable = true;
      return undefined;
    }
    const master = this.#findMaster(clientHello, serverHello, suite);
    if (master === undefined) {
      this.#noKey();
      return undefined;
    }
    this.#master = master;
    const { keyLog } = this.context;
    keyLog.rememberSession(serverHello.sessionId, master);
    if (this.#pendingTicket !== undefined) keyLog.rememberTicket(this.#pendingTicket, master);
    const { version } = serverHello;
    const block = keyBlock(version, suite.hash, master, clientHello.random, serverHello.random, 2 * (layout.macKey + layout.key + layout.iv));
    let offset = 0;
    const take = (length: number): Buffer => block.subarray(offset, (offset += length));
    const clientMac = take(layout.macKey);
    const serverMac = take(layout.macKey);
    const clientKey = take(layout.key);
    const serverKey = take(layout.key);
    const clientIv = take(layout.iv);
    const serverIv = take(layout.iv);
    const encryptThenMac = clientHello.encryptThenMac && serverHello.encryptThenMac;
    const client = tls12Decrypter(suite, version, { macKey: clientMac, key: clientKey, iv: clientIv }, encryptThenMac);
    const server = tls12Decrypter(suite, version, { macKey: serverMac, key: serverKey, iv: serverIv }, encryptThenMac);
    if (client === undefined || server === undefined) return undefined;
    this.#tls12Keys = { client, server };
    return this.#tls12Keys;
  }

  /** The master secret: logged by client random, from a logged premaster, or from the session this one resumes. */
  #findMaster(clientHello: ClientHello, serverHello: ServerHello, suite: CipherSuite): Buffer | undefined {
    const { keyLog } = this.context;
    const secrets = keyLog.secretsFor(clientHello.random);
    if (secrets?.masterSecret !== undefined) return secrets.masterSecret;
    const premaster = secrets?.premaster ?? (this.#encryptedPremaster !== undefined ? keyLog.rsaPremaster(this.#encryptedPremaster) : undefined);
    if (premaster !== undefined) {
      const sessionHash = serverHello.extendedMasterSecret && clientHello.extendedMasterSecret ? this.#sessionHashInput : undefined;
      return masterSecret(serverHello.version, suite.hash, premaster, clientHello.random, serverHello.random, sessionHash);
    }
    const resumedSession = clientHello.sessionId.length > 0 && clientHello.sessionId.equals(serverHello.sessionId);
    if (resumedSession) {
      const master = keyLog.sessionMaster(serverHello.sessionId);
      if (master !== undefined) return master;
    }
    return clientHello.sessionTicket !== undefined ? keyLog.ticketMaster(clientHello.sessionTicket) : undefined;
  }

  #noKey(): void {
    const random = this.#clientHello?.random.toString('hex') ?? '(no ClientHello)';
    this.#undecryptableConnection('tls-no-key', `no key for client random ${random.slice(0, 16)}…${this.#sniText()}`, {});
    this.#undecryptable = true;
  }

  /**
   * The one anomaly of a connection that will not be decrypted, at its ClientHello's frame, with
   * `server` (ip:port), `sni` and `clientRandom` (hex) as known, plus `extra` details.
   */
  #undecryptableConnection(code: AnomalyCode, message: string, extra: AnomalyDetails, at?: number): void {
    const hello = this.#clientHello;
    const details: AnomalyDetails = {
      server: endpointToString(this.info.server),
      ...(hello?.sni !== undefined && { sni: hello.sni }),
      ...(hello !== undefined && { clientRandom: hello.random.toString('hex') }),
      ...extra,
    };
    const frame = at ?? (hello !== undefined ? this.#clientHelloFrame : this.#frame);
    this.context.onAnomaly(anomaly({ code, severity: 'warning', message, file: this.context.file, frame, stream: this.info.index, details }));
  }

  #sniText(): string {
    const sni = this.#clientHello?.sni;
    return sni !== undefined ? `, SNI ${sni}` : ', no SNI';
  }

  #anomaly(code: AnomalyCode, severity: AnomalySeverity, detail: string, frame: number): void {
    this.context.onAnomaly(anomaly({ code, severity, message: detail, file: this.context.file, frame, stream: this.info.index }));
  }
}

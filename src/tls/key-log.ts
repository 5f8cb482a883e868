// KeyLog: TLS secrets from NSS key log text (SSLKEYLOGFILE, --keylog, pcapng DSBs), looked up per connection.
import type { Anomaly, AnomalySink } from '../model/index.js';
import { anomaly } from '../model/index.js';

/** The secrets a key log gives for one client random. */
export interface ClientRandomSecrets {
  masterSecret?: Buffer;
  /** PMS_CLIENT_RANDOM: the premaster secret, keyed by client random. */
  premaster?: Buffer;
  clientEarlyTraffic?: Buffer;
  clientHandshakeTraffic?: Buffer;
  serverHandshakeTraffic?: Buffer;
  clientTraffic0?: Buffer;
  serverTraffic0?: Buffer;
  exporter?: Buffer;
  earlyExporter?: Buffer;
}

const LABELS: Readonly<Record<string, keyof ClientRandomSecrets>> = {
  CLIENT_RANDOM: 'masterSecret',
  PMS_CLIENT_RANDOM: 'premaster',
  CLIENT_EARLY_TRAFFIC_SECRET: 'clientEarlyTraffic',
  CLIENT_HANDSHAKE_TRAFFIC_SECRET: 'clientHandshakeTraffic',
  SERVER_HANDSHAKE_TRAFFIC_SECRET: 'serverHandshakeTraffic',
  CLIENT_TRAFFIC_SECRET_0: 'clientTraffic0',
  SERVER_TRAFFIC_SECRET_0: 'serverTraffic0',
  EXPORTER_SECRET: 'exporter',
  EARLY_EXPORTER_SECRET: 'earlyExporter',
};

/**
 * Labels OpenSSL writes after a TLS 1.3 KeyUpdate (the latest traffic secret). Known, and not
 * needed: the next secrets are derived from `*_TRAFFIC_SECRET_0` as each KeyUpdate is seen.
 */
const DERIVED_LABELS: ReadonlySet<string> = new Set(['CLIENT_TRAFFIC_SECRET_N', 'SERVER_TRAFFIC_SECRET_N']);

/** Bad lines reported per loaded text; the rest are counted in one last warning. */
const MAX_LINE_WARNINGS = 10;

const HEX = /^[0-9a-fA-F]+$/;

/** Where key log text came from, for warnings. */
export interface KeyLogSource {
  /** The key log file, or the capture that embeds the secrets. */
  readonly file: string;
  /** For secrets embedded in a capture: the frame they precede. */
  readonly frame?: number;
}

/**
 * Secrets by client random (hex), RSA premasters by the first 8 bytes of the encrypted premaster,
 * and master secrets learnt in this capture by session id and by session ticket (for resumption).
 */
export class KeyLog {
  readonly #byClientRandom = new Map<string, ClientRandomSecrets>();
  readonly #rsaPremasters = new Map<string, Buffer>();
  readonly #bySessionId = new Map<string, Buffer>();
  readonly #byTicket = new Map<string, Buffer>();
  /** The key log lines as given, by client random (lower-case hex), to embed in an exported capture. */
  readonly #linesByClientRandom = new Map<string, string[]>();

  /** Number of client randoms and RSA entries known. */
  get size(): number {
    return this.#byClientRandom.size + this.#rsaPremasters.size;
  }

  /** Adds every valid line of NSS key log `text`; bad lines become warnings, never errors. */
  load(text: string, source: KeyLogSource, onAnomaly: AnomalySink): void {
    let bad = 0;
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '' || line.startsWith('#')) continue;
      const problem = this.#addLine(line);
      if (problem === undefined) {
        this.#keepLine(line);
        continue;
      }
      bad++;
      if (bad <= MAX_LINE_WARNINGS) onAnomaly(keyLogWarning(source, `line ${i + 1}: ${problem}`));
    }
    if (bad > MAX_LINE_WARNINGS) onAnomaly(keyLogWarning(source, `${bad - MAX_LINE_WARNINGS} more bad lines not listed`));
  }

  /** The NSS key log lines given for `clientRandom` (hex), in the order read: what decrypts that connection. */
  linesFor(clientRandom: string): readonly string[] {
    return this.#linesByClientRandom.get(clientRandom.toLowerCase()) ?? [];
  }

  #keepLine(line: string): void {
    const [label, first] = line.split(/\s+/);
    if (label === 'RSA' || first === undefined) return;
    const key = first.toLowerCase();
    const lines = this.#linesByClientRandom.get(key);
    if (lines === undefined) this.#linesByClientRandom.set(key, [line]);
    else if (!lines.includes(line)) lines.push(line);
  }

  secretsFor(clientRandom: Buffer): ClientRandomSecrets | undefined {
    return this.#byClientRandom.get(clientRandom.toString('hex'));
  }

  /** The premaster for an RSA key exchange, by the encrypted premaster (its first 8 bytes are the key). */
  rsaPremaster(encryptedPremaster: Buffer): Buffer | undefined {
    return this.#rsaPremasters.get(encryptedPremaster.subarray(0, 8).toString('hex'));
  }

  rememberSession(sessionId: Buffer, master: Buffer): void {
    if (sessionId.length > 0) this.#bySessionId.set(sessionId.toString('hex'), master);
  }

  rememberTicket(ticket: Buffer, master: Buffer): void {
    if (ticket.length > 0) this.#byTicket.set(ticket.toString('hex'), master);
  }

  sessionMaster(sessionId: Buffer): Buffer | undefined {
    return sessionId.length > 0 ? this.#bySessionId.get(sessionId.toString('hex')) : undefined;
  }

  ticketMaster(ticket: Buffer): Buffer | undefined {
    return ticket.length > 0 ? this.#byTicket.get(ticket.toString('hex')) : undefined;
  }

  /** Adds one non-comment line; returns what is wrong with it, if anything. */
  #addLine(line: string): string | undefined {
    const fields = line.split(/\s+/);
    const [label, first, second] = fields;
    if (fields.length !== 3 || label === undefined || first === undefined || second === undefined) {
      return `expected 3 fields (label, client random, secret), found ${fields.length}`;
    }
    if (!HEX.test(first) || !HEX.test(second) || first.length % 2 !== 0 || second.length % 2 !== 0) {
      return `${label}: values are not even-length hex`;
    }
    if (label === 'RSA') {
      if (first.length !== 16) return 'RSA: the encrypted premaster prefix must be 8 bytes (16 hex digits)';
      if (second.length !== 96) return 'RSA: the premaster secret must be 48 bytes (96 hex digits)';
      this.#rsaPremasters.set(first.toLowerCase(), Buffer.from(second, 'hex'));
      return undefined;
    }
    const field = LABELS[label];
    if (field === undefined && DERIVED_LABELS.has(label)) return undefined;
    if (field === undefined) return `unknown label ${label.slice(0, 40)}`;
    if (first.length !== 64) return `${label}: the client random must be 32 bytes (64 hex digits)`;
    if (field === 'masterSecret' && second.length !== 96) return 'CLIENT_RANDOM: the master secret must be 48 bytes (96 hex digits)';
    const key = first.toLowerCase();
    let secrets = this.#byClientRandom.get(key);
    if (secrets === undefined) {
      secrets = {};
      this.#byClientRandom.set(key, secrets);
    }
    secrets[field] = Buffer.from(second, 'hex');
    return undefined;
  }
}

function keyLogWarning(source: KeyLogSource, detail: string): Anomaly {
  const where = source.frame !== undefined ? `secrets before frame ${source.frame}` : 'key log';
  return anomaly({ code: 'keylog-bad-line', severity: 'warning', message: `${where}: ${detail}`, file: source.file, frame: source.frame });
}

// Reads a Fiddler session archive (.saz) into HttpExchanges, session by session, streaming each
// file out of the zip (yauzl) within per-file and total limits.
import type { Anomaly, AnomalyCode, AnomalySink, HttpExchange, Timestamp } from '../model/index.js';
import { anomaly, InputError } from '../model/index.js';
import { openInput, type InputFile } from './input-file.js';
import { openZip } from './zip-archive.js';
import { ZipEntryDamage, type ZipArchive, type ZipEntry } from './zip-entry.js';
import { sazSessions, type SazSessionFiles } from './saz-layout.js';
import { parseSazMetadata, type SazMetadata } from './saz-metadata.js';
import { SazSessionParser } from './saz-session.js';
import { sazExchange } from './saz-exchange.js';

/** Bounds on what one archive may make the reader unzip: a zip bomb meets these, never memory. */
export interface SazLimits {
  /** Entries listed from the central directory. */
  readonly maxEntries: number;
  /** Bytes unzipped from one request or response file; the rest of it is skipped. */
  readonly maxEntryBytes: number;
  /** Bytes unzipped from the whole archive; reading stops there. */
  readonly maxTotalBytes: number;
  /** Bytes of one `_m.xml` read (Fiddler's are a few kilobytes). */
  readonly maxMetadataBytes: number;
}

export const DEFAULT_SAZ_LIMITS: SazLimits = {
  maxEntries: 300_000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
  maxMetadataBytes: 1024 * 1024,
};

export interface SazReadOptions {
  readonly limits?: SazLimits;
  /** Stops before the next session; what was read is kept. */
  readonly signal?: AbortSignal;
  /** Where the archive's bytes are when not at its path (a live input's temporary copy). */
  readonly bytesAt?: string;
}

export interface SazFileSummary {
  /** Sessions in the archive (those with any of their files listed). */
  readonly sessions: number;
  readonly exchanges: number;
  /** True when the archive was cut short, a file in it was damaged, or a limit stopped reading. */
  readonly damaged: boolean;
}

/**
 * Hands each session of the .saz at `file` to `onExchange`, in file-number order. Throws
 * InputError when the zip is not a Fiddler archive ('unknown-format') or is password-protected
 * ('encrypted-archive'); damage inside the archive is an anomaly and reading goes on where it can.
 * Anomalies about one exchange are both in `exchange.anomalies` and sent to `onAnomaly`.
 */
export async function readSazFile(
  file: string | InputFile,
  onExchange: (ex: HttpExchange) => void,
  onAnomaly: AnomalySink,
  options: SazReadOptions = {},
): Promise<SazFileSummary> {
  const input = typeof file === 'string' ? await openInput(file, 'Fiddler archive') : file;
  const path = input.path;
  const limits = options.limits ?? DEFAULT_SAZ_LIMITS;
  const archive = await openZip(options.bytesAt ?? path, limits.maxEntries);
  try {
    const sessions = sazSessions(archive.entries);
    if (sessions === undefined) throw notASaz(path, archive);
    if (archive.entries.some((entry) => entry.encrypted)) {
      throw new InputError('encrypted-archive', 'password-protected Fiddler archive (its files are encrypted): save the sessions again in Fiddler without a password', path);
    }
    const reader = new SazSessionReader(path, archive, limits, onAnomaly);
    if (archive.damage !== undefined) reader.warn('saz-truncated', `damaged zip archive: ${archive.damage}; sessions after the damage are missing`);
    if (archive.tooManyEntries) reader.warn('saz-limit-reached', `more than ${limits.maxEntries} entries: the rest of the archive was not read`);
    let exchanges = 0;
    for (const session of sessions) {
      if (options.signal?.aborted || reader.exhausted) break;
      const exchange = await reader.read(session);
      if (exchange === undefined) continue;
      exchanges++;
      onExchange(exchange);
    }
    return { sessions: sessions.length, exchanges, damaged: reader.damaged };
  } finally {
    archive.close();
  }
}

function notASaz(path: string, archive: ZipArchive): InputError {
  if (archive.entries.length === 0 && archive.damage !== undefined) {
    return new InputError('unknown-format', `a damaged zip archive with no readable entry (${archive.damage}): not a capture`, path);
  }
  return new InputError('unknown-format', 'a zip archive but not a Fiddler session archive (.saz): it has no raw/NN_c.txt entries, so it is not a capture', path);
}

/** Reads sessions one by one, keeping the archive-wide byte budget and the per-client counts. */
class SazSessionReader {
  #unzipped = 0;
  #limitSaid = false;
  damaged = false;
  readonly #perClient = new Map<string, number>();

  constructor(
    private readonly path: string,
    private readonly archive: ZipArchive,
    private readonly limits: SazLimits,
    private readonly onAnomaly: AnomalySink,
  ) {}

  get exhausted(): boolean {
    return this.#unzipped >= this.limits.maxTotalBytes;
  }

  warn(code: 'saz-truncated' | 'saz-limit-reached', message: string): void {
    this.damaged = true;
    this.onAnomaly(anomaly({ code, severity: 'warning', message, file: this.path }));
  }

  async read(files: SazSessionFiles): Promise<HttpExchange | undefined> {
    const notes: Anomaly[] = [];
    let where = `raw/${files.number}`;
    const note = (code: AnomalyCode, severity: 'warning' | 'info', message: string, details?: Record<string, string>): void => {
      const found = anomaly({ code, severity, message: `${where}: ${message}`, file: this.path, details });
      notes.push(found);
      this.onAnomaly(found);
    };
    const metadata = await this.#metadata(files, (message) => note('saz-bad-metadata', 'warning', message));
    const session = metadata?.sid ?? Number(files.number);
    where = `session ${session} (raw/${files.number})`;
    if (metadata !== undefined && metadata.sid === undefined) note('saz-bad-metadata', 'warning', '_m.xml has no numeric SID: the file number stands in for it');
    if (files.request === undefined) {
      note('saz-missing-request', 'warning', 'no _c.txt request file: session skipped');
      return undefined;
    }
    const requestTime = metadata?.timers.get('ClientBeginRequest') ?? metadata?.timers.get('ClientConnected');
    if (metadata !== undefined && requestTime === undefined) note('saz-bad-metadata', 'warning', 'no ClientBeginRequest time: time set to 0');
    const start: Timestamp = requestTime ?? { sec: 0, nsec: 0 };
    const timers = metadata?.timers;
    const end = timers?.get('ServerDoneResponse') ?? timers?.get('ClientDoneResponse') ?? timers?.get('ServerBeginResponse') ?? start;
    const parser = new SazSessionParser(this.path, where, start, end);
    await this.#stream(files.request, '_c.txt', (chunk) => parser.request(chunk), note);
    if (files.response !== undefined && !this.exhausted) await this.#stream(files.response, '_s.txt', (chunk) => parser.response(chunk), note);
    const parsed = parser.finish();
    for (const found of parser.anomalies) this.onAnomaly(found);
    if (parsed.exchange === undefined) {
      note('saz-not-http', 'warning', '_c.txt does not hold an HTTP/1 request: session skipped');
      return undefined;
    }
    if (parsed.extraRequests > 0) note('saz-not-http', 'warning', `_c.txt holds ${parsed.extraRequests} more request(s) after the first: only the first is read`);
    if (parsed.exchange.response === undefined && !parsed.exchange.request.incomplete) note('saz-no-response', 'info', 'no response recorded');
    if (parsed.tunnel && metadata?.flags.has('x-no-decrypt')) {
      const server = parsed.exchange.request.uri;
      note('saz-tunnel-not-decrypted', 'info', `Fiddler did not decrypt the tunnel to ${server} (x-no-decrypt): the requests inside it are not in the archive`, { server });
    }
    const clientKey = `${metadata?.flags.get('x-clientip') ?? ''}|${metadata?.flags.get('x-clientport') ?? ''}`;
    const indexInStream = this.#perClient.get(clientKey) ?? 0;
    this.#perClient.set(clientKey, indexInStream + 1);
    return sazExchange(parsed.exchange, {
      file: this.path,
      session,
      metadata,
      indexInStream,
      anomalies: [...parser.anomalies, ...notes],
    });
  }

  /** The session's metadata, or undefined (said through `bad`) when it is missing or unreadable. */
  async #metadata(files: SazSessionFiles, bad: (message: string) => void): Promise<SazMetadata | undefined> {
    if (files.metadata === undefined) {
      bad('no _m.xml metadata file: no SID, time or addresses');
      return undefined;
    }
    const chunks: Buffer[] = [];
    const ok = await this.#stream(files.metadata, '_m.xml', (chunk) => chunks.push(chunk), (_code, _severity, message) => bad(message), this.limits.maxMetadataBytes);
    const metadata = ok ? parseSazMetadata(Buffer.concat(chunks).toString('utf8')) : undefined;
    if (ok && metadata === undefined) bad('_m.xml has no <Session> element');
    return metadata;
  }

  /** Streams one entry within the limits; false when it could not be read whole. */
  async #stream(
    entry: ZipEntry,
    suffix: string,
    onChunk: (chunk: Buffer) => void,
    note: (code: 'saz-damaged-entry' | 'saz-entry-too-large' | 'saz-limit-reached', severity: 'warning', message: string) => void,
    maxEntryBytes = this.limits.maxEntryBytes,
  ): Promise<boolean> {
    const budget = this.limits.maxTotalBytes - this.#unzipped;
    const cap = Math.min(maxEntryBytes, budget);
    try {
      const read = await this.archive.read(entry, cap, onChunk);
      this.#unzipped += read.bytes;
      if (!read.capped) return true;
      this.damaged = true;
      if (cap === budget && !this.#limitSaid) {
        this.#limitSaid = true;
        note('saz-limit-reached', 'warning', `${suffix}: the archive unzips to more than ${this.limits.maxTotalBytes} bytes: reading stopped here`);
      } else if (cap < budget) {
        note('saz-entry-too-large', 'warning', `${suffix} unzips to ${entry.uncompressedSize} bytes: only its first ${cap} were read`);
      }
      return false;
    } catch (error) {
      if (!(error instanceof ZipEntryDamage)) throw error;
      this.damaged = true;
      note('saz-damaged-entry', 'warning', `${suffix} is damaged (${error.message}): what came before the damage is used`);
      return false;
    }
  }
}

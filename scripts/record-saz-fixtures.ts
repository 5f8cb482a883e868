// Writes captures/saz/*.saz: Fiddler session archives in Fiddler's exact layout, each session cut
// from a recorded capture's TCP streams, zipped by Info-ZIP's `zip` (the system zip command).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Direction, HttpExchange, Timestamp } from '../src/model/index.js';
import { headerValue } from '../src/model/index.js';
import { HttpStreamParser } from '../src/http1/http-stream-parser.js';
import { PacketDecoder } from '../src/reassembly/packet-decoder.js';
import { TcpReassembler } from '../src/reassembly/tcp-reassembler.js';
import { openInput } from '../src/sources/input-file.js';
import { readPacketFile } from '../src/sources/packet-file.js';

const CAPTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'captures');
const SAZ_DIR = join(CAPTURES_DIR, 'saz');

/** One session as Fiddler saves it: the raw request (absolute-form) and response, and its metadata. */
export interface SazSession {
  readonly request: Buffer;
  readonly response?: Buffer;
  readonly metadataXml: string;
}

/** A capture's exchange with the exact bytes of its request and response as they crossed the wire. */
export interface RecordedExchange {
  readonly exchange: HttpExchange;
  readonly requestBytes: Buffer;
  readonly responseBytes?: Buffer;
}

interface Chunk {
  readonly frame: number;
  readonly bytes: Buffer;
}

/**
 * Every exchange of `pcap` with the bytes of its request and response: the stream's bytes of the
 * frames from the message's first frame to its last (the fixtures send one message per segment
 * run, never two messages in one segment; the tests check each session against the capture).
 */
export async function recordedExchanges(pcap: string): Promise<RecordedExchange[]> {
  const exchanges: HttpExchange[] = [];
  const chunks = new Map<number, Record<Direction, Chunk[]>>();
  const fail = (anomaly: { message: string }): void => {
    throw new Error(`${pcap}: ${anomaly.message}`);
  };
  const reassembler = new TcpReassembler({
    file: pcap,
    onAnomaly: fail,
    open: (info) => {
      const parser = new HttpStreamParser(info, { origin: { kind: 'pcap', file: pcap }, onExchange: (ex) => exchanges.push(ex), onAnomaly: fail });
      const byDirection: Record<Direction, Chunk[]> = { client: [], server: [] };
      chunks.set(info.index, byDirection);
      return {
        data(direction, bytes, frame, time) {
          byDirection[direction].push({ frame, bytes: Buffer.from(bytes) });
          return parser.data(direction, bytes, frame, time);
        },
        gap: (direction, missing, frame, time) => parser.gap(direction, missing, frame, time),
        end: () => parser.end(),
      };
    },
  });
  const decoder = new PacketDecoder((segment) => reassembler.segment(segment), fail, pcap);
  await readPacketFile(await openInput(pcap), { frame: (frame) => decoder.decode(frame), anomaly: fail, secrets() {}, start() {} });
  decoder.finish();
  reassembler.finish();
  const bytesOf = (stream: number, direction: Direction, first: number | undefined, last: number | undefined): Buffer =>
    Buffer.concat((chunks.get(stream)?.[direction] ?? []).filter((c) => c.frame >= (first ?? 0) && c.frame <= (last ?? 0)).map((c) => c.bytes));
  return exchanges.map((exchange) => ({
    exchange,
    requestBytes: bytesOf(exchange.stream!, 'client', exchange.request.firstFrame, exchange.request.frame),
    ...(exchange.response && { responseBytes: bytesOf(exchange.stream!, 'server', exchange.response.firstFrame, exchange.response.frame) }),
  }));
}

/** The request as Fiddler writes it in `_c.txt`: the request line in absolute form. */
export function absoluteFormRequest(recorded: RecordedExchange): Buffer {
  const { request } = recorded.exchange;
  const lineEnd = recorded.requestBytes.indexOf('\r\n');
  const host = headerValue(request.headers, 'host') ?? recorded.exchange.server.ip;
  const line = `${request.method} ${recorded.exchange.scheme}://${host}${request.uri} ${request.version}`;
  return Buffer.concat([Buffer.from(line, 'latin1'), recorded.requestBytes.subarray(lineEnd)]);
}

/** A .NET round-trip time ("o" format) at UTC+01:00, as Fiddler writes timers in local time. */
export function fiddlerTime(t: Timestamp): string {
  const local = new Date((t.sec + 3600) * 1000).toISOString().slice(0, 19);
  return `${local}.${String(Math.floor(t.nsec / 100)).padStart(7, '0')}+01:00`;
}

const xmlEscape = (text: string): string => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `raw/NN_m.xml` as Fiddler writes it (SessionTimers attributes in Fiddler's order, then PipeInfo, then SessionFlags). */
export function metadataXml(sid: number, timers: { begin: Timestamp; done: Timestamp }, flags: ReadonlyArray<readonly [string, string]>): string {
  const begin = fiddlerTime(timers.begin);
  const done = fiddlerTime(timers.done);
  const timerAttributes: Array<[string, string]> = [
    ['ClientConnected', begin], ['ClientBeginRequest', begin], ['GotRequestHeaders', begin], ['ClientDoneRequest', begin],
    ['GatewayTime', '0'], ['DNSTime', '0'], ['TCPConnectTime', '0'], ['HTTPSHandshakeTime', '0'],
    ['ServerConnected', begin], ['FiddlerBeginRequest', begin], ['ServerGotRequest', begin], ['ServerBeginResponse', done],
    ['GotResponseHeaders', done], ['ServerDoneResponse', done], ['ClientBeginResponse', done], ['ClientDoneResponse', done],
  ];
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<Session SID="${sid}" BitFlags="0">`,
    `  <SessionTimers ${timerAttributes.map(([name, value]) => `${name}="${value}"`).join(' ')} />`,
    '  <PipeInfo CltReuse="true" />',
    '  <SessionFlags>',
    ...flags.map(([name, value]) => `    <SessionFlag N="${xmlEscape(name)}" V="${xmlEscape(value)}" />`),
    '  </SessionFlags>',
    '</Session>',
    '',
  ].join('\r\n');
}

/** The Fiddler session of a recorded exchange, with SID `sid`. */
export function sessionOf(recorded: RecordedExchange, sid: number): SazSession {
  const { exchange } = recorded;
  const flags: Array<[string, string]> = [
    ['x-clientip', exchange.client?.ip ?? ''],
    ['x-clientport', String(exchange.client?.port ?? 0)],
    ['x-hostip', exchange.server.ip],
    ['x-egressport', String(40000 + sid)],
    ['x-responsebodytransferlength', String(exchange.response?.body.wireLength ?? 0)],
    ['x-processinfo', 'oauth-inspect-fixture:4242'],
  ];
  const done = exchange.response?.time ?? exchange.request.time;
  return {
    request: absoluteFormRequest(recorded),
    ...(recorded.responseBytes && { response: recorded.responseBytes }),
    metadataXml: metadataXml(sid, { begin: exchange.request.time, done }, flags),
  };
}

/** Fiddler's `[Content_Types].xml` (Open Packaging Conventions), added in Fiddler 2.4.0.9. */
const CONTENT_TYPES =
  '<?xml version="1.0" encoding="utf-8" ?>\r\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\r\n' +
  '<Default Extension="htm" ContentType="text/html" />\r\n<Default Extension="xml" ContentType="application/xml" />\r\n' +
  '<Default Extension="txt" ContentType="text/plain" />\r\n</Types>';

/** `_index.htm`: the human-readable session list Fiddler adds (never read back). */
function indexHtml(sessions: readonly SazSession[]): string {
  const rows = sessions.map((session, i) => {
    const line = session.request.subarray(0, Math.max(0, session.request.indexOf('\r\n'))).toString('latin1');
    return `<tr><td>${i + 1}</td><td>${xmlEscape(line)}</td></tr>`;
  });
  return `<html><head><title>Session archive</title></head><body><table><thead><tr><th>#</th><th>Request</th></tr></thead><tbody>\r\n${rows.join('\r\n')}\r\n</tbody></table></body></html>`;
}

/** A fixed modification time, so the same sessions give the same archive bytes. */
const FIXED_MTIME = new Date('2026-01-01T00:00:00Z');

/**
 * Writes `sessions` as a .saz at `target` with the system `zip` (deflate, no extra attributes):
 * `[Content_Types].xml`, `_index.htm`, then per session `raw/NN_c.txt`, `raw/NN_m.xml`,
 * `raw/NN_s.txt`, where NN is the 1-based position zero-padded to the width of the count.
 */
export function writeSaz(target: string, sessions: readonly SazSession[]): void {
  const work = mkdtempSync(join(tmpdir(), 'saz-'));
  try {
    mkdirSync(join(work, 'raw'));
    const names: string[] = ['[Content_Types].xml', '_index.htm'];
    writeFileSync(join(work, names[0]!), CONTENT_TYPES);
    writeFileSync(join(work, names[1]!), indexHtml(sessions));
    const width = String(sessions.length).length;
    sessions.forEach((session, i) => {
      const number = String(i + 1).padStart(width, '0');
      const files: Array<[string, Buffer | string | undefined]> = [
        [`raw/${number}_c.txt`, session.request],
        [`raw/${number}_m.xml`, session.metadataXml],
        [`raw/${number}_s.txt`, session.response],
      ];
      for (const [name, content] of files) {
        if (content === undefined) continue;
        writeFileSync(join(work, name), content);
        names.push(name);
      }
    });
    for (const name of [...names, 'raw']) utimesSync(join(work, name), FIXED_MTIME, FIXED_MTIME);
    rmSync(target, { force: true });
    execFileSync('zip', ['-X', '-D', '-q', '-9', target, ...names], { cwd: work, env: { ...process.env, TZ: 'UTC' } });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Each archive and the captures its sessions come from, in order. */
export const SAZ_FIXTURES: ReadonlyArray<{ readonly name: string; readonly pcaps: readonly string[]; readonly about: string }> = [
  { name: 's2s-good.saz', pcaps: ['s2s-good.pcap'], about: 'the S2S discovery 401 and the accepted actor token' },
  { name: 'basic-auth.saz', pcaps: ['basic-auth.pcap'], about: 'HTTP Basic credentials on EWS' },
  { name: 'ntlm-handshake.saz', pcaps: ['ntlm-handshake.pcap'], about: 'an NTLM negotiate/challenge/authenticate handshake' },
  { name: 'token-endpoint.saz', pcaps: ['token-endpoint.pcap'], about: 'client-credential requests to the token endpoint' },
  {
    name: 'fiddler-mixed.saz',
    pcaps: ['s2s-good.pcap', 'basic-auth.pcap', 'ntlm-handshake.pcap', 'token-endpoint.pcap', 'chunked-gzip.pcap', 'head-304-100.pcap', 'close-delimited.pcap'],
    about: 'the sessions of seven captures in one archive (chunked, gzip, br, deflate, HEAD, 304, 100-continue, close-delimited), numbered 01 to 16',
  },
];

/** SIDs as Fiddler numbers sessions in a running instance: increasing, with gaps, never the file number. */
export const sidOf = (position: number): number => 100 + 3 * position;

export async function recordSazFixtures(): Promise<string[]> {
  mkdirSync(SAZ_DIR, { recursive: true });
  const lines: string[] = [];
  for (const fixture of SAZ_FIXTURES) {
    const recorded = (await Promise.all(fixture.pcaps.map((pcap) => recordedExchanges(join(CAPTURES_DIR, pcap))))).flat();
    const sessions = recorded.map((one, i) => sessionOf(one, sidOf(i)));
    writeSaz(join(SAZ_DIR, fixture.name), sessions);
    lines.push(`- \`${fixture.name}\`: ${fixture.about}; from ${fixture.pcaps.map((p) => `\`${p}\``).join(', ')}, ${sessions.length} sessions.`);
  }
  writeFileSync(
    join(SAZ_DIR, 'README.md'),
    [
      '# Fiddler session archives (.saz)',
      '',
      'Written by `npm run record:saz` (scripts/record-saz-fixtures.ts) from the recorded captures in',
      '`captures/`: each session holds the exact request and response bytes of one exchange of the capture,',
      'cut from its TCP stream, with the request line rewritten to absolute form as Fiddler writes it. The',
      'archives follow Fiddler\'s layout: `[Content_Types].xml`, `_index.htm`, and per session',
      '`raw/NN_c.txt`, `raw/NN_m.xml`, `raw/NN_s.txt`, NN zero-padded to the width of the session count.',
      'SIDs are 100, 103, 106, … (never the file number); `ClientBeginRequest` is the request\'s capture',
      'time written at UTC+01:00; `x-clientip`/`x-clientport`/`x-hostip` are the capture\'s endpoints.',
      'Zipped with Info-ZIP `zip -X -D -9` at a fixed modification time.',
      '',
      ...lines,
      '',
    ].join('\n'),
  );
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  recordSazFixtures().then(
    (lines) => console.log(lines.join('\n')),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 1;
    },
  );
}

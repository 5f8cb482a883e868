// Records the HTTP/2 fixtures: curl and a small HPACK-indexing client against Node's http2 server (TLS h2, h2c) and an Upgrade: h2c server, under tcpdump.
// Usage: npx tsx scripts/record-h2-captures.ts [NAME…]   (needs root for tcpdump; writes captures/http2/)
// Tokens: the seed S2S tokens of captures/s2s-good.pcap and s2s-app-only.pcap (signed by the key behind
// captures/keys/oauth-test-cert.pem, which exists only while `npm run record` runs); run this right after it,
// so the tokens are within their lifetime at the capture time.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createSecureServer, createServer as createH2cServer, type Http2Server, type Http2SecureServer, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { FrameFlag, FrameType, dataFrames, frame, headerFrames, HpackEncoder, PREFACE, settingsFrame } from './fixture-server/h2-wire.js';

export const H2_FIXTURE_DIR = fileURLToPath(new URL('../captures/http2/', import.meta.url));
const CAPTURES_DIR = fileURLToPath(new URL('../captures/', import.meta.url));
export const H2_TLS_PORT = 18444;
export const H2C_PORT = 18081;
export const H2C_UPGRADE_PORT = 18082;
const HOST = 'mail.contoso.test';
const REALM = '5de110f8-2e0f-4d45-891d-bcf2218e253d';
const EWS = '/EWS/Exchange.asmx';
const SOAP = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetFolder/></soap:Body></soap:Envelope>';
const CHALLENGE = `Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@${REALM}"`;

interface Tokens {
  /** Skype for Business -> Exchange user-context token (unsigned outer, RS256 actor) of captures/s2s-good.pcap. */
  readonly seed: string;
  /** ACS app-only token of captures/s2s-app-only.pcap. */
  readonly appOnly: string;
}

export interface H2Scenario {
  readonly name: string;
  readonly what: string;
  readonly run: (tokens: Tokens, keyLog: string) => Promise<void>;
  /** Keys embedded in a pcapng (editcap --inject-secrets) instead of a .keys file beside the capture. */
  readonly embedSecrets?: boolean;
}

const tls = (url: string): string => `https://${HOST}:${H2_TLS_PORT}${url}`;
const resolve = ['--resolve', `${HOST}:${H2_TLS_PORT}:127.0.0.1`, '--resolve', `${HOST}:${H2C_PORT}:127.0.0.1`, '--resolve', `${HOST}:${H2C_UPGRADE_PORT}:127.0.0.1`];

export const H2_SCENARIOS: readonly H2Scenario[] = [
  {
    name: 'h2-tls13-curl',
    what: 'curl --http2 over TLS 1.3 (ALPN h2): the empty-Bearer probe (401 with the challenge), then the seed S2S token on a SOAP POST (200, gzip response) and the app-only token on a GET, three streams on one connection.',
    run: (t, keyLog) =>
      curl(keyLog, [
        '--http2', '--tlsv1.3', '-H', 'Authorization: Bearer', tls(EWS),
        '--next', '--http2', '--tlsv1.3', '-k', ...resolve, '--compressed', '-H', `Authorization: Bearer ${t.seed}`, '-H', 'Content-Type: text/xml; charset=utf-8', '--data-binary', SOAP, tls(EWS),
        '--next', '--http2', '--tlsv1.3', '-k', ...resolve, '-H', `Authorization: Bearer ${t.appOnly}`, tls(`${EWS}?app=1`),
      ]),
  },
  {
    name: 'h2-tls12-curl',
    what: 'curl --http2 --tls-max 1.2 (TLS 1.2, ECDHE-RSA-AES128-GCM-SHA256, ALPN h2): three GETs with the seed token multiplexed at once (-Z), interleaved streams 1, 3, 5.',
    run: (t, keyLog) =>
      curl(keyLog, ['--http2', '--tlsv1.2', '--tls-max', '1.2', '-Z', '--parallel-max', '3', '-H', `Authorization: Bearer ${t.seed}`, tls(`${EWS}?a=1`), tls(`${EWS}?b=2`), tls(`${EWS}?c=3`)]),
  },
  {
    name: 'h2c-prior-knowledge',
    what: 'curl --http2-prior-knowledge to http://…:18081 (h2c, no TLS): the empty-Bearer probe (401), then the seed token (200), one connection each (curl 7.88 cannot reuse an h2c prior-knowledge connection).',
    run: async (t, keyLog) => {
      await curl(keyLog, ['--http2-prior-knowledge', '-H', 'Authorization: Bearer', `http://${HOST}:${H2C_PORT}${EWS}`]);
      await curl(keyLog, ['--http2-prior-knowledge', '-H', `Authorization: Bearer ${t.seed}`, `http://${HOST}:${H2C_PORT}${EWS}?second=1`]);
    },
  },
  {
    name: 'h2c-upgrade',
    what: 'curl --http2 to http://…:18082: an HTTP/1.1 GET with the seed token and `Upgrade: h2c`, answered `101 Switching Protocols`; its 200 comes on HTTP/2 stream 1 (the server answers the upgrade itself: Node\'s http2 has no h2c Upgrade).',
    run: (t, keyLog) => curl(keyLog, ['--http2', '-H', `Authorization: Bearer ${t.seed}`, `http://${HOST}:${H2C_UPGRADE_PORT}${EWS}`]),
  },
  {
    name: 'h2-indexed-authorization',
    what: 'A small client of our own over TLS 1.3 (ALPN h2) that indexes `authorization` as a browser does: stream 1 sends it as a literal with incremental indexing between two cookies of 15 and 18 KB: the block needs two CONTINUATION frames, the token straddles the HEADERS/CONTINUATION boundary, and the block is written in three pieces (TCP segments and TLS records split inside the token); stream 3 sends it as an indexed field, one byte on the wire; both 200.',
    run: (t, keyLog) => indexingClient(t, keyLog),
  },
  {
    name: 'h2-and-http1',
    what: 'Two TLS 1.3 connections in one capture, key log embedded (pcapng): curl --http2 (ALPN h2) with the seed token, and curl --http1.1 (ALPN http/1.1) with the app-only token.',
    embedSecrets: true,
    run: async (t, keyLog) => {
      await curl(keyLog, ['--http2', '--tlsv1.3', '-H', `Authorization: Bearer ${t.seed}`, tls(`${EWS}?h2=1`)]);
      await curl(keyLog, ['--http1.1', '--tlsv1.3', '-H', `Authorization: Bearer ${t.appOnly}`, tls(`${EWS}?http1=1`)]);
    },
  },
];

/** The tshark command that lists each HEADERS and CONTINUATION frame of a fixture (frame, tcp.stream, HTTP/2 stream, method, path, fields) and each HTTP/1.1 request. */
export function h2TsharkArgs(capture: string, keyLog?: string): string[] {
  return [
    '-r', capture,
    ...(keyLog !== undefined ? ['-o', `tls.keylog_file:${keyLog}`] : []),
    '-o', 'tcp.reassemble_out_of_order:TRUE',
    '-d', `tcp.port==${H2C_PORT},http2`,
    '-d', `tcp.port==${H2C_UPGRADE_PORT},http`,
    '-Y', 'http2.type==1 || http2.type==9 || http.request',
    '-T', 'json',
    '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'http2.streamid', '-e', 'http2.type', '-e', 'http2.headers.method', '-e', 'http2.headers.path',
    '-e', 'http2.header.name', '-e', 'http2.header.value', '-e', 'http.request.method', '-e', 'http.request.uri',
  ];
}

export function h2Tshark(capture: string, keyLog?: string): string {
  return execFileSync('tshark', h2TsharkArgs(capture, keyLog), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
}

/** The seed tokens, read from the HTTP/1.1 fixtures with tshark. */
function seedTokens(): Tokens {
  const bearer = (capture: string): string[] =>
    execFileSync('tshark', ['-r', join(CAPTURES_DIR, capture), '-d', 'tcp.port==18080,http', '-Y', 'http.authorization', '-T', 'fields', '-e', 'http.authorization'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => /^Bearer eyJ/.test(line))
      .map((line) => line.slice('Bearer '.length));
  const seed = bearer('s2s-good.pcap')[0];
  const appOnly = bearer('s2s-app-only.pcap')[0];
  if (seed === undefined || appOnly === undefined) throw new Error('no seed tokens in captures/s2s-good.pcap and s2s-app-only.pcap');
  return { seed, appOnly };
}

/** Exchange-like: 401 with the Bearer challenge without a token, 200 with a SOAP body (gzip when asked) otherwise. */
function answer(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
  stream.resume();
  stream.on('end', () => {
    const auth = headers.authorization ?? '';
    if (auth === '' || auth.trim() === 'Bearer') {
      stream.respond({ ':status': 401, 'www-authenticate': CHALLENGE, 'content-length': 0 }, { endStream: true });
      return;
    }
    const body = Buffer.from('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetFolderResponse/></s:Body></s:Envelope>');
    const gzip = /\bgzip\b/.test(String(headers['accept-encoding'] ?? ''));
    stream.respond({ ':status': 200, 'content-type': 'text/xml; charset=utf-8', ...(gzip && { 'content-encoding': 'gzip' }) });
    stream.end(gzip ? gzipSync(body) : body);
  });
}

function startServers(key: Buffer, cert: Buffer): Promise<Array<Http2SecureServer | Http2Server | NetServer>> {
  const secure = createSecureServer({ key, cert, allowHTTP1: true, settings: { maxHeaderListSize: 1024 * 1024 }, ciphers: 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:ECDHE-RSA-AES128-GCM-SHA256' }, (req, res) => {
    // HTTP/1.1 requests (ALPN http/1.1) through the compatibility API.
    if (req.httpVersion === '2.0') return;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
      res.end('<s:Envelope/>');
    });
  });
  secure.on('stream', answer);
  const h2c = createH2cServer();
  h2c.on('stream', answer);
  const upgrade = createNetServer(upgradeConnection);
  const listen = (server: Http2SecureServer | Http2Server | NetServer, port: number): Promise<void> =>
    new Promise((done, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => done());
    });
  return Promise.all([listen(secure, H2_TLS_PORT), listen(h2c, H2C_PORT), listen(upgrade, H2C_UPGRADE_PORT)]).then(() => [secure, h2c, upgrade]);
}

/** Answers `Upgrade: h2c` itself: 101, then SETTINGS and the response on stream 1, then GOAWAY. */
function upgradeConnection(socket: Socket): void {
  let head = Buffer.alloc(0);
  let answered = false;
  socket.on('error', () => socket.destroy());
  socket.on('data', (bytes: Buffer) => {
    if (answered) {
      // The client's preface and SETTINGS: acknowledge them once, then let the client finish.
      if (bytes.includes(PREFACE.subarray(0, 4))) socket.write(frame(FrameType.SETTINGS, FrameFlag.ACK, 0));
      return;
    }
    head = Buffer.concat([head, bytes]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    answered = true;
    const text = head.subarray(0, end).toString('latin1');
    const auth = /^authorization:[ \t]*(.*)$/im.exec(text)?.[1]?.trim() ?? '';
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n');
    const encoder = new HpackEncoder();
    const body = Buffer.from('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>');
    const ok = auth !== '' && auth !== 'Bearer';
    const block = encoder.encode(ok ? [[':status', '200'], ['content-type', 'text/xml; charset=utf-8'], ['content-length', String(body.length)]] : [[':status', '401'], ['www-authenticate', CHALLENGE]]);
    socket.write(Buffer.concat([settingsFrame([[3, 100]]), ...headerFrames(1, block, !ok), ...(ok ? dataFrames(1, body, true) : [])]));
    setTimeout(() => socket.end(frame(FrameType.GOAWAY, 0, 0, Buffer.alloc(8))), 300);
  });
}

/**
 * Our own client: preface, SETTINGS, then stream 1 with `authorization` as a literal with
 * incremental indexing and a 20 KB cookie (HEADERS + 2 CONTINUATION), then stream 3 where
 * `authorization` is the indexed field; each waits for the server's answer. TLS 1.3, key log written.
 */
async function indexingClient(tokens: Tokens, keyLog: string): Promise<void> {
  const socket = tlsConnect({ host: '127.0.0.1', port: H2_TLS_PORT, servername: HOST, ALPNProtocols: ['h2'], rejectUnauthorized: false, minVersion: 'TLSv1.3' });
  socket.setNoDelay(true);
  socket.on('keylog', (line: Buffer) => writeFileSync(keyLog, line, { flag: 'a' }));
  await new Promise<void>((done, fail) => {
    socket.once('secureConnect', () => done());
    socket.once('error', fail);
  });
  let received = Buffer.alloc(0);
  const endedStreams = new Set<number>();
  const seen: string[] = [];
  socket.on('data', (bytes: Buffer) => {
    received = Buffer.concat([received, bytes]);
    while (received.length >= 9) {
      const length = received.readUIntBE(0, 3);
      if (received.length < 9 + length) break;
      const [type, flags, streamId] = [received[3]!, received[4]!, received.readUInt32BE(5) & 0x7fffffff];
      seen.push(`${type}/${flags}/${streamId}`);
      if (type === FrameType.SETTINGS && (flags & FrameFlag.ACK) === 0) socket.write(frame(FrameType.SETTINGS, FrameFlag.ACK, 0));
      if ((type === FrameType.HEADERS || type === FrameType.DATA) && flags & FrameFlag.END_STREAM) endedStreams.add(streamId);
      received = received.subarray(9 + length);
    }
  });
  const answered = async (streamId: number): Promise<void> => {
    for (let waited = 0; !endedStreams.has(streamId); waited += 20) {
      if (waited > 5000) throw new Error(`no answer on stream ${streamId} (frames received: ${seen.join(' ')})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const encoder = new HpackEncoder();
  type Fields = Parameters<HpackEncoder['encode']>[0];
  const request = (path: string, before: Fields, after: Fields): Buffer =>
    encoder.encode([
      { name: ':method', value: 'GET' },
      { name: ':scheme', value: 'https' },
      { name: ':authority', value: `${HOST}:${H2_TLS_PORT}`, coding: 'incremental' },
      { name: ':path', value: path, huffman: true },
      ...before,
      { name: 'authorization', value: `Bearer ${tokens.seed}`, coding: 'index' },
      ...after,
      { name: 'user-agent', value: 'oauth-inspect-fixture/1.0', huffman: true },
    ]);
  socket.write(Buffer.concat([PREFACE, settingsFrame([[1, 4096], [2, 0]])]));
  // The server's SETTINGS first: its ACK must not land inside the header block written below in pieces.
  for (let waited = 0; !seen.includes('4/0/0'); waited += 20) {
    if (waited > 5000) throw new Error('no SETTINGS from the server');
    await new Promise((r) => setTimeout(r, 20));
  }
  // Two cookie fields of 18 KB (nghttp2 refuses a single field over 32 KB).
  // Cookies (nghttp2 refuses a single field over 32 KB) before and after the token: the token straddles
  // the HEADERS/CONTINUATION boundary at 16384 bytes, and the block needs two CONTINUATION frames.
  const cookie = (name: string, length: number): Fields[number] => ({ name: 'cookie', value: `${name}=${'S-1-5-21-contoso='.repeat(Math.ceil(length / 17))}`.slice(0, length), coding: 'without-indexing' });
  const first = Buffer.concat(headerFrames(1, request(EWS, [cookie('X-BackEndCookie', 15_500)], [cookie('X-OWA-CANARY', 18_000)]), true));
  // Written in pieces with pauses: the block spans TCP segments and TLS records, and the token straddles a piece.
  const tokenAt = first.indexOf(tokens.seed.slice(0, 40));
  for (const [start, end] of [[0, tokenAt + 100], [tokenAt + 100, 20_000], [20_000, first.length]] as const) {
    socket.write(first.subarray(start, end));
    await new Promise((r) => setTimeout(r, 30));
  }
  await answered(1);
  socket.write(Buffer.concat(headerFrames(3, request(`${EWS}?indexed=1`, [], []), true)));
  await answered(3);
  socket.end(frame(FrameType.GOAWAY, 0, 0, Buffer.alloc(8)));
  await new Promise((r) => setTimeout(r, 200));
}

function curl(keyLog: string, args: string[]): Promise<void> {
  const child = spawn('curl', ['-sS', '--no-progress-meter', '-o', '/dev/null', '-k', ...resolve, ...args], { env: { ...process.env, SSLKEYLOGFILE: keyLog }, stdio: ['ignore', 'ignore', 'inherit'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((done, fail) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) done();
      else fail(new Error(`curl exited with ${code}`));
    });
  });
}

function startTcpdump(file: string): Promise<{ stop(): Promise<void> }> {
  const child: ChildProcess = spawn('tcpdump', ['-i', 'lo', '-U', '--immediate-mode', '-Z', 'root', '-s', '0', '-w', file, `tcp port ${H2_TLS_PORT} or tcp port ${H2C_PORT} or tcp port ${H2C_UPGRADE_PORT}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const stop = async (): Promise<void> => {
    await new Promise((r) => setTimeout(r, 400));
    child.kill('SIGINT');
    await exited;
  };
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`tcpdump did not start: ${stderr}`));
    }, 10_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      stderr += text;
      if (/listening on/.test(stderr)) {
        clearTimeout(timer);
        done({ stop });
      }
    });
  });
}

async function record(scenario: H2Scenario, tokens: Tokens, work: string): Promise<void> {
  const keyLog = join(work, `${scenario.name}.keys`);
  writeFileSync(keyLog, '');
  const raw = join(work, `${scenario.name}.pcap`);
  const capture = await startTcpdump(raw);
  try {
    await scenario.run(tokens, keyLog);
  } finally {
    await capture.stop();
  }
  const out = (file: string): string => join(H2_FIXTURE_DIR, file);
  const hasKeys = readFileSync(keyLog, 'utf8').trim() !== '';
  if (scenario.embedSecrets) {
    execFileSync('editcap', ['--inject-secrets', `tls,${keyLog}`, raw, out(`${scenario.name}.pcapng`)]);
    writeFileSync(out(`${scenario.name}.tshark.json`), h2Tshark(out(`${scenario.name}.pcapng`)));
  } else {
    writeFileSync(out(`${scenario.name}.pcap`), readFileSync(raw));
    if (hasKeys) writeFileSync(out(`${scenario.name}.keys`), readFileSync(keyLog));
    writeFileSync(out(`${scenario.name}.tshark.json`), h2Tshark(out(`${scenario.name}.pcap`), hasKeys ? out(`${scenario.name}.keys`) : undefined));
  }
  console.log(`recorded ${scenario.name}`);
}

/** captures/http2/README.md: what each fixture shows and the tshark command behind its .tshark.json. */
export function h2Readme(): string {
  const rows = H2_SCENARIOS.map((scenario) => {
    const file = `${scenario.name}.${scenario.embedSecrets ? 'pcapng' : 'pcap'}`;
    const keys = scenario.embedSecrets ? 'embedded' : scenario.name.startsWith('h2c') ? '— (cleartext)' : `\`${scenario.name}.keys\``;
    return `| \`${file}\` | ${scenario.what} | ${keys} |`;
  });
  const command = h2TsharkArgs('captures/http2/h2-tls13-curl.pcap', 'captures/http2/h2-tls13-curl.keys').map((arg) => (/^[\w./:=,-]+$/.test(arg) ? arg : `'${arg}'`)).join(' ');
  return [
    '# HTTP/2 fixture captures',
    '',
    'Real loopback traffic recorded by `scripts/record-h2-captures.ts` (run it as root right after `npm run record`):',
    `Node's \`http2\` server (TLS with ALPN h2 and http/1.1 on port ${H2_TLS_PORT}, h2c prior knowledge on ${H2C_PORT}), a`,
    `small server that answers \`Upgrade: h2c\` itself on ${H2C_UPGRADE_PORT}, curl 7.88 (nghttp2) and a client of our own that`,
    'writes HPACK with `authorization` indexed. The tokens are the seed S2S tokens of `../s2s-good.pcap` (user context:',
    'unsigned outer token with an RS256 actor token signed by `../keys/oauth-test-cert`) and `../s2s-app-only.pcap`',
    '(app-only), sent within their lifetime: the Exchange-like server answers 200, so no token rule fires; the h2c',
    'captures are plain HTTP, where `cleartext-credential` fires as it does on HTTP/1.1.',
    '',
    '| capture | what it shows | TLS keys |',
    '|---|---|---|',
    ...rows,
    '',
    '`<name>.tshark.json` is tshark\'s reading of each capture, for `test/http2/tshark-agreement.test.ts`; for',
    '`h2-tls13-curl.pcap`:',
    '',
    '```sh',
    `tshark ${command}`,
    '```',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const tokens = seedTokens();
  const work = mkdtempSync(join(tmpdir(), 'h2-fixtures-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', `/CN=${HOST}`, '-addext', `subjectAltName=DNS:${HOST}`, '-keyout', join(work, 'server.key'), '-out', join(work, 'server.crt')], { stdio: 'ignore' });
    const servers = await startServers(readFileSync(join(work, 'server.key')), readFileSync(join(work, 'server.crt')));
    try {
      const only = process.argv.slice(2);
      for (const scenario of H2_SCENARIOS) if (only.length === 0 || only.includes(scenario.name)) await record(scenario, tokens, work);
      writeFileSync(join(H2_FIXTURE_DIR, 'README.md'), h2Readme());
    } finally {
      for (const server of servers) server.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();

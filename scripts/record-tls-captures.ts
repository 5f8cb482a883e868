// Records the TLS fixtures: curl (with SSLKEYLOGFILE) against a local HTTPS Exchange-like server, under tcpdump.
// Usage: npx tsx scripts/record-tls-captures.ts   (needs root for tcpdump; writes captures/tls-decryption/)
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TLS_FIXTURE_PORT = 18443;
export const TLS_FIXTURE_DIR = fileURLToPath(new URL('../captures/tls-decryption/', import.meta.url));
const HOST = 'mail.contoso.test';
const REALM = '5de110f8-2e0f-4d45-891d-bcf2218e253d';
const EWS = `https://${HOST}:${TLS_FIXTURE_PORT}/EWS/Exchange.asmx`;

export interface TlsScenario {
  readonly name: string;
  readonly what: string;
  /** curl arguments besides the key log, --resolve and -k. */
  readonly curl: readonly string[];
  /** Keys embedded in a pcapng with editcap instead of a separate key log. */
  readonly embedSecrets?: boolean;
  /** Use `openssl s_client` instead of curl, sending a TLS 1.3 KeyUpdate before the request. */
  readonly keyUpdate?: boolean;
}

const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned S2S-shaped token (alg none): the fixtures are about transport, not signatures. */
function bearerToken(): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    aud: `00000002-0000-0ff1-ce00-000000000000/${HOST}@${REALM}`,
    iss: `00000004-0000-0ff1-ce00-000000000000@${REALM}`,
    nbf: now - 60,
    exp: now + 3600,
    nameid: `00000004-0000-0ff1-ce00-000000000000@${REALM}`,
  };
  return `${b64url({ typ: 'JWT', alg: 'none' })}.${b64url(claims)}.`;
}

const bearer = (): string[] => ['-H', `Authorization: Bearer ${bearerToken()}`];

export const TLS_SCENARIOS: readonly TlsScenario[] = [
  {
    name: 'tls12-gcm',
    what: 'TLS 1.2, ECDHE-RSA-AES128-GCM-SHA256: two Bearer GETs on one keep-alive connection.',
    curl: ['--tlsv1.2', '--tls-max', '1.2', '--ciphers', 'ECDHE-RSA-AES128-GCM-SHA256', ...bearer(), EWS, `${EWS}?second=1`],
  },
  {
    name: 'tls12-cbc',
    what: 'TLS 1.2, ECDHE-RSA-AES256-SHA384 (CBC, encrypt-then-MAC as OpenSSL negotiates it): a Basic GET.',
    curl: ['--tlsv1.2', '--tls-max', '1.2', '--ciphers', 'ECDHE-RSA-AES256-SHA384', '-u', 'alice@contoso.test:P@ssw0rd!', EWS],
  },
  {
    name: 'tls13-aes256',
    what: 'TLS 1.3, TLS_AES_256_GCM_SHA384: a Bearer GET, then an unauthenticated probe (401).',
    curl: ['--tlsv1.3', '--tls13-ciphers', 'TLS_AES_256_GCM_SHA384', ...bearer(), EWS, '--next', '--tlsv1.3', '--tls13-ciphers', 'TLS_AES_256_GCM_SHA384', '-k', '--resolve', `${HOST}:${TLS_FIXTURE_PORT}:127.0.0.1`, `${EWS}?probe=1`],
  },
  {
    name: 'tls13-chacha20',
    what: 'TLS 1.3, TLS_CHACHA20_POLY1305_SHA256: a Bearer POST with a 40 KB SOAP body (many records, split across segments).',
    curl: ['--tlsv1.3', '--tls13-ciphers', 'TLS_CHACHA20_POLY1305_SHA256', ...bearer(), '-H', 'Content-Type: text/xml', '--data-binary', `<soap>${'x'.repeat(40_000)}</soap>`, EWS],
  },
  {
    name: 'tls12-resumed',
    what: 'TLS 1.2, ECDHE-RSA-AES128-GCM-SHA256: a Bearer GET with `Connection: close`, then a second connection that resumes the TLS session (abbreviated handshake).',
    curl: ['--tlsv1.2', '--tls-max', '1.2', '--ciphers', 'ECDHE-RSA-AES128-GCM-SHA256', ...bearer(), '-H', 'Connection: close', EWS, '--next', '--tlsv1.2', '--tls-max', '1.2', '--ciphers', 'ECDHE-RSA-AES128-GCM-SHA256', '-k', '--resolve', `${HOST}:${TLS_FIXTURE_PORT}:127.0.0.1`, '-o', '/dev/null', ...bearer(), `${EWS}?resumed=1`],
  },
  {
    name: 'tls13-ccm',
    what: 'TLS 1.3, TLS_AES_128_CCM_SHA256 (AES-CCM, which servers offer only when configured to): a Bearer GET.',
    curl: ['--tlsv1.3', '--tls13-ciphers', 'TLS_AES_128_CCM_SHA256', ...bearer(), EWS],
  },
  {
    name: 'tls13-keyupdate',
    what: 'TLS 1.3, TLS_AES_128_GCM_SHA256, from `openssl s_client`: a KeyUpdate (update requested, so the server updates too) before a Bearer GET; both directions then use their next traffic secrets.',
    curl: [],
    keyUpdate: true,
  },
  {
    name: 'tls-embedded-secrets',
    what: 'TLS 1.3, TLS_AES_128_GCM_SHA256, with the key log embedded as a pcapng Decryption Secrets Block (editcap --inject-secrets).',
    curl: ['--tlsv1.3', '--tls13-ciphers', 'TLS_AES_128_GCM_SHA256', ...bearer(), EWS],
    embedSecrets: true,
  },
];

/** The tshark command that lists each fixture's requests, decrypting with `keyLog` when given. */
export function tlsTsharkArgs(capture: string, keyLog?: string): string[] {
  return [
    '-r', capture,
    ...(keyLog !== undefined ? ['-o', `tls.keylog_file:${keyLog}`] : []),
    '-o', 'tcp.reassemble_out_of_order:TRUE',
    '-d', `tcp.port==${TLS_FIXTURE_PORT},tls`,
    '-Y', 'http.request',
    '-T', 'fields',
    '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'http.request.method', '-e', 'http.request.uri', '-e', 'http.authorization',
  ];
}

export function tlsTshark(capture: string, keyLog?: string): string {
  return execFileSync('tshark', tlsTsharkArgs(capture, keyLog), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

/** Exchange-like: 401 with the Bearer challenge without credentials, 200 otherwise. */
function startServer(key: Buffer, cert: Buffer): Promise<Server> {
  const server = createServer({ key, cert, ciphers: 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-SHA384:AES128-SHA', ALPNProtocols: ['http/1.1'] }, (req, res) => {
    req.resume();
    req.on('end', () => {
      const auth = req.headers.authorization ?? '';
      if (auth === '' || auth === 'Bearer') {
        res.writeHead(401, { 'WWW-Authenticate': `Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@${REALM}"` });
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
      res.end('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>');
    });
  });
  // A session-id cache, as IIS keeps one: a client that offers a known session id resumes it.
  const sessions = new Map<string, Buffer>();
  server.on('newSession', (id: Buffer, data: Buffer, done: () => void) => {
    if (sessions.size < 64) sessions.set(id.toString('hex'), data);
    done();
  });
  server.on('resumeSession', (id: Buffer, done: (error: Error | null, data: Buffer | null) => void) => {
    done(null, sessions.get(id.toString('hex')) ?? null);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(TLS_FIXTURE_PORT, '127.0.0.1', () => resolve(server));
  });
}

/** tcpdump on loopback for the fixture port; resolves once it listens. */
function startTcpdump(file: string): Promise<{ stop(): Promise<void>; child: ChildProcess }> {
  const child = spawn('tcpdump', ['-i', 'lo', '-U', '--immediate-mode', '-Z', 'root', '-s', '0', '-w', file, `tcp port ${TLS_FIXTURE_PORT}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const stop = async (): Promise<void> => {
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tcpdump did not start: ${stderr}`));
    }, 10_000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr += text;
      if (/listening on/.test(stderr)) {
        clearTimeout(timer);
        resolve({ stop, child });
      }
    });
  });
}

/** Runs curl asynchronously (the server answers from this process's event loop). */
function runCurl(args: string[], keyLog: string): Promise<void> {
  const child = spawn('curl', args, { env: { ...process.env, SSLKEYLOGFILE: keyLog }, stdio: ['ignore', 'ignore', 'inherit'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`curl exited with ${code}`));
    });
  });
}

/** openssl s_client: `K` asks for a KeyUpdate (and the peer's), then an HTTP/1.1 request, then `Q`. */
async function runOpensslKeyUpdate(keyLog: string): Promise<void> {
  const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${TLS_FIXTURE_PORT}`, '-servername', HOST, '-tls1_3',
    '-ciphersuites', 'TLS_AES_128_GCM_SHA256', '-keylogfile', keyLog, '-crlf'], { stdio: ['pipe', 'ignore', 'ignore'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await pause(800);
  child.stdin.write('K\n');
  await pause(500);
  child.stdin.write(`GET /EWS/Exchange.asmx?afterKeyUpdate=1 HTTP/1.1\nHost: ${HOST}:${TLS_FIXTURE_PORT}\nAuthorization: Bearer ${bearerToken()}\n\n`);
  await pause(800);
  child.stdin.write('Q\n');
  const code = await exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`openssl s_client exited with ${code}`);
}

async function record(scenario: TlsScenario, work: string): Promise<void> {
  const keyLog = join(work, `${scenario.name}.keys`);
  const raw = join(work, `${scenario.name}.pcap`);
  const capture = await startTcpdump(raw);
  try {
    if (scenario.keyUpdate) await runOpensslKeyUpdate(keyLog);
    else await runCurl(['-sS', '-o', '/dev/null', '-k', '--resolve', `${HOST}:${TLS_FIXTURE_PORT}:127.0.0.1`, ...scenario.curl], keyLog);
  } finally {
    await capture.stop();
  }
  const out = (file: string): string => join(TLS_FIXTURE_DIR, file);
  if (scenario.embedSecrets) {
    execFileSync('editcap', ['--inject-secrets', `tls,${keyLog}`, raw, out(`${scenario.name}.pcapng`)]);
    writeFileSync(out(`${scenario.name}.tshark.tsv`), tlsTshark(out(`${scenario.name}.pcapng`)));
  } else {
    writeFileSync(out(`${scenario.name}.pcap`), readFileSync(raw));
    writeFileSync(out(`${scenario.name}.keys`), readFileSync(keyLog));
    writeFileSync(out(`${scenario.name}.tshark.tsv`), tlsTshark(out(`${scenario.name}.pcap`), out(`${scenario.name}.keys`)));
  }
  console.log(`recorded ${scenario.name}`);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'tls-fixtures-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', `/CN=${HOST}`,
      '-addext', `subjectAltName=DNS:${HOST}`, '-keyout', join(work, 'server.key'), '-out', join(work, 'server.crt')], { stdio: 'ignore' });
    const server = await startServer(readFileSync(join(work, 'server.key')), readFileSync(join(work, 'server.crt')));
    try {
      // `record-tls-captures.ts NAME…` records only those scenarios (the others keep their files).
      const only = process.argv.slice(2);
      for (const scenario of TLS_SCENARIOS) if (only.length === 0 || only.includes(scenario.name)) await record(scenario, work);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();

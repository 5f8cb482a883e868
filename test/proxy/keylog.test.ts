// `proxy --keylog`: a loopback capture taken beside the proxy opens decrypted, both legs (the client's inside CONNECT too), in tshark and in `scan --keylog`.
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, tshark } from '../helpers/cli.js';
import { curl, eventually, exited, makeServerCert, startCli, startUpstream, tempDir, type ServerCert, type Upstream } from './harness.js';

/** tcpdump on lo for `ports`; `stop` ends it (SIGINT, SIGKILL after 10 s) once the last segments are in. */
async function captureLoopback(file: string, ports: readonly number[]): Promise<{ stop(): Promise<void> }> {
  const filter = ports.map((port) => `tcp port ${port}`).join(' or ');
  const child = spawn('tcpdump', ['-i', 'lo', '-U', '--immediate-mode', '-Z', 'root', '-s', '0', '-w', file, filter], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (!(await eventually(() => /listening on/.test(stderr), 10_000))) {
    child.kill('SIGKILL');
    await done;
    throw new Error(`tcpdump did not start: ${stderr}`);
  }
  return {
    async stop() {
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
}

interface Leg {
  readonly stream: number;
  readonly uri: string;
}

/** The HTTP requests tshark reads from `pcap` with the key log: tcp.stream and request URI. */
function tsharkRequests(pcap: string, keys: string): Leg[] {
  return tshark(['-r', pcap, '-o', `tls.keylog_file:${keys}`, '-Y', 'http.request', '-T', 'fields', '-e', 'tcp.stream', '-e', 'http.request.uri'])
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [stream, uri] = line.split('\t');
      return { stream: Number(stream), uri: uri ?? '' };
    });
}

interface ScanExchange {
  readonly stream: number;
  readonly method: string;
  readonly uri: string;
  readonly tls?: { readonly version?: string };
}

async function scanRequests(pcap: string, keys: string): Promise<ScanExchange[]> {
  const result = await runInProcess(['scan', pcap, '--keylog', keys, '--format', 'json', '--fail-on', 'never']);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { exchanges: ScanExchange[] }).exchanges;
}

let upstreamCert: ServerCert;
let upstream: Upstream;
beforeAll(async () => {
  upstreamCert = makeServerCert(tempDir());
  upstream = await startUpstream(undefined, upstreamCert);
});
afterAll(async () => {
  await upstream.close();
});

/** Runs the CLI proxy with `args` + --keylog, captures lo while `send` runs, and returns the files. */
async function session(args: string[], send: (proxyPort: number, caCert: string) => Promise<void>): Promise<{ pcap: string; keys: string }> {
  const dir = tempDir();
  const keys = join(dir, 'keys.log');
  const pcap = join(dir, 'beside-the-proxy.pcap');
  const cli = await startCli(['--keylog', keys, '--ca-dir', join(dir, 'ca'), '--upstream-ca', upstreamCert.certPath, ...args]);
  const done = exited(cli.child);
  try {
    const capture = await captureLoopback(pcap, [cli.port, upstream.port]);
    try {
      await send(cli.port, join(dir, 'ca', 'certs', 'ca.pem'));
    } finally {
      await capture.stop();
    }
  } finally {
    cli.child.kill('SIGINT');
    await done;
  }
  expect(statSync(keys).mode & 0o777).toBe(0o600);
  return { pcap, keys };
}

describe('oauth-inspect proxy --keylog', () => {
  it('reverse mode: tshark and scan --keylog both read the request on the client leg and on the server leg', async () => {
    const { pcap, keys } = await session(['--reverse', upstream.url], async (port, caCert) => {
      const answer = await curl(['--cacert', caCert, '-H', 'Authorization: Bearer reverse.keylog.test', `https://127.0.0.1:${port}/keylog-reverse`]);
      expect(answer.code, answer.stderr).toBe(0);
    });
    const lines = readFileSync(keys, 'utf8').trim().split('\n');
    // TLS 1.3 on both legs: five secrets per connection, each line naming its connection's client random.
    expect(lines.every((line) => /^(?:CLIENT_RANDOM|[A-Z_]+_SECRET(?:_0)?) [0-9a-f]{64} [0-9a-f]+$/.test(line))).toBe(true);
    expect(new Set(lines.map((line) => line.split(' ')[1])).size).toBe(2);

    const seen = tsharkRequests(pcap, keys).filter((leg) => leg.uri === '/keylog-reverse');
    expect(seen).toHaveLength(2);
    expect(new Set(seen.map((leg) => leg.stream)).size).toBe(2);

    const scanned = (await scanRequests(pcap, keys)).filter((ex) => ex.uri === '/keylog-reverse');
    expect(scanned).toHaveLength(2);
    expect(new Set(scanned.map((ex) => ex.stream))).toEqual(new Set(seen.map((leg) => leg.stream)));
    expect(scanned.every((ex) => ex.tls?.version === 'TLS 1.3')).toBe(true);
  });

  it('forward mode (CONNECT): tshark and scan --keylog both read the request inside the tunnel and on the server leg', async () => {
    const { pcap, keys } = await session([], async (port, caCert) => {
      const answer = await curl(['--proxy', `http://127.0.0.1:${port}`, '--cacert', caCert, `${upstream.url}/keylog-forward`]);
      expect(answer.code, answer.stderr).toBe(0);
    });
    const seen = tsharkRequests(pcap, keys).filter((leg) => leg.uri === '/keylog-forward');
    expect(seen).toHaveLength(2);
    expect(new Set(seen.map((leg) => leg.stream)).size).toBe(2);

    // The client leg: the CONNECT, then the request decrypted inside the tunnel, on one tcp.stream.
    const scanned = await scanRequests(pcap, keys);
    const connect = scanned.filter((ex) => ex.method === 'CONNECT');
    expect(connect).toHaveLength(1);
    const requests = scanned.filter((ex) => ex.uri === '/keylog-forward');
    expect(requests).toHaveLength(2);
    expect(requests.every((ex) => ex.tls?.version === 'TLS 1.3')).toBe(true);
    expect(new Set(requests.map((ex) => ex.stream))).toEqual(new Set(seen.map((leg) => leg.stream)));
    expect(requests.map((ex) => ex.stream)).toContain(connect[0]!.stream);
  });
});

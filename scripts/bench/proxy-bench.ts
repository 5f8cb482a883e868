// `npm run bench:proxy`: req/s and added latency of the proxy vs a direct connection vs mitmdump (wrk), and RSS over 100,000 requests.
import { execFileSync, spawnSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);
const rssRequests = Number(process.env['BENCH_RSS_REQUESTS'] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-proxy-bench-'));
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}

function start(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { cwd: root, stdio: 'ignore' });
  children.push(child);
  return child;
}

/** The origin: a small fixed JSON answer, plain or TLS, in its own process. */
function originScript(tls: boolean, port: number): string {
  const body = JSON.stringify({ ok: true, padding: 'x'.repeat(200) });
  const create = tls
    ? `require('https').createServer({ key: require('fs').readFileSync('${dir}/origin.key'), cert: require('fs').readFileSync('${dir}/origin.pem') }, handle)`
    : `require('http').createServer(handle)`;
  return `const body = ${JSON.stringify(body)}; function handle(req, res) { req.resume(); req.on('end', () => { res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }); res.end(body); }); } ${create}.listen(${port}, '127.0.0.1');`;
}

interface WrkResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
}

/** Milliseconds from wrk's `1.23ms` / `456.00us` / `1.2s`. */
function millis(text: string): number {
  const match = /([\d.]+)(us|ms|s)/.exec(text);
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

function wrk(url: string, connections: number, duration: number, absoluteTarget?: string): WrkResult {
  const args = ['-t', connections > 1 ? '2' : '1', '-c', String(connections), '-d', `${duration}s`, '--latency'];
  if (absoluteTarget) {
    const script = join(dir, 'absolute.lua');
    execFileSync('sh', ['-c', `printf 'wrk.path = "%s"\\n' '${absoluteTarget}' > ${script}`]);
    args.push('-s', script);
  }
  const out = execFileSync('wrk', [...args, url], { encoding: 'utf8' });
  const percentile = (p: string) => millis(new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '');
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN),
    p50: percentile('50'),
    p99: percentile('99'),
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
  };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** The benchmark compares against mitmdump with wrk: say how to get them when they are missing. */
function requireTools(): void {
  const missing = ['wrk', 'mitmdump', 'openssl'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length === 0) return;
  console.error(`bench:proxy needs ${missing.join(', ')}: apt-get install -y wrk mitmproxy openssl`);
  process.exit(2);
}

async function main(): Promise<void> {
  requireTools();
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', `${dir}/origin.key`, '-out', `${dir}/origin.pem`], { stdio: 'ignore' });
  const [httpOrigin, httpsOrigin, ours, oursTls, mitm, mitmTls] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
  start(process.execPath, ['-e', originScript(false, httpOrigin)]);
  start(process.execPath, ['-e', originScript(true, httpsOrigin)]);
  const proxyArgs = ['--import', 'tsx', 'src/bin.ts', 'proxy', '--no-tui', '--format', 'jsonl', '--ca-dir', join(dir, 'ca'), '--upstream-ca', `${dir}/origin.pem`];
  const ourProxy = start(process.execPath, [...proxyArgs, '--port', String(ours)]);
  start(process.execPath, [...proxyArgs, '--port', String(oursTls), '--reverse', `https://127.0.0.1:${httpsOrigin}`]);
  const mitmArgs = ['-q', '--listen-host', '127.0.0.1', '--set', `confdir=${join(dir, 'mitmproxy')}`, '--set', 'ssl_insecure=true'];
  start('mitmdump', [...mitmArgs, '--listen-port', String(mitm)]);
  start('mitmdump', [...mitmArgs, '--listen-port', String(mitmTls), '--mode', `reverse:https://127.0.0.1:${httpsOrigin}`]);
  for (const port of [httpOrigin, httpsOrigin, ours, oursTls, mitm, mitmTls]) await waitForPort(port);

  const httpTarget = `http://127.0.0.1:${httpOrigin}/`;
  const rows: string[][] = [];
  for (const connections of [1, 50]) {
    const runs: Array<[string, string, WrkResult]> = [
      ['HTTP', 'direct', wrk(httpTarget, connections, seconds)],
      ['HTTP', 'oauth-inspect', wrk(`http://127.0.0.1:${ours}`, connections, seconds, httpTarget)],
      ['HTTP', 'mitmdump', wrk(`http://127.0.0.1:${mitm}`, connections, seconds, httpTarget)],
      ['HTTPS', 'direct', wrk(`https://127.0.0.1:${httpsOrigin}/`, connections, seconds)],
      ['HTTPS', 'oauth-inspect', wrk(`https://127.0.0.1:${oursTls}/`, connections, seconds)],
      ['HTTPS', 'mitmdump', wrk(`https://127.0.0.1:${mitmTls}/`, connections, seconds)],
    ];
    for (const [scheme, who, result] of runs) {
      const direct = runs.find(([s, w]) => s === scheme && w === 'direct')![2];
      const added = who === 'direct' ? '' : (result.p50 - direct.p50).toFixed(3);
      rows.push([scheme, String(connections), who, result.rps.toFixed(0), result.p50.toFixed(3), result.p99.toFixed(3), added]);
    }
  }
  const header = ['scheme', 'conns', 'proxy', 'req/s', 'p50 ms', 'p99 ms', '+p50 ms'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));

  // RSS over at least `rssRequests` plain-HTTP requests through our proxy, 50 connections.
  const samples: number[] = [rssMb(ourProxy.pid!)];
  let done = 0;
  while (done < rssRequests) {
    done += wrk(`http://127.0.0.1:${ours}`, 50, 5, httpTarget).requests;
    samples.push(rssMb(ourProxy.pid!));
  }
  console.log(`\nRSS of oauth-inspect proxy over ${done} requests (MB, sampled every 5 s): ${samples.map((s) => s.toFixed(0)).join(' -> ')}`);
}

try {
  await main();
} finally {
  for (const child of children) child.kill('SIGTERM');
}

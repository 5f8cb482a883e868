// Records the small loopback captures in test/reassembly/data/ with tcpdump (run as root: npx tsx scripts/record-reassembly-fixtures.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const outDir = fileURLToPath(new URL('../test/reassembly/data/', import.meta.url));

/** Starts tcpdump on lo for `filter` and resolves once it listens. */
function startTcpdump(file: string, filter: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('tcpdump', ['-i', 'lo', '--immediate-mode', '-U', '-w', file, filter], { stdio: ['ignore', 'ignore', 'pipe'] });
    const timer = setTimeout(() => reject(new Error('tcpdump did not start')), 10_000);
    child.stderr.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening on')) {
        clearTimeout(timer);
        // tcpdump says it listens a moment before the filter is in place.
        setTimeout(() => resolve(child), 500);
      }
    });
    child.on('error', reject);
  });
}

async function stopTcpdump(child: ChildProcess): Promise<void> {
  await sleep(300);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGINT');
  await exited;
}

async function record(name: string, filter: string, scenario: () => Promise<void>): Promise<void> {
  const tcpdump = await startTcpdump(`${outDir}${name}.pcap`, filter);
  try {
    await scenario();
  } finally {
    await stopTcpdump(tcpdump);
  }
  console.log(`recorded ${name}.pcap`);
}

function listen(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve) => server.listen(port, host, () => resolve()));
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Connects from `localPort` (when given), sends `message`, waits for the echo, then ends as told. */
function echoOnce(port: number, host: string, message: string, ending: 'fin' | 'rst', localPort?: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host, ...(localPort !== undefined ? { localPort } : {}) });
    socket.setNoDelay(true);
    socket.on('error', reject);
    socket.once('data', () => {
      if (ending === 'rst') {
        socket.resetAndDestroy();
        resolve();
      } else {
        socket.end();
      }
    });
    socket.on('close', () => resolve());
    socket.write(message);
  });
}

/** HTTP keep-alive requests over IPv4 and IPv6. */
async function httpKeepAlive(): Promise<void> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end(`hello ${req.url}\n`));
  });
  await listen(server, 18431, '::');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (host: string, path: string): Promise<void> =>
    new Promise((resolve, reject) => {
      http
        .get({ host, port: 18431, path, agent, headers: { authorization: 'Bearer not-a-real-token' } }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        })
        .on('error', reject);
    });
  await get('127.0.0.1', '/one');
  await get('127.0.0.1', '/two');
  await get('::1', '/three');
  agent.destroy();
  await closeServer(server);
}

/** One client port used three times: ended by RST, by FIN (server first), and again. */
async function portReuse(): Promise<void> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('data', (data) => {
      socket.write(data);
      if (data.toString().startsWith('server-closes')) socket.end();
    });
    socket.on('end', () => socket.end());
  });
  await listen(server, 18432, '127.0.0.1');
  await echoOnce(18432, '127.0.0.1', 'first', 'rst', 18433);
  await sleep(50);
  await echoOnce(18432, '127.0.0.1', 'server-closes second', 'fin', 18433);
  await sleep(50);
  await echoOnce(18432, '127.0.0.1', 'third', 'fin', 18433);
  await closeServer(server);
}

/** A request and a response written in several small pieces, so each direction has many segments. */
async function manySegments(): Promise<void> {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    let received = '';
    socket.on('data', async (data) => {
      received += data.toString();
      if (!received.endsWith('\r\n\r\n')) return;
      for (let i = 0; i < 8; i++) {
        socket.write(`response piece ${i} ${'x'.repeat(40 + i)}\n`);
        await sleep(15);
      }
      socket.end();
    });
  });
  await listen(server, 18434, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect({ port: 18434, host: '127.0.0.1' }, async () => {
      socket.setNoDelay(true);
      const pieces = ['GET /pieces HTTP/1.1\r\n', 'Host: 127.0.0.1\r\n', 'Authorization: Bearer abc.def.ghi\r\n', 'X-Filler: 0123456789\r\n', '\r\n'];
      for (const piece of pieces) {
        socket.write(piece);
        await sleep(15);
      }
    });
    socket.on('error', reject);
    socket.resume();
    socket.on('end', () => socket.end());
    socket.on('close', () => resolve());
  });
  await closeServer(server);
}

mkdirSync(outDir, { recursive: true });
await record('http-keepalive', 'tcp port 18431', httpKeepAlive);
await record('port-reuse', 'tcp port 18432', portReuse);
await record('many-segments', 'tcp port 18434', manySegments);

// `npm run bench`: oauth-inspect beside tshark on the same large capture; prints MB/s, RSS, ratios.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticCapture } from './synthetic-capture.js';
import { benchHttp2Beside } from './h2-bench.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const targetMb = Number(process.env.BENCH_MB ?? 600);
const dir = process.env.BENCH_DIR ?? join(tmpdir(), 'oauth-inspect-bench');
const skipTshark = process.env.BENCH_SKIP_TSHARK === '1';

interface Run { label: string; seconds: number; peakRssMb: number; lines: number }

/** Runs a command under /usr/bin/time, counting stdout lines; returns wall time and peak RSS. */
function timed(label: string, command: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%e %M', command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stderr.trim().split('\n').pop() ?? '';
      const [secs, kb] = last.split(' ').map(Number);
      if (code !== 0 && code !== 1) reject(new Error(`${label} exited ${code}: ${stderr.slice(-400)}`));
      else resolve({ label, seconds: secs ?? NaN, peakRssMb: (kb ?? NaN) / 1024, lines });
    });
  });
}

async function main(): Promise<void> {
  if (!existsSync('/usr/bin/time')) {
    console.error('bench needs /usr/bin/time: apt-get install -y time');
    process.exit(2);
  }
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `keepalive-bearer-${targetMb}mb.pcap`);
  if (!existsSync(file) || statSync(file).size < targetMb * 1e6) {
    console.log(`generating ${targetMb} MB capture at ${file} …`);
    const made = writeSyntheticCapture(file, targetMb * 1e6);
    console.log(`  ${made.frames} frames, ${made.requests} requests`);
  }
  const sizeMb = statSync(file).size / 1e6;
  const bin = join(root, 'dist/bin.js');
  const runs: Run[] = [];
  runs.push(await timed('oauth-inspect exchanges', process.execPath, [bin, 'exchanges', file]));
  const scanRun = await timed('oauth-inspect scan', process.execPath, [bin, 'scan', file, '--fail-on', 'never']);
  // scan prints a report, not a line per exchange: count its exchanges as `exchanges` did.
  runs.push({ ...scanRun, lines: runs[0]?.lines ?? 0 });
  if (!skipTshark) {
    runs.push(await timed('tshark -Y http.request', 'tshark', ['-r', file, '-d', 'tcp.port==18080,http', '-Y', 'http.request', '-T', 'fields', '-e', 'http.authorization']));
  }
  console.log(`\ncapture: ${file} (${sizeMb.toFixed(0)} MB)`);
  console.log('tool                        seconds    MB/s   exchanges/s  peak RSS MB     exchanges');
  for (const r of runs) {
    const mbps = sizeMb / r.seconds;
    console.log(`${r.label.padEnd(26)} ${r.seconds.toFixed(2).padStart(8)} ${mbps.toFixed(1).padStart(7)} ${(r.lines / r.seconds).toFixed(0).padStart(12)} ${r.peakRssMb.toFixed(0).padStart(12)} ${String(r.lines).padStart(13)}`);
  }
  const ours = runs.find((r) => r.label === 'oauth-inspect exchanges');
  const scan = runs.find((r) => r.label === 'oauth-inspect scan');
  const tshark = runs.find((r) => r.label.startsWith('tshark'));
  if (ours && tshark) console.log(`\nthroughput ratio exchanges/tshark: ${(tshark.seconds / ours.seconds).toFixed(1)}x (target ≥ 10x)`);
  if (ours && scan) console.log(`time ratio scan/exchanges: ${(scan.seconds / ours.seconds).toFixed(2)} (target ≤ 1.5)`);
  if (ours) console.log(`peak RSS exchanges: ${ours.peakRssMb.toFixed(0)} MB (target < 300 MB)`);
  if (ours) benchHttp2Beside(bin, file, join(dir, `h2c-bearer-${ours.lines}.pcap`), ours.lines);
}

await main();

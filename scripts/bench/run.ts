// `npm run bench`: oauth-inspect's exchanges and scan beside tshark on the same captures, in one run; prints medians, ratios, RSS.
import { spawn } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeExchangeTrafficCapture } from './exchange-traffic-capture.js';
import { writeSyntheticCapture } from './synthetic-capture.js';
import { benchHttp2Beside } from './h2-bench.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'dist/bin.js');
const args = process.argv.slice(2);
const targetMb = Number(process.env.BENCH_MB ?? 100);
const repeats = Number(process.env.BENCH_REPEAT ?? 3);
/** `--1gb` (or BENCH_1GB=1): also the peak RSS of scan on a 1 GB capture of the realistic workload. */
const withGigabyte = args.includes('--1gb') || process.env.BENCH_1GB === '1';
const onlyGigabyte = args.includes('--only-1gb');
const dir = process.env.BENCH_DIR ?? join(tmpdir(), 'oauth-inspect-bench');

interface Workload {
  readonly name: string;
  readonly file: string;
  /** tshark's extra arguments (the legacy capture's port is not HTTP's). */
  readonly tsharkDecodeAs: readonly string[];
  make(path: string, bytes: number): { frames: number; requests: number };
}

const realistic = (mb: number): Workload => ({
  name: `realistic S2S (issue 12), ${mb} MB`,
  file: join(dir, `exchange-traffic-${mb}mb.pcap`),
  tsharkDecodeAs: [],
  make: (path, bytes) => writeExchangeTrafficCapture(path, bytes),
});
const legacy = (mb: number): Workload => ({
  name: `legacy keep-alive bearer, ${mb} MB`,
  file: join(dir, `keepalive-bearer-${mb}mb.pcap`),
  tsharkDecodeAs: ['-d', 'tcp.port==18080,http'],
  make: (path, bytes) => writeSyntheticCapture(path, bytes),
});

/** Wall seconds, CPU seconds (user + system: what the shared machine's load does not inflate much) and peak RSS. */
interface Run { readonly seconds: number; readonly cpuSeconds: number; readonly peakRssMb: number }

/** Runs a command under /usr/bin/time with stdout to `outFile`; wall seconds and peak RSS. */
function timed(command: string, commandArgs: readonly string[], outFile: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const timeFile = join(dir, 'time.txt');
    const out = openSync(outFile, 'w');
    const child = spawn('/usr/bin/time', ['-o', timeFile, '-f', '%e %M %U %S', command, ...commandArgs], { stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      closeSync(out);
      if (code !== 0) return reject(new Error(`${command} ${commandArgs.join(' ')} exited ${code}: ${stderr.slice(-400)}`));
      const [seconds, kb, user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      resolve({ seconds: seconds!, cpuSeconds: user! + system!, peakRssMb: kb! / 1024 });
    });
  });
}

async function countLines(file: string, keep: (line: string) => boolean): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (keep(line)) n++;
  return n;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function ensureCapture(w: Workload, mb: number): void {
  mkdirSync(dir, { recursive: true });
  if (existsSync(w.file) && statSync(w.file).size >= mb * 1e6) return;
  console.log(`generating ${w.name} at ${w.file} …`);
  const made = w.make(w.file, mb * 1e6);
  console.log(`  ${made.frames} frames, ${made.requests} requests`);
}

interface Measured { tshark: Run; exchanges: Run; scan: Run }

/** Benchmarks one workload; resolves to the number of exchanges it holds. */
async function benchWorkload(w: Workload, mb: number): Promise<number> {
  ensureCapture(w, mb);
  const sizeMb = statSync(w.file).size / 1e6;
  const out = (name: string): string => join(dir, `${name}.out`);
  const runs: Measured[] = [];
  for (let i = 0; i < repeats; i++) {
    // Back to back in one round, so the machine's load weighs on all three alike.
    const tshark = await timed('tshark', ['-r', w.file, ...w.tsharkDecodeAs, '-Y', 'http.request', '-T', 'fields', '-e', 'http.authorization'], out('tshark'));
    const exchanges = await timed(process.execPath, [bin, 'exchanges', '--format', 'json', w.file], out('exchanges'));
    const scan = await timed(process.execPath, [bin, 'scan', '--format', 'json', '--fail-on', 'never', w.file], out('scan'));
    runs.push({ tshark, exchanges, scan });
    console.log(
      `  round ${i + 1}: tshark ${tshark.seconds.toFixed(2)} s (${tshark.cpuSeconds.toFixed(2)} CPU), exchanges ${exchanges.seconds.toFixed(2)} s (${exchanges.cpuSeconds.toFixed(2)} CPU), scan ${scan.seconds.toFixed(2)} s (${scan.cpuSeconds.toFixed(2)} CPU, ${scan.peakRssMb.toFixed(0)} MB)`,
    );
  }
  const tsharkLines = await countLines(out('tshark'), () => true);
  const tsharkWithAuth = await countLines(out('tshark'), (line) => line.length > 0);
  const oursWithAuth = await countLines(out('exchanges'), (line) => !line.includes('"authorization":[]'));
  const oursAll = await countLines(out('exchanges'), () => true);
  const t = median(runs.map((r) => r.tshark.seconds));
  const e = median(runs.map((r) => r.exchanges.seconds));
  const s = median(runs.map((r) => r.scan.seconds));
  const tc = median(runs.map((r) => r.tshark.cpuSeconds));
  const ec = median(runs.map((r) => r.exchanges.cpuSeconds));
  const sc = median(runs.map((r) => r.scan.cpuSeconds));
  const row = (label: string, seconds: number, cpu: number, rss: number): string =>
    `${label.padEnd(58)} ${seconds.toFixed(2).padStart(7)} s ${(sizeMb / seconds).toFixed(1).padStart(7)} MB/s ${cpu.toFixed(2).padStart(7)} s CPU ${rss.toFixed(0).padStart(6)} MB`;
  console.log(`\n${w.name}: ${w.file} (${sizeMb.toFixed(0)} MB), median of ${repeats}`);
  console.log(row(`tshark -r F ${[...w.tsharkDecodeAs, ''].join(' ')}-Y http.request -T fields -e http.authorization`, t, tc, median(runs.map((r) => r.tshark.peakRssMb))));
  console.log(row('node dist/bin.js exchanges --format json F', e, ec, median(runs.map((r) => r.exchanges.peakRssMb))));
  console.log(row('node dist/bin.js scan --format json --fail-on never F', s, sc, median(runs.map((r) => r.scan.peakRssMb))));
  console.log(`ratio exchanges: ${(t / e).toFixed(1)}x tshark (target ≥ 15x)   ratio scan: ${(t / s).toFixed(1)}x tshark (target ≥ 10x)   (wall time)`);
  console.log(`CPU-time ratio exchanges: ${(tc / ec).toFixed(1)}x   scan: ${(tc / sc).toFixed(1)}x   (user + system; steadier on a loaded machine)`);
  console.log(`peak RSS scan: ${Math.max(...runs.map((r) => r.scan.peakRssMb)).toFixed(0)} MB (target ≤ 250 MB)`);
  const same = oursWithAuth === tsharkWithAuth && oursWithAuth === tsharkLines;
  console.log(`requests with Authorization: ours ${oursWithAuth} of ${oursAll}, tshark ${tsharkWithAuth} of ${tsharkLines} lines: ${same ? 'equal' : 'DIFFERENT'}`);
  if (!same) process.exitCode = 1;
  return oursAll;
}

/** Peak RSS of scan at 1 GB: memory must not grow with the capture. */
async function benchGigabyte(): Promise<void> {
  const w = realistic(1000);
  ensureCapture(w, 1000);
  const scan = await timed(process.execPath, [bin, 'scan', '--format', 'json', '--fail-on', 'never', w.file], join(dir, 'scan-1gb.out'));
  console.log(`\n${w.name}: node dist/bin.js scan --format json F: ${scan.seconds.toFixed(2)} s (${scan.cpuSeconds.toFixed(2)} s CPU), peak RSS ${scan.peakRssMb.toFixed(0)} MB (target ≤ 250 MB)`);
}

async function main(): Promise<void> {
  if (!existsSync('/usr/bin/time')) {
    console.error('bench needs /usr/bin/time: apt-get install -y time');
    process.exit(2);
  }
  if (!onlyGigabyte) {
    await benchWorkload(realistic(targetMb), targetMb);
    const requests = await benchWorkload(legacy(targetMb), targetMb);
    // HTTP/2 beside HTTP/1.1: an h2c capture of the legacy workload's requests and payloads.
    benchHttp2Beside(bin, legacy(targetMb).file, join(dir, `h2c-bearer-${requests}.pcap`), requests);
  }
  if (withGigabyte || onlyGigabyte) await benchGigabyte();
}

await main();

// `npm run bench:startup`: median wall times of --version, --help, a small scan and the dashboard's first screen, beside `node -e 0`.
import { spawn, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const runs = Number(process.env.STARTUP_BENCH_RUNS ?? 20);
const smallCapture = 'captures/s2s-good.pcap';
/** The children run as a user's shell would start them: no loader or option inherited from tsx. */
const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', OAUTH_INSPECT_FINGERPRINT_KEY: 'startup-bench' };
delete env['NODE_OPTIONS'];

interface Case {
  readonly label: string;
  readonly args: readonly string[];
  readonly times: number[];
}

const cases: Case[] = [
  { label: 'node -e 0', args: ['-e', '0'], times: [] },
  { label: 'oauth-inspect --version', args: ['dist/bin.js', '--version'], times: [] },
  { label: 'oauth-inspect --help', args: ['dist/bin.js', '--help'], times: [] },
  { label: `oauth-inspect scan ${smallCapture}`, args: ['dist/bin.js', 'scan', smallCapture], times: [] },
];

function median(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Wall milliseconds of one run of `node …args`; exit codes 0 and 1 (findings) are success. */
function timeNode(args: readonly string[]): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: root, env, stdio: 'ignore' });
  const elapsed = performance.now() - start;
  if (run.status !== 0 && run.status !== 1) throw new Error(`node ${args.join(' ')} exited ${run.status}`);
  return elapsed;
}

/**
 * Wall milliseconds from starting `scan --tui` on a 160x48 pseudo-terminal (util-linux `script`)
 * until the dashboard's first screen is written (its Exchanges pane); then `q` quits it.
 */
function timeFirstScreen(): Promise<number> {
  return new Promise((resolve, reject) => {
    const command = `stty cols 160 rows 48; exec '${process.execPath}' dist/bin.js scan --tui ${smallCapture}`;
    const start = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: root, env: { ...env, TERM: 'xterm-256color', NO_COLOR: '' }, stdio: ['pipe', 'pipe', 'ignore'] });
    let screen = '';
    let shownAt: number | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (shownAt !== undefined) return;
      screen += chunk.toString('latin1');
      if (screen.includes('Exchanges')) {
        shownAt = performance.now() - start;
        child.stdin.write('q');
      }
    });
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      if (shownAt === undefined) reject(new Error('the dashboard never showed its first screen'));
      else resolve(shownAt);
    });
  });
}

async function main(): Promise<void> {
  const before = loadavg()[0] ?? NaN;
  // Rounds interleave the commands, so a burst of load elsewhere hits all of them alike.
  for (let round = 0; round < runs; round++) for (const c of cases) c.times.push(timeNode(c.args));
  const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
  const firstScreen: number[] = [];
  if (hasScript) for (let round = 0; round < Math.ceil(runs / 2); round++) firstScreen.push(await timeFirstScreen());

  const bare = median(cases[0]!.times);
  console.log(`startup-bench: median wall time of ${runs} runs each, interleaved (load average ${before.toFixed(1)} before, ${loadavg()[0]?.toFixed(1)} after)`);
  for (const c of cases) {
    const ms = median(c.times);
    console.log(`${c.label.padEnd(48)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / bare).toFixed(2)}× node -e 0`);
  }
  const firstScreenMs = firstScreen.length > 0 ? median(firstScreen) : undefined;
  if (firstScreenMs === undefined) console.log('dashboard first screen: not measured (needs `script` from util-linux)');
  else console.log(`${`dashboard first screen (scan --tui ${smallCapture})`.padEnd(48)} ${firstScreenMs.toFixed(0).padStart(6)} ms  (${firstScreen.length} runs)`);

  const [version, help, scan] = [cases[1]!, cases[2]!, cases[3]!].map((c) => median(c.times)) as [number, number, number];
  const missed = [
    version > 2.5 * bare && '--version over 2.5× node -e 0',
    help > 2.5 * bare && '--help over 2.5× node -e 0',
    scan > 600 && 'small scan over 600 ms',
    firstScreenMs !== undefined && firstScreenMs > 1000 && 'first screen over 1 s',
  ].filter((m): m is string => typeof m === 'string');
  console.log(missed.length === 0 ? 'targets met: --version and --help ≤ 2.5× node -e 0, small scan < 0.6 s, first screen < 1 s' : `targets missed: ${missed.join('; ')}`);
  process.exitCode = missed.length === 0 ? 0 : 1;
}

await main();

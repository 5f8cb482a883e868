// The reference tshark command for the fixture captures, shared by the recorder and the fixture test;
// and the recorder's completeness check, read with tshark too.
import { execFileSync } from 'node:child_process';
import { FIXTURE_PORT } from './contoso.js';

const FIELDS = ['frame.number', 'tcp.stream', 'http.request.method', 'http.request.uri', 'http.authorization'];

/** tshark arguments that list every HTTP request: frame, stream, method, URI, Authorization. */
export function tsharkFieldArgs(captureFile: string): string[] {
  return [
    '-r', captureFile,
    '-o', 'tcp.reassemble_out_of_order:TRUE',
    '-d', `tcp.port==${FIXTURE_PORT},http`,
    '-Y', 'http.request',
    '-T', 'fields',
    ...FIELDS.flatMap((field) => ['-e', field]),
  ];
}

/** The same command as one shell line, for the README. */
export function tsharkCommandLine(captureFile: string): string {
  return ['tshark', ...tsharkFieldArgs(captureFile)].map((arg) => (/^[\w./:=,-]+$/.test(arg) ? arg : `'${arg}'`)).join(' ');
}

/** Runs the reference command; stdout only (tshark's "running as root" notice goes to stderr). */
export function tsharkFields(captureFile: string): string {
  return execFileSync('tshark', tsharkFieldArgs(captureFile), {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 16 * 1024 * 1024,
  });
}

/**
 * TCP streams of a capture that do not end: no RST, and no FIN from both sides. The recorder closes every
 * connection before it stops tcpdump, so such a stream means tcpdump lost the rest of the conversation.
 */
export function unfinishedStreams(captureFile: string): number[] {
  const out = execFileSync('tshark', [
    '-r', captureFile, '-T', 'fields', '-e', 'tcp.stream', '-e', 'tcp.srcport', '-e', 'tcp.flags.fin', '-e', 'tcp.flags.reset',
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 16 * 1024 * 1024 });
  const finishedBy = new Map<number, { fins: Set<string>; reset: boolean }>();
  for (const line of out.split('\n').filter(Boolean)) {
    const [stream = '', port = '', fin = '', reset = ''] = line.split('\t');
    const ends = finishedBy.get(Number(stream)) ?? { fins: new Set<string>(), reset: false };
    if (fin === '1' || fin === 'True') ends.fins.add(port);
    if (reset === '1' || reset === 'True') ends.reset = true;
    finishedBy.set(Number(stream), ends);
  }
  return [...finishedBy].filter(([, ends]) => !ends.reset && ends.fins.size < 2).map(([stream]) => stream);
}

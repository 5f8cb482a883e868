// The reference tshark command for the fixture captures, shared by the recorder and the fixture test.
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

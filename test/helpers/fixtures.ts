// The fixture captures and the flags every whole-fixture test scans them with.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './cli.js';

export const capturesDir = join(repoRoot, 'captures');

/** The configuration the fixtures are scanned with. */
export const FIXTURE_CONFIG = 'examples/sfb-online-exchange-onprem.yaml';

/** Every fixture capture, relative to captures/: pcap, pcapng, their .gz, HAR, the TLS and HTTP/2 ones, Fiddler archives. */
export const fixtureCaptures: readonly string[] = [
  ...readdirSync(capturesDir).filter((f) => /\.(pcap|pcapng)(\.gz)?$|\.har$/.test(f)),
  ...['tls-decryption', 'http2'].flatMap((dir) =>
    readdirSync(join(capturesDir, dir))
      .filter((f) => /\.(pcap|pcapng)$/.test(f))
      .map((f) => `${dir}/${f}`),
  ),
  ...readdirSync(join(capturesDir, 'saz'))
    .filter((f) => f.endsWith('.saz'))
    .map((f) => `saz/${f}`),
].sort();

/** TLS and HTTP/2 fixtures are scanned with their key log when they have one (a pcapng may carry its keys inside). */
export function keylogArgs(capture: string): string[] {
  if (!/\.(pcap|pcapng)$/.test(capture)) return [];
  const keys = join(capturesDir, capture.replace(/\.(pcap|pcapng)$/, '.keys'));
  return existsSync(keys) ? ['--keylog', `captures/${capture.replace(/\.(pcap|pcapng)$/, '.keys')}`] : [];
}

/** `scan` arguments for a fixture in `format`: its key log, the fixture configuration, never failing. */
export function fixtureScanArgs(capture: string, format: string): string[] {
  return ['scan', `captures/${capture}`, ...keylogArgs(capture), '--rules', FIXTURE_CONFIG, '--format', format, '--fail-on', 'never'];
}

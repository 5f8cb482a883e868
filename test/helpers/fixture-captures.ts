// The fixture captures of captures/ that have a golden report: pcap, pcapng, gzip'd and HAR, TLS ones included.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './cli.js';

export const capturesDir = join(repoRoot, 'captures');

/** Paths relative to captures/, sorted. */
export function fixtureCaptures(): string[] {
  return [
    ...readdirSync(capturesDir).filter((f) => /\.(pcap|pcapng)(\.gz)?$|\.har$/.test(f)),
    ...readdirSync(join(capturesDir, 'tls-decryption'))
      .filter((f) => /\.(pcap|pcapng)$/.test(f))
      .map((f) => `tls-decryption/${f}`),
  ].sort();
}

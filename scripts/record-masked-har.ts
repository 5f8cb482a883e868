// Writes captures/s2s-good.masked.har: the seed capture's exchanges recorded as the proxy records them, secrets masked.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readExchanges } from '../src/pipeline/read-exchanges.js';
import { HarWriter } from '../src/report/har-writer.js';

const CAPTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'captures');

/** Records every exchange of `capture` into a masked HAR at `har` (replaced if present). */
export async function recordMaskedHar(capture: string, har: string): Promise<number> {
  rmSync(har, { force: true });
  const writer = await HarWriter.create(har, { mask: true, creator: { name: 'oauth-inspect', version: 'fixture' } });
  let exchanges = 0;
  await readExchanges(capture, {
    exchange(ex) {
      writer.add(ex);
      exchanges++;
    },
    anomaly(anomaly) {
      throw new Error(`${capture}: ${anomaly.message}`);
    },
  });
  await writer.close();
  return exchanges;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const capture = join(CAPTURES_DIR, 's2s-good.pcap');
  const har = join(CAPTURES_DIR, 's2s-good.masked.har');
  recordMaskedHar(capture, har).then(
    (count) => console.log(`${har}: ${count} exchanges, secrets masked`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}

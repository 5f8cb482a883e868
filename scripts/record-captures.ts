// Records the fixture captures: runs the fixture server and each scenario's clients under tcpdump.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { capturesReadme, type RecordedCapture } from './fixture-server/readme.js';
import { recordMaskedHar } from './record-masked-har.js';
import { recordSazFixtures } from './record-saz-fixtures.js';
import { SCENARIOS } from './fixture-server/scenarios.js';
import { DEFAULT_PROFILE, FixtureServer, type ServerProfile } from './fixture-server/server.js';
import { generateFixtureKeys, type SigningKey } from './fixture-server/signing-keys.js';
import { killRunningCaptures, startCapture } from './fixture-server/tcpdump.js';
import { tsharkFields, unfinishedStreams } from './fixture-server/tshark-fields.js';

const CAPTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'captures');
const KEYS_DIR = join(CAPTURES_DIR, 'keys');
/** Files the recorder owns in captures/ and deletes before recording afresh. */
const RECORDED_FILE = /\.(pcap|pcapng|pcap\.gz|tshark\.tsv)$/;

function writeCertificate(key: SigningKey): void {
  writeFileSync(join(KEYS_DIR, `${key.name}.pem`), key.certPem);
  writeFileSync(join(KEYS_DIR, `${key.name}.cer`), key.certDer);
}

/** Writes the extra formats of a recorded pcap; returns their file names. */
function writeOtherFormats(pcapFile: string, formats: readonly ('pcapng' | 'pcap.gz')[]): string[] {
  const stem = pcapFile.replace(/\.pcap$/, '');
  return formats.map((format) => {
    const target = `${stem}.${format}`;
    if (format === 'pcapng') {
      execFileSync('editcap', ['-F', 'pcapng', join(CAPTURES_DIR, pcapFile), join(CAPTURES_DIR, target)], { stdio: 'ignore' });
    } else {
      // gzipSync writes no file name and a zero mtime: the same pcap gives the same .gz.
      writeFileSync(join(CAPTURES_DIR, target), gzipSync(readFileSync(join(CAPTURES_DIR, pcapFile)), { level: 9 }));
    }
    return target;
  });
}

async function record(): Promise<void> {
  mkdirSync(KEYS_DIR, { recursive: true });
  for (const file of readdirSync(CAPTURES_DIR)) if (RECORDED_FILE.test(file)) rmSync(join(CAPTURES_DIR, file));

  const keys = generateFixtureKeys();
  writeCertificate(keys.trusted);
  writeCertificate(keys.other);

  const server = new FixtureServer(keys);
  await server.start();
  const recorded: RecordedCapture[] = [];
  try {
    for (const scenario of SCENARIOS) {
      const profile = { ...DEFAULT_PROFILE, ...scenario.profile };
      server.profile = profile;
      const pcapFile = `${scenario.name}.pcap`;
      const capture = await startCapture(join(CAPTURES_DIR, pcapFile), { iface: 'lo', nanosecond: false, snaplen: 0, ...scenario.capture });
      const reconfigure = (change: Partial<ServerProfile>): void => { server.profile = { ...profile, ...change }; };
      const outcome = await scenario.run({ keys, now: Math.floor(Date.now() / 1000), reconfigure })
        .then(() => undefined, (error: unknown) => error);
      const packets = await capture.stop();
      if (outcome !== undefined) throw outcome;
      if (packets === 0) throw new Error(`${scenario.name}: tcpdump captured nothing`);
      const unfinished = unfinishedStreams(join(CAPTURES_DIR, pcapFile));
      if (unfinished.length > 0) throw new Error(`${scenario.name}: TCP streams ${unfinished.join(', ')} do not end in the capture`);
      const tsv = tsharkFields(join(CAPTURES_DIR, pcapFile));
      if (tsv.trim() === '') throw new Error(`${scenario.name}: tshark sees no HTTP request`);
      writeFileSync(join(CAPTURES_DIR, `${scenario.name}.tshark.tsv`), tsv);
      const files = [pcapFile, ...writeOtherFormats(pcapFile, scenario.alsoAs ?? [])];
      for (const file of files.slice(1)) {
        if (tsharkFields(join(CAPTURES_DIR, file)) !== tsv) throw new Error(`${file}: tshark output differs from ${pcapFile}`);
      }
      recorded.push({ scenario, files });
      const sizes = files.map((f) => `${f} ${statSync(join(CAPTURES_DIR, f)).size} B`).join(', ');
      const requests = tsv.trim().split('\n').length;
      console.log(`${scenario.name.padEnd(28)} ${String(requests).padStart(2)} requests  ${sizes}`);
    }
  } finally {
    await server.stop();
  }
  // The masked recording is made from the new seed capture, so it is always recorded with them.
  await recordMaskedHar(join(CAPTURES_DIR, 's2s-good.pcap'), join(CAPTURES_DIR, 's2s-good.masked.har'));
  // So are the Fiddler archives (captures/saz/), cut from the new captures' TCP streams.
  await recordSazFixtures();
  writeFileSync(join(CAPTURES_DIR, 'README.md'), capturesReadme(recorded, keys));
  console.log(`\n${recorded.length} scenarios recorded in ${CAPTURES_DIR}; certificate x5t ${keys.trusted.x5t}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killRunningCaptures();
    process.exit(130);
  });
}

record().catch((error: unknown) => {
  killRunningCaptures();
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exitCode = 1;
});

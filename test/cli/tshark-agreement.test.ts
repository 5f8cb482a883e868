// Differential test: the requests `oauth-inspect exchanges` reports equal what tshark shows.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { corpusDir, hasSharedCorpus, repoRoot, runInProcess, tshark } from '../helpers/cli.js';

interface Row {
  frame: number;
  stream: string;
  methods: string;
  uris: string;
  authorizations: string;
}

/** Ports tshark dissects as HTTP without being told (Wireshark 4.0 http.tcp.port default). */
const TSHARK_HTTP_PORTS = new Set([80, 3128, 3132, 5985, 8080, 8088, 11371, 1900, 2869, 2710]);

function captureFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(pcap|pcapng|cap)(\.gz)?$/.test(f))
    .map((f) => join(dir, f))
    .sort();
}

/** A file can only carry an HTTP/1.x request if the text `HTTP/1.` occurs in it. */
function mayCarryHttp(file: string): boolean {
  let bytes = readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      return false;
    }
  }
  return bytes.includes('HTTP/1.');
}

async function ourRows(file: string): Promise<{ rows: Row[]; serverPorts: Set<number> }> {
  const result = await runInProcess(['exchanges', '--format', 'json', '--show-secrets', file]);
  expect(result.code, result.stderr).toBe(0);
  const byFrame = new Map<number, { stream: number; methods: string[]; uris: string[]; auths: string[] }>();
  const serverPorts = new Set<number>();
  const exchanges = result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { frame: number; stream: number; method: string; uri: string; server: string; authorization: string[] });
  exchanges.sort((a, b) => a.frame - b.frame);
  for (const ex of exchanges) {
    serverPorts.add(Number(ex.server.slice(ex.server.lastIndexOf(':') + 1)));
    const row = byFrame.get(ex.frame) ?? { stream: ex.stream, methods: [], uris: [], auths: [] };
    row.methods.push(ex.method);
    row.uris.push(ex.uri);
    row.auths.push(...ex.authorization);
    byFrame.set(ex.frame, row);
  }
  const rows = [...byFrame].map(([frame, r]) => ({
    frame,
    stream: String(r.stream),
    methods: r.methods.join(','),
    uris: r.uris.join(','),
    authorizations: r.auths.join(','),
  }));
  return { rows, serverPorts };
}

function tsharkRows(file: string, serverPorts: Set<number>): Row[] {
  const decodeAs = [...serverPorts].filter((p) => !TSHARK_HTTP_PORTS.has(p)).flatMap((p) => ['-d', `tcp.port==${p},http`]);
  const out = tshark([
    '-r', file, '-o', 'tcp.reassemble_out_of_order:TRUE', ...decodeAs,
    '-Y', 'http.request', '-T', 'fields',
    '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'http.request.method', '-e', 'http.request.uri', '-e', 'http.authorization',
  ]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'))
    // HTTP over UDP (SSDP) has no tcp.stream; oauth-inspect reads HTTP over TCP only.
    .filter((f) => f[1] !== '')
    .map((f) => ({ frame: Number(f[0]), stream: f[1] ?? '', methods: f[2] ?? '', uris: f[3] ?? '', authorizations: f[4] ?? '' }));
}

async function expectAgreement(file: string): Promise<number> {
  const ours = await ourRows(file);
  const theirs = tsharkRows(file, ours.serverPorts);
  expect(ours.rows, `${file}: oauth-inspect vs tshark`).toEqual(theirs);
  return theirs.length;
}

const fixtures = captureFiles(join(repoRoot, 'captures'));

describe('agreement with tshark on the fixtures in captures/', () => {
  it('has fixtures to compare', () => {
    expect(fixtures.length).toBeGreaterThan(5);
  });
  for (const file of fixtures) {
    it(`${file.slice(repoRoot.length)}`, async () => {
      const requests = await expectAgreement(file);
      expect(requests).toBeGreaterThan(0);
    });
  }
});

describe('agreement with tshark on the HTTP-carrying files of ../shared/corpus', () => {
  if (!hasSharedCorpus) {
    it('needs ../shared/corpus beside the clone', () => {
      console.warn(`shared corpus not found at ${corpusDir}: corpus agreement tests not run`);
      expect(process.env.CI, 'CI must have ../shared beside the clone').toBeUndefined();
    });
    return;
  }
  const files = [...captureFiles(join(corpusDir, 'tcpdump')), ...captureFiles(join(corpusDir, 'tls'))].filter(mayCarryHttp);
  it('finds HTTP-carrying files in the corpus', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    it(`${file.slice(corpusDir.length + 1)}`, async () => {
      await expectAgreement(file);
    });
  }
});

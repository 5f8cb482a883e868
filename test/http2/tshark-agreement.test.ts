// Recorded HTTP/2 fixtures (scripts/record-h2-captures.ts): every request's (frame, tcp.stream, HTTP/2 stream, method, path, Authorization) equals tshark's.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { H2_FIXTURE_DIR, H2_SCENARIOS, h2Tshark } from '../../scripts/record-h2-captures.js';
import { runInProcess } from '../helpers/cli.js';

interface Row {
  readonly frame: number;
  readonly stream: number;
  readonly h2Stream: number;
  readonly method: string;
  readonly path: string;
  readonly authorization: string[];
}

type Layers = Record<string, string[] | undefined>;

/**
 * tshark's requests: each request HEADERS frame (its method, path and authorization); an HTTP/1.1
 * request is stream 1 when it was upgraded to h2c, else none (-1), its Authorization not compared.
 */
function tsharkRows(json: string, upgraded: boolean): Row[] {
  const rows: Row[] = [];
  for (const packet of JSON.parse(json) as Array<{ _source: { layers: Layers } }>) {
    const layers = packet._source.layers;
    const frame = Number(layers['frame.number']![0]);
    const stream = Number(layers['tcp.stream']![0]);
    if (layers['http.request.method'] !== undefined) {
      rows.push({ frame, stream, h2Stream: upgraded ? 1 : -1, method: layers['http.request.method'][0]!, path: layers['http.request.uri']![0]!, authorization: [] });
      continue;
    }
    const methods = layers['http2.headers.method'] ?? [];
    const types = layers['http2.type'] ?? [];
    const names = layers['http2.header.name'] ?? [];
    const authorization = (layers['http2.header.value'] ?? []).filter((_, i) => names[i] === 'authorization');
    if (methods.length === 0) {
      // CONTINUATION frames: tshark shows the fields that complete there (a token that straddled the HEADERS frame).
      const continued = (layers['http2.streamid'] ?? []).filter((_, i) => types[i] === '9');
      const row = rows.findLast((r) => r.stream === stream && continued.includes(String(r.h2Stream)));
      row?.authorization.push(...authorization);
      continue;
    }
    const ids = (layers['http2.streamid'] ?? []).filter((_, i) => types[i] === '1');
    expect(ids.length, `frame ${frame}: one request per HEADERS frame`).toBe(methods.length);
    methods.forEach((method, i) =>
      rows.push({ frame, stream, h2Stream: Number(ids[i]), method, path: layers['http2.headers.path']![i]!, authorization: methods.length === 1 ? authorization : [authorization[i]!] }),
    );
  }
  return rows;
}

interface Summary {
  readonly frame: number;
  readonly stream: number;
  readonly h2Stream?: number;
  readonly method: string;
  readonly uri: string;
  readonly authorization: string[];
}

function ourRows(stdout: string, upgraded: boolean): Row[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Summary)
    .map((s) => ({
      frame: s.frame,
      stream: s.stream,
      h2Stream: s.h2Stream ?? -1,
      method: s.method,
      path: s.uri,
      // HTTP/1.1 requests (also the one upgraded to h2c) are listed without their fields here; test/tls and the goldens check those.
      authorization: s.h2Stream === undefined || (upgraded && s.h2Stream === 1) ? [] : s.authorization,
    }))
    .sort((a, b) => a.frame - b.frame || a.h2Stream - b.h2Stream);
}

describe('recorded HTTP/2 fixtures agree with tshark', () => {
  for (const scenario of H2_SCENARIOS) {
    const capture = join(H2_FIXTURE_DIR, scenario.embedSecrets ? `${scenario.name}.pcapng` : `${scenario.name}.pcap`);
    const keys = join(H2_FIXTURE_DIR, `${scenario.name}.keys`);
    const keyLog = existsSync(keys) ? keys : undefined;

    it(`${scenario.name}: (frame, tcp.stream, h2 stream, method, path, authorization) of every request`, async () => {
      const stored = readFileSync(join(H2_FIXTURE_DIR, `${scenario.name}.tshark.json`), 'utf8');
      expect(h2Tshark(capture, keyLog)).toBe(stored);
      const upgraded = scenario.name === 'h2c-upgrade';
      const expected = tsharkRows(stored, upgraded);
      expect(expected.length).toBeGreaterThan(0);
      const result = await runInProcess(['exchanges', '--format', 'json', '--show-secrets', ...(keyLog !== undefined ? ['--keylog', keyLog] : []), capture]);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(ourRows(result.stdout, upgraded)).toEqual(expected);
    });
  }

  it('h2-and-http1: the HTTP/1.1 connection beside the HTTP/2 one is read as HTTP/1.1', async () => {
    const result = await runInProcess(['exchanges', '--format', 'json', join(H2_FIXTURE_DIR, 'h2-and-http1.pcapng')]);
    const rows = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Summary);
    expect(rows.map((r) => [r.stream, r.h2Stream, r.uri])).toEqual([
      [0, 1, '/EWS/Exchange.asmx?h2=1'],
      [1, undefined, '/EWS/Exchange.asmx?http1=1'],
    ]);
  });

  it('h2-indexed-authorization: the one-byte indexed authorization decodes to the token sent as a literal before', async () => {
    const result = await runInProcess(['exchanges', '--format', 'json', '--show-secrets', '--keylog', join(H2_FIXTURE_DIR, 'h2-indexed-authorization.keys'), join(H2_FIXTURE_DIR, 'h2-indexed-authorization.pcap')]);
    const [first, second] = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Summary);
    expect(first!.authorization[0]).toMatch(/^Bearer eyJ/);
    expect(second!.authorization).toEqual(first!.authorization);
  });
});

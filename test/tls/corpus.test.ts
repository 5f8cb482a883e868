// The shared TLS corpus: every AES, ChaCha20, Camellia and 3DES connection decrypts, as tshark showed.
import { describe, expect, it } from 'vitest';
import { cipherSuite } from '../../src/tls/cipher-suites.js';
import { corpusDir, hasSharedCorpus, runInProcess, tshark } from '../helpers/cli.js';
import { decryptCapture, readTsv } from './run-tls.js';

const tlsDir = `${corpusDir}/tls`;

interface Summary {
  readonly frame: number;
  readonly stream: number;
  readonly method: string;
  readonly host: string;
  readonly uri: string;
  readonly tls?: { cipherSuite?: string };
}

async function exchangesOf(capture: string, keys: string): Promise<{ exchanges: Summary[]; stderr: string }> {
  const result = await runInProcess(['exchanges', '--keylog', `${tlsDir}/${keys}`, '--format', 'json', `${tlsDir}/${capture}`]);
  expect(result.code).toBe(0);
  return { exchanges: result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Summary), stderr: result.stderr };
}

describe('shared TLS corpus', () => {
  if (!hasSharedCorpus) {
    it('needs ../shared/corpus beside the clone', () => {
      console.warn(`shared corpus not found at ${corpusDir}: TLS corpus tests not run`);
      expect(process.env.CI, 'CI must have ../shared beside the clone').toBeUndefined();
    });
    return;
  }
  for (const name of ['tls12-many-suites', 'tls12-works']) {
    it(`${name}: requests of every runnable suite match tshark, the others say "cipher not supported"`, async () => {
      const suites = new Map((await readTsv(`${tlsDir}/${name}.ciphersuites.tshark.tsv`)).map(([stream, , id]) => [Number(stream), cipherSuite(Number(id))]));
      const expected = (await readTsv(`${tlsDir}/${name}.http-requests.tshark.tsv`))
        .filter(([, stream]) => suites.get(Number(stream))?.protection !== undefined)
        .map(([frame, stream, method, host, uri]) => ({ frame: Number(frame), stream: Number(stream), method, host, uri }));
      const { exchanges, stderr } = await exchangesOf(`${name}.pcapng`, `${name}.keys`);
      expect(exchanges.map(({ frame, stream, method, host, uri }) => ({ frame, stream, method, host, uri }))).toEqual(expected);
      for (const exchange of exchanges) expect(exchange.tls?.cipherSuite).toBe(suites.get(exchange.stream)?.name);
      for (const [stream, suite] of suites) {
        if (suite.protection === undefined) expect(stderr).toMatch(new RegExp(`stream ${stream}: cipher not supported: ${suite.name}`));
      }
      const runnable = [...suites.values()].filter((suite) => suite.protection !== undefined);
      expect(new Set(runnable.map((suite) => suite.protection!.node.split('-')[0]))).toEqual(
        name === 'tls12-works' ? new Set() : new Set(['des', 'aes', 'camellia']),
      );
    });
  }

  it('tls13-illustrated: the ping and the pong, in the frames tshark shows them', async () => {
    const expected = (await readTsv(`${tlsDir}/tls13-illustrated.app-data.tshark.tsv`)).map(([frame, stream, text]) => ({
      frame: Number(frame),
      stream: Number(stream),
      text,
    }));
    const { chunks, anomalies, decryptors } = await decryptCapture(`${tlsDir}/tls13-illustrated.pcap`, `${tlsDir}/tls13-illustrated.keys`);
    expect(chunks.map(({ frame, stream, text }) => ({ frame, stream, text }))).toEqual(expected);
    expect(anomalies).toEqual([]);
    const suiteId = tshark(['-r', `${tlsDir}/tls13-illustrated.pcap`, '-Y', 'tls.handshake.type == 2', '-T', 'fields', '-e', 'tls.handshake.ciphersuite']).trim();
    expect(decryptors[0]?.tlsInfo).toEqual({ version: 'TLS 1.3', cipherSuite: cipherSuite(Number(suiteId)).name, sni: 'example.ulfheim.net' });
  });

  it('without keys, each TLS stream gets one warning naming the stream, SNI and client random', async () => {
    const { chunks, anomalies } = await decryptCapture(`${tlsDir}/tls13-illustrated.pcap`);
    expect(chunks).toEqual([]);
    expect(anomalies.map((a) => [a.code, a.stream])).toEqual([['tls-no-key', 0]]);
    expect(anomalies[0]?.message).toMatch(/^no key for client random 000102030405060\d…, SNI example\.ulfheim\.net$/);
  });
});


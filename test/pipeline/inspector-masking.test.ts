// The Inspector masks each exchange once before the `exchange` hook (unless asked to keep secrets); judging still sees the secrets.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import type { HttpExchange, Judgement } from '../../src/model/index.js';
import { Inspector } from '../../src/pipeline/inspector.js';
import { makeExchange } from '../factories.js';

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const SIGNATURE = Buffer.from('a signature that no addon may see').toString('base64url');
const JWT = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url({ aud: 'api', sub: 'alice' })}.${SIGNATURE}`;
const PASSWORD = 'Pa55word-never-handed-on';

function exchange(): HttpExchange {
  return makeExchange({
    method: 'POST',
    uri: `/cb?access_token=${JWT}&state=1`,
    requestHeaders: { Host: 'api.test', Authorization: `Bearer ${JWT}` },
    requestBody: `grant_type=password&password=${PASSWORD}`,
    status: 200,
    responseBody: JSON.stringify({ access_token: JWT }),
  });
}

/** What the addon hooks received for one exchange. */
async function inspect(recordSecrets: boolean): Promise<{ recorded: HttpExchange[]; judged: Judgement[] }> {
  const recorded: HttpExchange[] = [];
  const judged: Judgement[] = [];
  const inspector = new Inspector(await resolveConfig(undefined, {}), [{ name: 'test', exchange: (ex) => recorded.push(ex), judged: (j) => judged.push(j) }], { recordSecrets });
  inspector.exchange(exchange());
  await inspector.finish([]);
  return { recorded, judged };
}

const text = (ex: HttpExchange): string =>
  [ex.request.uri, ...ex.request.headers.flat(), ex.request.body.bytes.toString('latin1'), ex.response?.body.bytes.toString('latin1') ?? ''].join('\n');

describe('Inspector: masking before the exchange hook', () => {
  it('hands recorders the exchange masked, once, and judges the secrets as sent', async () => {
    const { recorded, judged } = await inspect(false);
    expect(recorded).toHaveLength(1);
    const seen = text(recorded[0]!);
    expect(seen).not.toContain(SIGNATURE);
    expect(seen).not.toContain(PASSWORD);
    expect(seen).toContain(JWT.split('.').slice(0, 2).join('.'));
    expect(recorded[0]!.request.headers.find(([name]) => name === 'Host')?.[1]).toBe('api.test');
    // Decoding read the real token: its signature is not taken for a masked one.
    const jwt = judged[0]!.decoded.credentials.find((c) => c.decoded.type === 'jwt');
    expect(jwt?.decoded.type === 'jwt' && jwt.decoded.jwt.signatureMasked).toBeFalsy();
  });

  it('hands the exchange as sent with recordSecrets', async () => {
    const { recorded } = await inspect(true);
    expect(text(recorded[0]!)).toBe(text(exchange()));
  });
});

// No secret in default output: text, JSON, JUnit and SARIF of every fixture hide every raw credential.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeExchange } from '../../src/decode/decode-exchange.js';
import { readExchanges } from '../../src/pipeline/read-exchanges.js';
import { loadKeyLog } from '../../src/tls/load-key-log.js';
import { repoRoot, runInProcess } from '../helpers/cli.js';

const captures = [
  ...readdirSync(join(repoRoot, 'captures')).filter((f) => /\.(pcap|pcapng)(\.gz)?$/.test(f)),
  ...readdirSync(join(repoRoot, 'captures', 'tls-decryption'))
    .filter((f) => /\.(pcap|pcapng)$/.test(f))
    .map((f) => `tls-decryption/${f}`),
].sort();

/** The key log beside a TLS fixture, when it has one (the pcapng carries its keys inside). */
function keylogOf(capture: string): string | undefined {
  if (!/\.(pcap|pcapng)$/.test(capture)) return undefined; // a .saz or HAR has no key log (the name would be the capture itself)
  const keys = `captures/${capture.replace(/\.(pcap|pcapng)$/, '.keys')}`;
  return existsSync(join(repoRoot, keys)) ? keys : undefined;
}
const config = 'examples/sfb-online-exchange-onprem.yaml';

/** Every raw secret the capture carries, read with the decode stage and revealed on purpose. */
async function secretsIn(capture: string): Promise<string[]> {
  const secrets = new Set<string>();
  const add = (value: string | undefined) => {
    if (value && value.length >= 6) secrets.add(value);
  };
  const keylog = keylogOf(capture);
  const keyLog = await loadKeyLog(keylog === undefined ? undefined : join(repoRoot, keylog), {}, () => {});
  await readExchanges(join(repoRoot, 'captures', capture), {
    exchange(ex) {
      for (const c of decodeExchange(ex, 1).credentials) {
        const raw = c.value.reveal();
        add(raw);
        if (c.scheme === 'basic') {
          const text = Buffer.from(raw, 'base64').toString('utf8');
          add(text.slice(text.indexOf(':') + 1));
        }
        if (c.scheme === 'digest') add(/response="?([0-9a-f]+)/i.exec(raw)?.[1]);
        if (!raw.startsWith('eyJ')) continue;
        // Signatures of a JWT and of its actor token: the part that makes a token replayable.
        for (const part of raw.split('.').slice(2)) add(part);
        const actor = raw.split('.')[1];
        if (actor) {
          try {
            const claims = JSON.parse(Buffer.from(actor, 'base64url').toString('utf8')) as { actortoken?: string };
            add(claims.actortoken);
            add(claims.actortoken?.split('.')[2]);
          } catch {
            // not JSON: nothing nested to collect
          }
        }
      }
    },
    anomaly() {},
  }, { keyLog });
  return [...secrets];
}

describe('default output carries no raw credential', () => {
  const all = new Map<string, string[]>();
  beforeAll(async () => {
    for (const capture of captures) all.set(capture, await secretsIn(capture));
  });

  it('the fixtures carry secrets to look for (tokens, a Basic password, NTLM messages)', () => {
    const every = [...all.values()].flat();
    expect(every.length).toBeGreaterThan(20);
    expect(every).toContain('Fixture-Passw0rd!');
    expect(every.some((s) => s.startsWith('TlRMTVNTUAADAAAA'))).toBe(true);
    // Decrypted with their key logs, the TLS fixtures carry credentials too.
    expect(all.get('tls-decryption/tls12-gcm.pcap')?.length ?? 0).toBeGreaterThan(0);
    expect(all.get('tls-decryption/tls-embedded-secrets.pcapng')?.length ?? 0).toBeGreaterThan(0);
  });

  for (const capture of captures) {
    it(capture, async () => {
      const secrets = all.get(capture) ?? [];
      const outputs: Record<string, string> = {};
      for (const format of ['text', 'json', 'junit', 'sarif']) {
        const keylog = keylogOf(capture);
        const r = await runInProcess(['scan', `captures/${capture}`, ...(keylog ? ['--keylog', keylog] : []), '--rules', config, '--format', format, '--fail-on', 'never']);
        expect(r.code, r.stderr).toBe(0);
        outputs[format] = r.stdout + r.stderr;
      }
      const keys = keylogOf(capture);
      const keyArgs = keys ? ['--keylog', keys] : [];
      const listing = await runInProcess(['exchanges', ...keyArgs, `captures/${capture}`]);
      outputs['exchanges text'] = listing.stdout + listing.stderr;
      outputs['exchanges json'] = (await runInProcess(['exchanges', ...keyArgs, '--format', 'json', `captures/${capture}`])).stdout;
      for (const [format, text] of Object.entries(outputs)) {
        for (const secret of secrets) {
          expect(text.includes(secret), `${format} output of ${capture} shows a secret (${secret.slice(0, 4)}…)`).toBe(false);
        }
      }
    });
  }

  it('--show-secrets does reveal them (so the check above can see a leak)', async () => {
    const secrets = all.get('basic-auth.pcap') ?? [];
    const r = await runInProcess(['scan', 'captures/basic-auth.pcap', '--format', 'json', '--show-secrets', '--fail-on', 'never']);
    expect(secrets.some((s) => r.stdout.includes(s))).toBe(true);
  });
});

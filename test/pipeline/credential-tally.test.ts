// CredentialTally: groups by scheme and principal, counts sightings and distinct values, keeps few examples.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { Secret } from '../../src/model/index.js';
import { scanFiles } from '../../src/pipeline/scan.js';
import { CredentialTally } from '../../src/pipeline/credential-tally.js';
import { repoRoot } from '../helpers/cli.js';

describe('CredentialTally', () => {
  it('summarises the sample capture by scheme and principal', async () => {
    const outcome = await scanFiles([`${repoRoot}captures/sample-sfb-exchange.pcap`], await resolveConfig(undefined));
    const groups = outcome.result.credentialGroups ?? [];
    const byLabel = new Map(groups.map((g) => [`${g.schemeName} ${g.label}`, g]));
    const all = outcome.result.exchanges.flatMap((d) => d.credentials);
    expect(groups.reduce((n, g) => n + g.sightings, 0)).toBe(all.length);
    expect(byLabel.get('Basic user alice@contoso.test')).toMatchObject({ sightings: 1, distinct: 1 });
    expect(byLabel.get('NTLM NTLM type 1')).toMatchObject({ scheme: 'ntlm', sightings: 1 });
    const bearer = groups.find((g) => g.scheme === 'bearer' && g.label.startsWith('00000004-'));
    expect(bearer?.sightings).toBe(2);
    expect(bearer?.distinct).toBe(1);
    expect(bearer?.examples).toHaveLength(1);
  });

  it('keeps at most three examples however many distinct values it counts', async () => {
    const outcome = await scanFiles([`${repoRoot}captures/sample-sfb-exchange.pcap`], await resolveConfig(undefined));
    const bearer = outcome.result.exchanges.flatMap((d) => d.credentials).find((c) => c.scheme === 'bearer' && c.value.length > 0)!;
    const tally = new CredentialTally();
    for (let i = 0; i < 10; i++) tally.add({ ...bearer, value: new Secret(`${bearer.value.reveal()}-${i}`) });
    const [group] = tally.groups();
    expect(group).toMatchObject({ sightings: 10, distinct: 10 });
    expect(group?.examples).toHaveLength(3);
  });
});

// Configuration loading: validation with line numbers, path resolution, flags, defaults, the seed example.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, loadConfigFile, parseConfigText, resolveConfig } from '../../src/config/load-config.js';
import { configSchema } from '../../src/config/schema.js';
import { InputError } from '../../src/model/index.js';

function badConfig(text: string): InputError {
  try {
    parseConfigText(text, 'rules.yaml');
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('parseConfigText errors', () => {
  const cases: Array<[string, string, string]> = [
    ['unknown rule id', 'rules:\n  no-basic-auth: off\n  no-basci-auth: warning\n', 'rules.yaml:3: unknown rule id "no-basci-auth"'],
    ['unknown key', 'expectedRealms: []\nrealm: contoso.com\n', 'rules.yaml:2: unknown key "realm"'],
    ['realms not an array', '# comment\n\nexpectedRealms: contoso.com\n', 'rules.yaml:3: expectedRealms must be an array of strings'],
    ['realm entry not a string', 'expectedRealms:\n  - ok\n  - 12\n', 'rules.yaml:3: expectedRealms must be an array of strings'],
    ['bad rule setting', 'rules:\n  token-expired: warn\n', 'rules.yaml:2: rules.token-expired must be one of off, error, warning, note'],
    ['negative skew', 'clockSkewSeconds: -5\n', 'rules.yaml:1: clockSkewSeconds must be a whole number of seconds, 0 or more'],
    ['s2sOnly not boolean', 's2sOnly: "yes"\n', 'rules.yaml:1: s2sOnly must be true or false'],
    ['not a mapping', '- a\n- b\n', 'rules.yaml:1: the configuration must be a mapping of keys to values'],
    ['YAML syntax error', 'rules:\n  x: [\n', 'rules.yaml:3: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['duplicate key', 's2sOnly: true\ns2sOnly: false\n', 'rules.yaml:2: Map keys must be unique'],
    ['JSON too', '{\n  "rules": {\n    "nope": "off"\n  }\n}\n', 'rules.yaml:3: unknown rule id "nope"'],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const err = badConfig(text);
      expect(err.code).toBe('bad-config');
      expect(err.oneLine()).toBe(expected);
    });
  }
});

describe('loading', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the defaults without a file', async () => {
    const config = await resolveConfig(undefined);
    expect(config).toMatchObject({ expectedRealms: [], expectedIssuerPrincipals: ['00000004-0000-0ff1-ce00-000000000000'], audienceHosts: [], clockSkewSeconds: 300, s2sOnly: false, rules: {} });
    expect(config.trustStore.certificates).toEqual([]);
  });

  it('resolves certificate paths against the config file, with their line as origin', async () => {
    const path = join(dir, 'paths.yaml');
    writeFileSync(path, 's2sOnly: true\ncertificates:\n  - keys/a.cer\nmetadata:\n  - /abs/metadata.json\n');
    const file = await loadConfigFile(path);
    expect(file.certificates).toEqual([{ path: join(dir, 'keys/a.cer'), origin: `${path}:3` }]);
    expect(file.metadata).toEqual([{ path: '/abs/metadata.json', origin: `${path}:5` }]);
    await expect(loadConfig(path)).rejects.toMatchObject({ code: 'bad-config', path: `${path}:3` });
  });

  it('lets --realm replace the file realms and --cert add certificates', async () => {
    const path = join(dir, 'flags.yaml');
    writeFileSync(path, 'expectedRealms: [contoso.com]\nclockSkewSeconds: 60\n');
    const config = await loadConfig(path, { realms: ['5de110f8-2e0f-4d45-891d-bcf2218e253d'], certificates: ['captures/keys/oauth-test-cert.pem'] });
    expect(config.file).toBe(path);
    expect(config.expectedRealms).toEqual(['5de110f8-2e0f-4d45-891d-bcf2218e253d']);
    expect(config.clockSkewSeconds).toBe(60);
    expect(config.trustStore.certificates.map((c) => c.origin)).toEqual(['captures/keys/oauth-test-cert.pem']);
  });

  it('reports a missing file as not-found', async () => {
    await expect(loadConfig(join(dir, 'none.yaml'))).rejects.toMatchObject({ code: 'not-found' });
  });

  it('loads the seed example with its certificate', async () => {
    const config = await loadConfig('examples/sfb-online-exchange-onprem.yaml');
    expect(config).toMatchObject({
      expectedRealms: ['5de110f8-2e0f-4d45-891d-bcf2218e253d'],
      expectedIssuerPrincipals: ['00000004-0000-0ff1-ce00-000000000000'],
      audienceHosts: ['mail.contoso.test'],
      rules: { 'no-legacy-auth': 'note' },
    });
    expect(config.trustStore.certificates).toHaveLength(1);
    expect(config.trustStore.certificates[0]?.origin).toBe('examples/sfb-online-exchange-onprem.yaml:33');
  });
});

describe('docs/config.schema.json', () => {
  it('is the schema the loader validates with (UPDATE_SCHEMA=1 rewrites it)', () => {
    const path = resolve('docs/config.schema.json');
    const text = `${JSON.stringify(configSchema, null, 2)}\n`;
    if (process.env['UPDATE_SCHEMA'] === '1') writeFileSync(path, text);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});

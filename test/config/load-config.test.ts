// Configuration loading: validation with line numbers, path resolution, flags, defaults, the seed example.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, loadConfigFile, parseConfigText, resolveConfig } from '../../src/config/load-config.js';
import { OPTION_FLAGS } from '../../src/config/rule-options.js';
import { buildConfigSchema, configSchema, sharedOptions } from '../../src/config/schema.js';
import { defineRule, type Rule } from '../../src/rules/define-rule.js';
import { ruleList } from '../../src/rules/registry.js';
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
    ['bad rule setting', 'rules:\n  token-expired: warn\n', "rules.yaml:2: rules.token-expired must be one of off, error, warning, note, or a mapping of severity and the rule's options"],
    ['rule setting not a string', 'rules:\n  token-expired: 5\n', "rules.yaml:2: rules.token-expired must be one of off, error, warning, note, or a mapping of severity and the rule's options"],
    ['negative skew', 'clockSkewSeconds: -5\n', 'rules.yaml:1: clockSkewSeconds must be a whole number, 0 or more'],
    [
      'negative skew under the rule',
      'rules:\n  no-legacy-auth: note\n  token-expired:\n    severity: warning\n    clockSkewSeconds: -5\n',
      'rules.yaml:5: rules.token-expired.clockSkewSeconds must be a whole number, 0 or more',
    ],
    ['fractional skew, flow mapping', 'rules:\n  token-not-yet-valid: { clockSkewSeconds: 1.5 }\n', 'rules.yaml:2: rules.token-not-yet-valid.clockSkewSeconds must be a whole number, 0 or more'],
    [
      'an option the rule does not take',
      'rules:\n  token-expired:\n    expectedRealms: [contoso.com]\n',
      'rules.yaml:3: unknown option "expectedRealms" for rule token-expired (it takes severity, clockSkewSeconds)',
    ],
    ['options for a rule without any', 'rules:\n  no-basic-auth: { severity: note, users: [] }\n', 'rules.yaml:2: unknown option "users" for rule no-basic-auth (it takes severity)'],
    ['bad severity in the mapping form', 'rules:\n  no-legacy-auth: { severity: warn }\n', 'rules.yaml:2: rules.no-legacy-auth.severity must be one of off, error, warning, note'],
    [
      'realm entry under the rule not a string',
      'rules:\n  s2s-realm-mismatch:\n    expectedRealms:\n      - ok\n      - 12\n',
      'rules.yaml:5: rules.s2s-realm-mismatch.expectedRealms must be an array of strings',
    ],
    ['certificates not an array', 'certificates: a.cer\n', 'rules.yaml:1: certificates must be an array of file paths'],
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
    expect(config).toMatchObject({ rules: {}, ruleOptions: {} });
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

  it('feeds a shared top-level setting to every rule that declares it, and only to those', async () => {
    const path = join(dir, 'shared.yaml');
    writeFileSync(path, 'clockSkewSeconds: 60\ns2sOnly: true\nexpectedRealms: [contoso.com]\n');
    const config = await loadConfig(path);
    expect(config.ruleOptions).toEqual({
      's2s-audience-format': { s2sOnly: true },
      's2s-issuer-format': { s2sOnly: true },
      's2s-realm-mismatch': { expectedRealms: ['contoso.com'] },
      'token-expired': { clockSkewSeconds: 60 },
      'token-not-yet-valid': { clockSkewSeconds: 60 },
    });
    expect(config.rules).toEqual({});
  });

  it('lets an option set under the rule win over the shared setting, and reads its severity', async () => {
    const path = join(dir, 'per-rule.yaml');
    writeFileSync(path, 'clockSkewSeconds: 60\nrules:\n  token-expired: { severity: warning, clockSkewSeconds: 600 }\n  token-not-yet-valid: { severity: off }\n  no-legacy-auth: note\n');
    const config = await loadConfig(path);
    expect(config.rules).toEqual({ 'token-expired': 'warning', 'token-not-yet-valid': 'off', 'no-legacy-auth': 'note' });
    expect(config.ruleOptions).toEqual({ 'token-expired': { clockSkewSeconds: 600 }, 'token-not-yet-valid': { clockSkewSeconds: 60 } });
  });

  it('lets --realm and --issuer replace the options of the rules that take them, wherever the file sets them', async () => {
    const path = join(dir, 'flags-per-rule.yaml');
    writeFileSync(path, 'expectedIssuerPrincipals: [a]\nrules:\n  s2s-realm-mismatch: { expectedRealms: [contoso.com] }\n');
    const config = await loadConfig(path, { realms: ['fabrikam.com'], issuers: ['b'] });
    expect(config.ruleOptions).toEqual({ 's2s-issuer-format': { expectedIssuerPrincipals: ['b'] }, 's2s-realm-mismatch': { expectedRealms: ['fabrikam.com'] } });
    const flagsOnly = await resolveConfig(undefined, { realms: ['fabrikam.com'] });
    expect(flagsOnly.ruleOptions).toEqual({ 's2s-realm-mismatch': { expectedRealms: ['fabrikam.com'] } });
  });

  it('lets --realm replace the file realms and --cert add certificates', async () => {
    const path = join(dir, 'flags.yaml');
    writeFileSync(path, 'expectedRealms: [contoso.com]\nclockSkewSeconds: 60\n');
    const config = await loadConfig(path, { realms: ['5de110f8-2e0f-4d45-891d-bcf2218e253d'], certificates: ['captures/keys/oauth-test-cert.pem'] });
    expect(config.file).toBe(path);
    expect(config.ruleOptions['s2s-realm-mismatch']).toEqual({ expectedRealms: ['5de110f8-2e0f-4d45-891d-bcf2218e253d'] });
    expect(config.ruleOptions['token-expired']).toEqual({ clockSkewSeconds: 60 });
    expect(config.trustStore.certificates.map((c) => c.origin)).toEqual(['captures/keys/oauth-test-cert.pem']);
  });

  it('reports a missing file as not-found', async () => {
    await expect(loadConfig(join(dir, 'none.yaml'))).rejects.toMatchObject({ code: 'not-found' });
  });

  it('loads the seed example with its certificate', async () => {
    const config = await loadConfig('examples/sfb-online-exchange-onprem.yaml');
    expect(config.rules).toEqual({ 'no-legacy-auth': 'note' });
    expect(config.ruleOptions).toMatchObject({
      's2s-realm-mismatch': { expectedRealms: ['5de110f8-2e0f-4d45-891d-bcf2218e253d'] },
      's2s-issuer-format': { expectedIssuerPrincipals: ['00000004-0000-0ff1-ce00-000000000000'], s2sOnly: false },
      's2s-audience-format': { audienceHosts: ['mail.contoso.test'], s2sOnly: false },
      'token-expired': { clockSkewSeconds: 300 },
    });
    expect(config.trustStore.certificates).toHaveLength(1);
    expect(config.trustStore.certificates[0]?.origin).toBe('examples/sfb-online-exchange-onprem.yaml:37');
  });
});

describe('the schema built from the registry', () => {
  const withOption = (id: string, schema: Record<string, unknown>, name = 'limit'): Rule =>
    defineRule({
      id,
      severity: 'note',
      scope: 'sighting',
      title: id,
      description: 'test only',
      messages: { m: 'm' },
      docs: `docs/rules/${id}.md`,
      options: { schema: { type: 'object', properties: { [name]: schema }, additionalProperties: false }, defaults: { [name]: 0 } },
      check: () => [],
    });

  it('puts every rule under rules, and every option name at the top as a shared setting', () => {
    expect(Object.keys(configSchema.properties.rules.properties)).toEqual(ruleList.map((rule) => rule.id));
    expect([...sharedOptions(ruleList).keys()].sort()).toEqual(['audienceHosts', 'clockSkewSeconds', 'expectedIssuerPrincipals', 'expectedRealms', 's2sOnly']);
    expect(sharedOptions(ruleList).get('clockSkewSeconds')?.ruleIds).toEqual(['token-expired', 'token-not-yet-valid']);
  });

  it('maps every option flag to an option some rule declares', () => {
    const names = [...sharedOptions(ruleList).keys()];
    expect(Object.values(OPTION_FLAGS).filter((option) => !names.includes(option))).toEqual([]);
  });

  it('refuses two rules that declare one option name with different schemas', () => {
    expect(() => buildConfigSchema([withOption('rule-a', { type: 'integer' }), withOption('rule-b', { type: 'string' })])).toThrow(
      new TypeError('rule rule-b: option "limit" differs from the one rule-a declare'),
    );
  });

  it('refuses an option named like a configuration key, or severity', () => {
    expect(() => buildConfigSchema([withOption('rule-a', { type: 'integer' }, 'certificates')])).toThrow(TypeError);
    expect(() => withOption('rule-a', { type: 'integer' }, 'severity')).toThrow(new TypeError('rule rule-a: an option may not be called "severity"'));
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

describe('hostile configuration inputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-hostile-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a YAML alias bomb ("billion laughs") is one bad-config line naming the file, not an internal error', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`);
    }
    const path = join(dir, 'bomb.yaml');
    writeFileSync(path, `${levels.join('\n')}\n`);
    const error = await loadConfig(path).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('bad-config');
    expect((error as InputError).oneLine()).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1: the YAML expands too many aliases`));
  });

  it('a configuration that is not a regular file (/dev/zero) is refused at once', async () => {
    const started = Date.now();
    const error = await loadConfig('/dev/zero').then(() => undefined, (e: unknown) => e);
    expect((error as InputError).oneLine()).toBe('/dev/zero: is not a regular file (a configuration is expected)');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a configuration larger than a few MB is refused without reading it whole', async () => {
    const path = join(dir, 'huge.yaml');
    writeFileSync(path, `expectedRealms:\n  - "${'x'.repeat(5 * 1024 * 1024)}"\n`);
    const error = await loadConfig(path).then(() => undefined, (e: unknown) => e);
    expect((error as InputError).oneLine()).toMatch(/: is \d+ bytes: too large for a configuration/);
  });
});

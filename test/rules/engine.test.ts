// Engine: severity overrides, disabled rules, message severities, fingerprints, throwing rules.
import { describe, expect, it } from 'vitest';
import { defineRule } from '../../src/rules/define-rule.js';
import { createRuleEngine } from '../../src/rules/engine.js';
import { noBasicAuth } from '../../src/rules/pack/no-basic-auth.js';
import { s2sIssuerFormat } from '../../src/rules/pack/s2s-issuer-format.js';
import { ruleIds, ruleList } from '../../src/rules/registry.js';
import { SKYPE, TENANT, actorToken, bearerExchange, decodedExchange, outerToken, testConfig } from './factories.js';

const basicExchange = () =>
  decodedExchange({ credentials: [{ scheme: 'basic', value: 'dXNlcjpwYXNz', decoded: { type: 'basic', user: 'user' } }] });

describe('createRuleEngine', () => {
  it('reports with the rule severity, a rendered message and the credential fingerprint', () => {
    const decoded = basicExchange();
    const { findings, ruleErrors } = createRuleEngine(testConfig()).run(decoded);
    expect(ruleErrors).toEqual([]);
    const finding = findings.find((f) => f.ruleId === 'no-basic-auth');
    expect(finding).toMatchObject({
      severity: 'error',
      messageId: 'basic',
      message: 'Basic credentials for user "user" sent to mail.contoso.test',
      exchange: decoded.exchange,
      sighting: decoded.credentials[0],
      fingerprint: decoded.credentials[0]?.value.fingerprint,
    });
    expect(finding?.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('applies a severity override from the configuration', () => {
    const { findings } = createRuleEngine(testConfig({ rules: { 'no-basic-auth': 'note' } })).run(basicExchange());
    expect(findings.filter((f) => f.ruleId === 'no-basic-auth').map((f) => f.severity)).toEqual(['note']);
  });

  it('skips rules set to off', () => {
    const engine = createRuleEngine(testConfig({ rules: { 'no-basic-auth': 'off' } }));
    expect(engine.rules.map((r) => r.id)).not.toContain('no-basic-auth');
    expect(engine.run(basicExchange()).findings.filter((f) => f.ruleId === 'no-basic-auth')).toEqual([]);
  });

  it('uses a message severity below the rule severity, unless the configuration overrides it', () => {
    const tolerated = () => bearerExchange(outerToken(actorToken({ nameid: `${SKYPE}/@${TENANT}` }), { iss: `${SKYPE}/@${TENANT}` }));
    const byDefault = createRuleEngine(testConfig(), [s2sIssuerFormat]).run(tolerated()).findings;
    expect(byDefault.map((f) => [f.messageId, f.severity])).toEqual([['emptyHost', 'warning']]);
    const overridden = createRuleEngine(testConfig({ rules: { 's2s-issuer-format': 'error' } }), [s2sIssuerFormat]).run(tolerated()).findings;
    expect(overridden.map((f) => f.severity)).toEqual(['error']);
  });

  it('turns a throwing rule into a RuleError, drops its partial findings, and runs the other rules', () => {
    const throwing = defineRule({
      id: 'always-throws',
      severity: 'error',
      scope: 'sighting',
      title: 't',
      description: 'd',
      messages: { m: 'boom' },
      docs: 'docs/rules/always-throws.md',
      check: () => {
        throw new Error('rule bug');
      },
    });
    const decoded = basicExchange();
    const { findings, ruleErrors } = createRuleEngine(testConfig(), [throwing, noBasicAuth]).run(decoded);
    expect(ruleErrors).toEqual([{ ruleId: 'always-throws', message: 'rule bug', exchange: decoded.exchange }]);
    expect(findings.map((f) => f.ruleId)).toEqual(['no-basic-auth']);
  });

  it('reports a message with missing data or an unknown message id as a RuleError', () => {
    const badData = defineRule({
      id: 'bad-data',
      severity: 'note',
      scope: 'exchange',
      title: 't',
      description: 'd',
      messages: { m: 'needs {{thing}}' },
      docs: 'docs/rules/bad-data.md',
      check: () => [{ messageId: 'm', data: {} }],
    });
    const badId = defineRule({
      id: 'bad-id',
      severity: 'note',
      scope: 'exchange',
      title: 't',
      description: 'd',
      messages: { m: 'x' },
      docs: 'docs/rules/bad-id.md',
      check: () => [{ messageId: 'other' as 'm', data: {} }],
    });
    const { findings, ruleErrors } = createRuleEngine(testConfig(), [badData, badId]).run(decodedExchange());
    expect(findings).toEqual([]);
    expect(ruleErrors.map((e) => [e.ruleId, e.message])).toEqual([
      ['bad-data', 'message data lacks "thing"'],
      ['bad-id', 'reported unknown message id "other"'],
    ]);
  });

  it('gives exchange findings no fingerprint unless they name a sighting', () => {
    const decoded = decodedExchange({ exchange: bearerExchange(actorToken()).exchange });
    const exchangeRule = defineRule({
      id: 'exchange-rule',
      severity: 'note',
      scope: 'exchange',
      title: 't',
      description: 'd',
      messages: { m: 'x' },
      docs: 'docs/rules/exchange-rule.md',
      check: () => [{ messageId: 'm', data: {} }],
    });
    const [finding] = createRuleEngine(testConfig(), [exchangeRule]).run(decoded).findings;
    expect(finding).toBeDefined();
    expect(finding).not.toHaveProperty('fingerprint');
  });
});

describe('defineRule', () => {
  const base = { severity: 'error', scope: 'exchange', title: 't', description: 'd', messages: { m: 'x' }, check: () => [] } as const;
  it('rejects an id that is not kebab-case', () => {
    expect(() => defineRule({ ...base, id: 'No_Basic', docs: 'docs/rules/No_Basic.md' })).toThrow(new TypeError('rule id "No_Basic" is not kebab-case'));
  });
  it('rejects a docs path other than docs/rules/<id>.md', () => {
    expect(() => defineRule({ ...base, id: 'x-rule', docs: 'docs/x.md' })).toThrow(TypeError);
  });
  it('rejects a messageSeverity for an unknown message', () => {
    expect(() => defineRule({ ...base, id: 'x-rule', docs: 'docs/rules/x-rule.md', messageSeverity: { n: 'note' } as never })).toThrow(
      'messageSeverity names unknown message "n"',
    );
  });
});

describe('registry', () => {
  it('is sorted by id and keyed by each rule own id', () => {
    expect([...ruleIds]).toEqual([...ruleIds].sort());
    expect(ruleList.map((r) => r.id)).toEqual(ruleIds);
  });
});

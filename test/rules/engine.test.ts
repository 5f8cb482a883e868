// Engine: severity overrides, disabled rules, message severities, fingerprints, throwing rules.
import { describe, expect, it } from 'vitest';
import { defineRule } from '../../src/rules/define-rule.js';
import { createRuleEngine } from '../../src/rules/engine.js';
import { exchangePlaceOf, type Anomaly, type DecodedExchange } from '../../src/model/index.js';
import { captureUnreadable } from '../../src/rules/pack/capture-unreadable.js';
import { issuerNotTrusted } from '../../src/rules/pack/issuer-not-trusted.js';
import { noBasicAuth } from '../../src/rules/pack/no-basic-auth.js';
import { ruleIds, ruleList } from '../../src/rules/registry.js';
import {
  ACS,
  SKYPE,
  TENANT,
  actorToken,
  bearerChallenge,
  bearerExchange,
  challenge,
  decodedExchange,
  testConfig,
  testExchange,
} from './factories.js';

/** The empty Bearer probe, answered with a 401 whose challenge names only ACS. */
const acsProbe = () =>
  decodedExchange({
    exchange: testExchange({ status: 401 }),
    credentials: [{ value: '', decoded: { type: 'empty' } }],
    challenges: [bearerChallenge([`${ACS}@*`])],
  });

const basicExchange = () =>
  decodedExchange({ credentials: [{ scheme: 'basic', value: 'dXNlcjpwYXNz', decoded: { type: 'basic', user: 'user' } }] });

/** A rule that throws on every credential. */
const throwingRule = defineRule({
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
      exchangeId: decoded.exchangeId,
      place: exchangePlaceOf(decoded.exchange),
      sighting: decoded.credentials[0],
      fingerprint: decoded.credentials[0]?.value.fingerprint,
    });
    expect(finding?.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('gives every finding and rule error on an exchange its id and one shared, frozen place', () => {
    const decoded = decodedExchange({
      exchange: testExchange({ scheme: 'http', frame: 7, responseFrame: 9, status: 401 }),
      credentials: [{ scheme: 'basic', value: 'dXNlcjpwYXNz', decoded: { type: 'basic', user: 'user' } }],
    });
    const { findings, ruleErrors } = createRuleEngine(testConfig()).run(decoded);
    const withThrowing = createRuleEngine(testConfig(), [throwingRule, noBasicAuth]).run(decoded);
    expect(findings.length).toBeGreaterThan(1);
    const place = findings[0]?.place;
    expect(Object.isFrozen(place)).toBe(true);
    expect(place).toEqual({
      origin: { kind: 'har' },
      stream: 0,
      indexInStream: 0,
      host: 'mail.contoso.test',
      request: { method: 'POST', uri: '/EWS/Exchange.asmx', frame: 7 },
      response: { frame: 9 },
    });
    expect(ruleErrors).toEqual([]);
    expect(findings.every((f) => f.exchangeId === decoded.exchangeId && f.place === place)).toBe(true);
    expect(withThrowing.ruleErrors[0]?.place).toBe(withThrowing.findings[0]?.place);
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
    // A partner application's self-issued token while the server's challenge names only ACS: `partner` is a warning in an error rule.
    const findingsWith = (config: ReturnType<typeof testConfig>) => {
      const engine = createRuleEngine(config, [issuerNotTrusted]);
      engine.run(acsProbe());
      return engine.run(bearerExchange(actorToken({ iss: `${SKYPE}@${TENANT}` }))).findings;
    };
    expect(issuerNotTrusted.severity).toBe('error');
    expect(findingsWith(testConfig()).map((f) => [f.messageId, f.severity])).toEqual([['partner', 'warning']]);
    expect(findingsWith(testConfig({ rules: { 'issuer-not-trusted': 'error' } })).map((f) => f.severity)).toEqual(['error']);
  });

  it('turns a throwing rule into a RuleError, drops its partial findings, and runs the other rules', () => {
    const decoded = basicExchange();
    const { findings, ruleErrors } = createRuleEngine(testConfig(), [throwingRule, noBasicAuth]).run(decoded);
    expect(ruleErrors).toEqual([{ ruleId: 'always-throws', message: 'rule bug', exchangeId: decoded.exchangeId, place: exchangePlaceOf(decoded.exchange) }]);
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

describe('createRuleEngine: the server\'s answer', () => {
  /** A rule that weighs its `weighed` message by the server's answer and keeps its `kept` message as it is. */
  const weighing = defineRule({
    id: 'weighing-rule',
    severity: 'error',
    scope: 'sighting',
    title: 't',
    description: 'd',
    messages: { weighed: 'bad token', kept: 'bad caller' },
    serverEvidence: { accepted: 'note', except: ['kept'] },
    docs: 'docs/rules/weighing-rule.md',
    check: () => [
      { messageId: 'weighed', data: {} },
      { messageId: 'kept', data: {} },
    ],
  });
  const token = () => actorToken();
  const judged = (decoded: DecodedExchange, config = testConfig()) =>
    createRuleEngine(config, [weighing]).run(decoded).findings.map((f) => ({ messageId: f.messageId, severity: f.severity, message: f.message, data: f.data }));
  const kept = { messageId: 'kept', severity: 'error', message: 'bad caller', data: {} };
  const answeredWith = (status: number, challenges = [bearerChallenge([`${ACS}@*`], { error: 'invalid_token' })]) =>
    decodedExchange({ exchange: testExchange({ status }), credentials: [{ decoded: { type: 'jwt', jwt: token() } }], challenges });

  it('leaves a finding as the rule reports it when no response was seen', () => {
    expect(judged(bearerExchange(token()))).toEqual([{ messageId: 'weighed', severity: 'error', message: 'bad token', data: {} }, kept]);
  });

  it('lowers an accepted (2xx or 304) credential\'s finding to the declared severity and says so, except for the listed messages', () => {
    for (const status of [200, 204, 304]) {
      expect(judged(bearerExchange(token(), testExchange({ status })))).toEqual([
        {
          messageId: 'weighed',
          severity: 'note',
          message: `bad token; the server accepted it (HTTP ${status}), so this is information, not a failure`,
          data: { answer: `HTTP ${status}` },
        },
        kept,
      ]);
    }
  });

  it('neither lowers nor explains a finding on a redirect: a login page or a device in front answers a bad token with a 302', () => {
    const unweighed = [{ messageId: 'weighed', severity: 'error', message: 'bad token', data: {} }, kept];
    expect(judged(bearerExchange(token(), testExchange({ status: 302 })))).toEqual(unweighed);
    expect(judged(answeredWith(302))).toEqual(unweighed);
    expect(judged(bearerExchange(token(), testExchange({ status: 301 })))).toEqual(unweighed);
    expect(judged(bearerExchange(token(), testExchange({ status: 307 })))).toEqual(unweighed);
  });

  it('keeps the severity of a rejected credential\'s finding and calls it a likely cause when the server names a Bearer error', () => {
    const rejected = (answer: string) => ({
      messageId: 'weighed',
      severity: 'error',
      message: `bad token; the server rejected it (${answer}), and this is a likely cause`,
      data: { answer },
    });
    expect(judged(answeredWith(401))).toEqual([rejected('HTTP 401 error="invalid_token"'), kept]);
    expect(judged(answeredWith(403, [bearerChallenge(undefined, { error: 'insufficient_scope' })]))).toEqual([
      rejected('HTTP 403 error="insufficient_scope"'),
      kept,
    ]);
  });

  it('keeps the severity of a bare 401 (no Bearer error) and only names the answer: a device in front may have sent it', () => {
    const bare = [{ messageId: 'weighed', severity: 'error', message: 'bad token; the server answered HTTP 401', data: { answer: 'HTTP 401' } }, kept];
    expect(judged(answeredWith(401, [bearerChallenge([`${ACS}@*`])]))).toEqual(bare);
    expect(judged(answeredWith(401, [challenge('Negotiate'), challenge('NTLM')]))).toEqual(bare);
    expect(judged(answeredWith(401, []))).toEqual(bare);
  });

  it('adds nothing for answers that say nothing about the credential (403 without a Bearer error, 404, 500)', () => {
    const unweighed = [{ messageId: 'weighed', severity: 'error', message: 'bad token', data: {} }, kept];
    expect(judged(answeredWith(403, []))).toEqual(unweighed);
    expect(judged(answeredWith(404, []))).toEqual(unweighed);
    expect(judged(answeredWith(500, []))).toEqual(unweighed);
  });

  it('does not weigh a token handed out in the response by the status of that response', () => {
    const issued = decodedExchange({
      exchange: testExchange({ status: 200 }),
      credentials: [{ direction: 'response', schemeName: '', location: { type: 'json', name: 'access_token', message: 'response' }, decoded: { type: 'jwt', jwt: token() } }],
    });
    expect(judged(issued)).toEqual([{ messageId: 'weighed', severity: 'error', message: 'bad token', data: {} }, kept]);
  });

  it('keeps a severity the configuration sets, and still says what the server answered', () => {
    const accepted = bearerExchange(token(), testExchange({ status: 200 }));
    expect(judged(accepted, testConfig({ rules: { 'weighing-rule': 'warning' } }))).toEqual([
      {
        messageId: 'weighed',
        severity: 'warning',
        message: 'bad token; the server accepted it (HTTP 200), so this is information, not a failure',
        data: { answer: 'HTTP 200' },
      },
      { ...kept, severity: 'warning' },
    ]);
  });

  it('rejects a serverEvidence exception for an unknown message', () => {
    expect(() =>
      defineRule({ ...weighing, id: 'x-rule', docs: 'docs/rules/x-rule.md', serverEvidence: { accepted: 'note', except: ['other' as 'kept'] } }),
    ).toThrow('serverEvidence names unknown message "other"');
  });
});

describe('createRuleEngine: anomalies', () => {
  const noKey: Anomaly = {
    code: 'tls-no-key',
    severity: 'warning',
    message: 'no key for client random 5f1c3a9e0b7d2c44…, SNI mail.contoso.test',
    file: 'captures/s2s-tls.pcap',
    frame: 4,
    stream: 0,
    details: { server: '10.0.0.25:443', sni: 'mail.contoso.test', clientRandom: '5f1c3a9e0b7d2c44' },
  };

  it('judges an anomaly with the anomaly rules only: a finding with a place, no exchange, its fix and its page', () => {
    const engine = createRuleEngine(testConfig());
    const { findings, ruleErrors } = engine.judgeAnomaly(noKey);
    expect(ruleErrors).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'capture-unreadable',
      severity: 'error',
      messageId: 'noKey',
      where: { file: 'captures/s2s-tls.pcap', frame: 4, stream: 0 },
      docs: 'docs/rules/capture-unreadable.md',
    });
    expect(findings[0]?.exchangeId).toBeUndefined();
    expect(findings[0]?.place).toBeUndefined();
    expect(findings[0]?.fix).toMatch(/--keylog/);
  });

  it('never runs anomaly rules on exchanges', () => {
    const { findings, ruleErrors } = createRuleEngine(testConfig(), [captureUnreadable]).run(bearerExchange(actorToken()));
    expect([findings, ruleErrors]).toEqual([[], []]);
  });

  it('turns a throwing anomaly rule into a RuleError that points at the anomaly\'s place', () => {
    const throwing = defineRule({
      id: 'anomaly-throws',
      severity: 'error',
      scope: 'anomaly',
      title: 't',
      description: 'd',
      messages: { m: 'boom' },
      docs: 'docs/rules/anomaly-throws.md',
      check: () => {
        throw new Error('rule bug');
      },
    });
    const { findings, ruleErrors } = createRuleEngine(testConfig(), [throwing, captureUnreadable]).judgeAnomaly(noKey);
    expect(ruleErrors).toEqual([{ ruleId: 'anomaly-throws', message: 'rule bug', where: { file: 'captures/s2s-tls.pcap', frame: 4, stream: 0 } }]);
    expect(findings.map((f) => f.ruleId)).toEqual(['capture-unreadable']);
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

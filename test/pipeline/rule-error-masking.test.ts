// A rule that throws with a credential in its message: the rule error is masked before any output sees it.
import { expectLinear } from '../helpers/linear-time.js';
import { describe, expect, it } from 'vitest';
import { decodeExchange } from '../../src/decode/decode-exchange.js';
import { formatJson } from '../../src/report/format-json.js';
import { formatText } from '../../src/report/format-text.js';
import { createRuleEngine } from '../../src/rules/engine.js';
import { defineRule } from '../../src/rules/define-rule.js';
import { makeExchange } from '../factories.js';
import { testConfig } from '../rules/factories.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const signature = 'S1gnatureThatMustNeverBePrinted_0123456789abcdefghij';
const token = `${b64url({ typ: 'JWT', alg: 'RS256' })}.${b64url({ iss: 'x@y', aud: 'a/b@c' })}.${signature}`;
const basic = Buffer.from('alice:Secr3t-Passw0rd').toString('base64');

/** A rule that quotes its subject's raw value in the error it throws, as a careless rule might. */
const quotingRule = defineRule({
  id: 'quoting-rule',
  severity: 'error',
  scope: 'sighting',
  title: 'Throws with the raw credential',
  description: 'test only',
  messages: { never: 'never reported' },
  docs: 'docs/rules/quoting-rule.md',
  check(sighting, ctx) {
    throw new Error(`cannot judge ${sighting.value.reveal()} (raw ${ctx.decoded.exchange.request.headers.map(([, v]) => v).join(' ')})`);
  },
});

describe('rule errors are masked once, in the engine', () => {
  const exchange = makeExchange({
    method: 'POST',
    uri: '/EWS/Exchange.asmx',
    requestHeaders: [
      ['Host', 'mail.contoso.test'],
      ['Authorization', `Bearer ${token}`],
      ['Proxy-Authorization', `Basic ${basic}`],
    ],
    status: 200,
  });
  const decoded = decodeExchange(exchange, 1);
  const { ruleErrors } = createRuleEngine(testConfig(), [quotingRule]).run(decoded);

  it('reports the throwing rule as a rule error for each credential', () => {
    expect(ruleErrors.map((e) => e.ruleId)).toEqual(['quoting-rule']);
    expect(ruleErrors[0]!.message).toMatch(/^cannot judge /);
  });

  it('keeps no raw token, signature or Basic value in the rule error', () => {
    for (const error of ruleErrors) {
      expect(error.message).not.toContain(signature);
      expect(error.message).not.toContain(token);
      expect(error.message).not.toContain(basic);
    }
  });

  it('prints no raw secret in the JSON or text report that carries the rule error', () => {
    const result = { files: ['x.pcap'], exchanges: [decoded], findings: [], ruleErrors, anomalies: [] };
    const meta = { rules: [], toolVersion: 'test', docsBaseUri: 'file:///', failOn: 'error' as const, exitCode: 0 as const };
    for (const output of [formatJson(result, meta, { showSecrets: false }), formatText(result, meta, { showSecrets: false })]) {
      expect(output).toContain('quoting-rule');
      expect(output).not.toContain(signature);
      expect(output).not.toContain(basic);
    }
  });
});

describe('masking messages built from the wire', () => {
  it('is linear on a long run of `eyJ` (a crafted claim), where a backtracking pattern took seconds', async () => {
    const { maskCredentialsIn } = await import('../../src/rules/mask-text.js');
    expect(maskCredentialsIn(`token iss "${'eyJ'.repeat(100_000)}" is not a principal name`, [])).toContain('is not a principal name');
    expectLinear((n) => maskCredentialsIn(`token iss "${'eyJ'.repeat(n)}" is not a principal name`, []), 50_000);
  });
});

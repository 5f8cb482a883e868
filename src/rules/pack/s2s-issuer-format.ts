// Rule s2s-issuer-format: iss is `<principal guid>@<realm>` and the caller is an expected principal.
import { defineRule, type RuleReport } from '../define-rule.js';
import { isGuid, isValidRealm, parsePrincipalName, samePrincipal } from '../s2s/principal-name.js';
import { callerPrincipal, isEntraToken, presentedJwt, stringClaim, tokensOf } from '../s2s/tokens.js';

type MessageId = 'missing' | 'malformed' | 'emptyHost' | 'badRealm' | 'unexpectedCaller' | 'entraIssuer';

export const s2sIssuerFormat = defineRule({
  id: 's2s-issuer-format',
  severity: 'error',
  scope: 'sighting',
  title: 'S2S token issuer is not a principal name, or not the expected caller',
  description:
    'MS-XOAUTH requires iss = <principal GUID>@<realm> (the <principal>/<host>@<realm> form is accepted too). The realm is a tenant GUID or a DNS name. The calling principal must be one the configuration expects.',
  messages: {
    missing: '{{role}} token has no iss claim',
    malformed: '{{role}} token iss "{{iss}}" is not <principal GUID>@<realm>',
    emptyHost: '{{role}} token iss "{{iss}}" has an empty host before the @ (<principal>/@<realm>); tolerated, but no documented client sends it',
    badRealm: '{{role}} token iss "{{iss}}" has realm "{{realm}}", which is neither a GUID nor a DNS name',
    unexpectedCaller: 'calling principal {{caller}} is not an expected issuer principal ({{expected}})',
    entraIssuer: 'token iss "{{iss}}" is an Entra ID issuer, not an S2S principal name (s2sOnly is set)',
  },
  messageSeverity: { emptyHost: 'warning' },
  docs: 'docs/rules/s2s-issuer-format.md',
  check(sighting, ctx) {
    const jwt = presentedJwt(sighting);
    if (!jwt) return [];
    if (isEntraToken(jwt)) {
      if (!ctx.config.s2sOnly) return [];
      return [{ messageId: 'entraIssuer', data: { iss: stringClaim(jwt, 'iss') ?? '' } }];
    }
    const reports: RuleReport<MessageId>[] = [];
    for (const { role, jwt: token } of tokensOf(jwt)) {
      const iss = stringClaim(token, 'iss');
      if (iss === undefined) {
        reports.push({ messageId: 'missing', data: { role } });
        continue;
      }
      const name = parsePrincipalName(iss);
      if (!name || !isGuid(name.principal)) {
        reports.push({ messageId: 'malformed', data: { role, iss } });
        continue;
      }
      if (name.host === '') reports.push({ messageId: 'emptyHost', data: { role, iss } });
      if (!isValidRealm(name.realm)) reports.push({ messageId: 'badRealm', data: { role, iss, realm: name.realm } });
    }
    const expected = ctx.config.expectedIssuerPrincipals;
    const caller = callerPrincipal(jwt);
    if (expected.length > 0 && caller !== undefined && !expected.some((p) => samePrincipal(p, caller))) {
      reports.push({ messageId: 'unexpectedCaller', data: { caller, expected: expected.join(', ') } });
    }
    return reports;
  },
});

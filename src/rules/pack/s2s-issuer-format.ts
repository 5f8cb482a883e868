// Rule s2s-issuer-format: iss is `<principal guid>@<realm>` and the caller is an expected principal.
import { defineRule, type RuleReport } from '../define-rule.js';
import { nameList, s2sOnly } from '../shared-options.js';
import { isGuid, isValidRealm, parsePrincipalName, samePrincipal } from '../s2s/principal-name.js';
import { callerPrincipal, isEntraToken, jwtPurposeOf, presentedJwt, stringClaim, tokensOf } from '../s2s/tokens.js';

type MessageId = 'missing' | 'malformed' | 'badRealm' | 'unexpectedCaller' | 'entraIssuer';

export const s2sIssuerFormat = defineRule({
  id: 's2s-issuer-format',
  severity: 'error',
  scope: 'sighting',
  subject: 'token',
  title: 'S2S token issuer is not a principal name, or not the expected caller',
  description:
    'MS-XOAUTH requires iss = <principal GUID>@<realm>; <principal>/@<realm> and <principal>/<host>@<realm> (the "/ before the @" admins see in Skype for Business traffic) are accepted without a warning. The realm is a tenant GUID or a DNS name. The calling principal must be one the configuration expects (Skype for Business, 00000004-0000-0ff1-ce00-000000000000, unless configured otherwise).',
  messages: {
    missing: '{{token}} has no iss claim',
    malformed: '{{token}} iss "{{iss}}" is not <principal GUID>@<realm>',
    badRealm: '{{token}} iss "{{iss}}" has realm "{{realm}}", which is neither a GUID nor a DNS name',
    unexpectedCaller: 'calling principal {{caller}} is not an expected issuer principal ({{expected}})',
    entraIssuer: 'token iss "{{iss}}" is an Entra ID issuer, not an S2S principal name (s2sOnly is set)',
  },
  serverEvidence: { accepted: 'note', except: ['unexpectedCaller'] },
  options: {
    schema: {
      type: 'object',
      properties: {
        expectedIssuerPrincipals: nameList('Principal GUIDs allowed to call (the caller of an S2S token); empty: not checked.'),
        s2sOnly,
      },
      additionalProperties: false,
    },
    // The caller of the seed scenario (SfB ⇄ Exchange S2S): Skype for Business (Lync).
    defaults: { expectedIssuerPrincipals: ['00000004-0000-0ff1-ce00-000000000000'] as readonly string[], s2sOnly: false },
  },
  docs: 'docs/rules/s2s-issuer-format.md',
  check(sighting, ctx) {
    const jwt = presentedJwt(sighting);
    if (!jwt) return [];
    if (isEntraToken(jwt)) {
      if (!ctx.options.s2sOnly) return [];
      return [{ messageId: 'entraIssuer', data: { iss: stringClaim(jwt, 'iss') ?? '' } }];
    }
    const reports: RuleReport<MessageId>[] = [];
    for (const { label: token, jwt: judged } of tokensOf(jwt, jwtPurposeOf(sighting))) {
      const iss = stringClaim(judged, 'iss');
      if (iss === undefined) {
        reports.push({ messageId: 'missing', data: { token } });
        continue;
      }
      const name = parsePrincipalName(iss);
      if (!name || !isGuid(name.principal)) {
        reports.push({ messageId: 'malformed', data: { token, iss } });
        continue;
      }
      if (!isValidRealm(name.realm)) reports.push({ messageId: 'badRealm', data: { token, iss, realm: name.realm || '(empty)' } });
    }
    const expected = ctx.options.expectedIssuerPrincipals;
    // A client assertion's iss is the token service's client, not a caller of this resource.
    const caller = jwtPurposeOf(sighting) === 'client-assertion' ? undefined : callerPrincipal(jwt);
    if (expected.length > 0 && caller !== undefined && !expected.some((p) => samePrincipal(p, caller))) {
      reports.push({ messageId: 'unexpectedCaller', data: { caller, expected: expected.join(', ') } });
    }
    return reports;
  },
});

// Rule s2s-realm-mismatch: the realms in iss, aud, the actor token and the configuration agree.
import type { DecodedJwt } from '../../model/index.js';
import { defineRule, type RuleReport } from '../define-rule.js';
import { isGuid, parsePrincipalName } from '../s2s/principal-name.js';
import { isEntraToken, presentedJwt, stringClaim, tokensOf } from '../s2s/tokens.js';

type MessageId = 'tokenRealms' | 'caseOnly' | 'unexpectedRealm' | 'wildcard';

interface RealmSource {
  readonly where: string;
  readonly realm: string;
}

export const s2sRealmMismatch = defineRule({
  id: 's2s-realm-mismatch',
  severity: 'error',
  scope: 'sighting',
  title: 'Realms in the S2S token disagree with each other or with the configuration',
  description:
    'MS-XOAUTH §3.2.5.6 compares realms case-sensitively: the realm of iss, aud and the actor token must be the same, and must be the realm the server is configured for. `*` belongs in trusted_issuers, never in a token.',
  messages: {
    tokenRealms: 'realms in the token disagree: {{realms}}',
    caseOnly: 'realms in the token differ only in case, and realms compare case-sensitively: {{realms}}',
    unexpectedRealm: 'realm "{{realm}}" ({{where}}) is not a configured realm ({{expected}})',
    wildcard: 'realm "*" in {{where}}: a wildcard is only meaningful in trusted_issuers',
  },
  docs: 'docs/rules/s2s-realm-mismatch.md',
  check(sighting, ctx) {
    const jwt = presentedJwt(sighting);
    if (!jwt || isEntraToken(jwt)) return [];
    const reports: RuleReport<MessageId>[] = [];
    const sources: RealmSource[] = [];
    for (const source of realmSources(jwt)) {
      if (source.realm === '*') reports.push({ messageId: 'wildcard', data: { where: source.where } });
      else sources.push(source);
    }
    const distinct = [...new Set(sources.map((s) => s.realm))];
    if (distinct.length > 1) {
      const realms = sources.map((s) => `${s.where} ${s.realm}`).join(', ');
      const caseOnly = new Set(distinct.map((r) => r.toLowerCase())).size === 1;
      reports.push({ messageId: caseOnly ? 'caseOnly' : 'tokenRealms', data: { realms } });
    }
    const expected = ctx.config.expectedRealms;
    if (expected.length > 0) {
      for (const realm of distinct) {
        if (expected.includes(realm)) continue;
        const where = sources.filter((s) => s.realm === realm).map((s) => s.where).join(', ');
        reports.push({ messageId: 'unexpectedRealm', data: { realm, where, expected: expected.join(', ') } });
      }
    }
    return reports;
  },
});

/** Realms of iss, aud and (when it names an application principal) nameid, for each token. */
function realmSources(jwt: DecodedJwt): RealmSource[] {
  const sources: RealmSource[] = [];
  for (const { role, jwt: token } of tokensOf(jwt)) {
    for (const claim of ['iss', 'aud', 'nameid']) {
      const value = stringClaim(token, claim);
      const name = value === undefined ? undefined : parsePrincipalName(value);
      // A user's nameid (a UPN such as user@contoso.com) has no realm; principals are GUIDs.
      if (name && isGuid(name.principal)) sources.push({ where: `${role} ${claim}`, realm: name.realm });
    }
  }
  return sources;
}

// Rule s2s-realm-mismatch: the realms in iss, aud, the actor token and the configuration agree (one finding per token).
import type { DecodedJwt } from '../../model/index.js';
import { defineRule } from '../define-rule.js';
import { nameList } from '../shared-options.js';
import { isGuid, parsePrincipalName } from '../s2s/principal-name.js';
import { isEntraToken, jwtPurposeOf, presentedJwt, stringClaim, tokensOf } from '../s2s/tokens.js';

type MessageId = 'tokenRealms' | 'caseOnly' | 'unexpectedRealm' | 'wildcard';

interface RealmSource {
  readonly where: string;
  readonly realm: string;
}

export const s2sRealmMismatch = defineRule({
  id: 's2s-realm-mismatch',
  severity: 'error',
  scope: 'sighting',
  subject: 'token',
  title: 'Realms in the S2S token disagree with each other or with the configuration',
  description:
    'MS-XOAUTH §3.2.5.6 compares realms case-sensitively: the realm of iss, aud and the actor token must be the same, and must be the realm the server is configured for. `*` belongs in trusted_issuers, never in a token. All realm facts about one presented token make one finding: the most telling one is the message, the others follow it.',
  messages: {
    unexpectedRealm: 'realm {{realm}} ({{where}}) is not a configured realm ({{expected}}){{details}}',
    tokenRealms: 'realms in the token disagree: {{realms}}{{details}}',
    caseOnly: 'realms in the token differ only in case, and realms compare case-sensitively: {{realms}}{{details}}',
    wildcard: 'realm "*" in {{where}}: a wildcard is only meaningful in trusted_issuers{{details}}',
  },
  serverEvidence: { accepted: 'note' },
  options: {
    schema: {
      type: 'object',
      properties: { expectedRealms: nameList('Realms (tenant GUIDs or DNS names) tokens must carry; empty: not checked.') },
      additionalProperties: false,
    },
    defaults: { expectedRealms: [] as readonly string[] },
  },
  docs: 'docs/rules/s2s-realm-mismatch.md',
  check(sighting, ctx) {
    const jwt = presentedJwt(sighting);
    if (!jwt || isEntraToken(jwt)) return [];
    const all = realmSources(jwt, jwtPurposeOf(sighting) === 'client-assertion');
    const wildcards = all.filter((s) => s.realm === '*');
    const sources = all.filter((s) => s.realm !== '*');
    const facts: Array<{ messageId: MessageId; data: Record<string, string>; text: string }> = [];
    const expected = ctx.options.expectedRealms;
    const distinct = [...new Set(sources.map((s) => s.realm))];
    if (expected.length > 0) {
      for (const realm of distinct) {
        if (expected.includes(realm)) continue;
        const where = sources.filter((s) => s.realm === realm).map((s) => s.where).join(', ');
        const data = { realm: shown(realm), where, expected: expected.join(', ') };
        facts.push({ messageId: 'unexpectedRealm', data, text: `realm ${data.realm} (${where}) is not a configured realm` });
      }
    }
    if (distinct.length > 1) {
      const realms = sources.map((s) => `${s.where} ${shown(s.realm)}`).join(', ');
      const caseOnly = new Set(distinct.map((r) => r.toLowerCase())).size === 1;
      facts.push({
        messageId: caseOnly ? 'caseOnly' : 'tokenRealms',
        data: { realms },
        text: caseOnly ? `realms differ only in case: ${realms}` : `realms disagree: ${realms}`,
      });
    }
    for (const source of wildcards) {
      facts.push({ messageId: 'wildcard', data: { where: source.where }, text: `realm "*" in ${source.where}` });
    }
    const [first, ...rest] = facts;
    if (!first) return [];
    const details = rest.length > 0 ? `; also ${rest.map((fact) => fact.text).join('; ')}` : '';
    return [{ messageId: first.messageId, data: { ...first.data, details } }];
  },
});

/** A realm for messages: quoted, and `(empty)` for `<principal>@`. */
function shown(realm: string): string {
  return realm === '' ? '(empty)' : `"${realm}"`;
}

/**
 * Realms of iss, aud and (when it names an application principal) nameid, for each token. The aud
 * of a client assertion names the token service in the same realm, so it counts as well.
 */
function realmSources(jwt: DecodedJwt, assertion: boolean): RealmSource[] {
  const sources: RealmSource[] = [];
  for (const { label, jwt: token } of tokensOf(jwt, assertion ? 'client-assertion' : 'access-token')) {
    for (const claim of ['iss', 'aud', 'nameid']) {
      const value = stringClaim(token, claim);
      const name = value === undefined ? undefined : parsePrincipalName(value);
      // A user's nameid (a UPN such as user@contoso.com) has no realm; principals are GUIDs.
      if (name && isGuid(name.principal)) sources.push({ where: `${label} ${claim}`, realm: name.realm });
    }
  }
  return sources;
}

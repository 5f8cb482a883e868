// Rule no-legacy-auth: a request carries NTLM, Negotiate or Digest credentials instead of OAuth.
import type { CredentialSighting } from '../../model/index.js';
import { defineRule } from '../define-rule.js';
import { requestHost } from '../request-host.js';

export const noLegacyAuth = defineRule({
  id: 'no-legacy-auth',
  severity: 'warning',
  scope: 'sighting',
  title: 'NTLM, Negotiate or Digest credentials in a request',
  description:
    'Server-to-server calls between Exchange, Skype for Business and their online services use OAuth only. Windows or Digest credentials on these paths point to an OAuth fallback or a misconfigured virtual directory.',
  messages: {
    ntlm: 'NTLM {{stage}} message sent to {{host}}',
    ntlmAccount: 'NTLM AUTHENTICATE message for {{account}} sent to {{host}}',
    negotiate: 'Negotiate credentials ({{mechanism}}) sent to {{host}}',
    digest: 'Digest credentials for user "{{user}}" sent to {{host}}',
  },
  docs: 'docs/rules/no-legacy-auth.md',
  check(sighting, ctx) {
    if (sighting.direction !== 'request' || sighting.decoded.type === 'empty') return [];
    const host = requestHost(ctx.decoded.exchange);
    const decoded = sighting.decoded;
    switch (sighting.scheme) {
      case 'ntlm': {
        const ntlm = decoded.type === 'ntlm' ? decoded.ntlm : undefined;
        if (ntlm?.messageType === 3) return [{ messageId: 'ntlmAccount', data: { host, account: ntlmAccount(ntlm) } }];
        return [{ messageId: 'ntlm', data: { host, stage: ntlm?.messageType === 1 ? 'NEGOTIATE' : 'undecoded' } }];
      }
      case 'negotiate':
        return [{ messageId: 'negotiate', data: { host, mechanism: negotiateMechanism(sighting) } }];
      case 'digest': {
        const user = decoded.type === 'digest' ? (decoded.params['username'] ?? '(none)') : '(undecoded)';
        return [{ messageId: 'digest', data: { host, user } }];
      }
      default:
        return [];
    }
  },
});

function ntlmAccount(ntlm: { domain?: string; user?: string }): string {
  const user = ntlm.user || '(anonymous)';
  return ntlm.domain ? `${ntlm.domain}\\${user}` : user;
}

function negotiateMechanism(sighting: CredentialSighting): string {
  if (sighting.decoded.type === 'kerberos') return 'Kerberos';
  if (sighting.decoded.type === 'ntlm') return 'NTLM';
  return 'unknown mechanism';
}

// Rule cleartext-credential: a credential crosses the network over plain HTTP, without TLS.
import { defineRule } from '../define-rule.js';
import { requestHost } from '../request-host.js';
import { describeCredential, describeLocation } from '../s2s/credential-location.js';

export const cleartextCredential = defineRule({
  id: 'cleartext-credential',
  severity: 'warning',
  scope: 'sighting',
  title: 'Credential over plain HTTP',
  description:
    'A credential in a plain-HTTP exchange can be read by anyone on the path; S2S actor tokens stay replayable for up to 24 hours. An empty Bearer probe is not a credential and is not reported.',
  messages: {
    cleartext: '{{kind}} in the {{direction}} over plain HTTP to {{host}} ({{where}})',
  },
  docs: 'docs/rules/cleartext-credential.md',
  check(sighting, ctx) {
    const exchange = ctx.decoded.exchange;
    if (exchange.scheme !== 'http' || exchange.tls !== undefined || sighting.decoded.type === 'empty') return [];
    return [
      {
        messageId: 'cleartext',
        data: {
          kind: describeCredential(sighting),
          direction: sighting.direction,
          host: requestHost(exchange),
          where: describeLocation(sighting.location),
        },
      },
    ];
  },
});

// Tracks, per server host, the Bearer challenges (and their trusted_issuers) seen so far in a scan.
import type { AuthChallenge, DecodedExchange } from '../model/index.js';
import type { ServerContext } from './define-rule.js';
import { requestHost } from './request-host.js';

/** Bounds, so a capture with very many hosts or challenges cannot grow memory without limit. */
const MAX_HOSTS = 10_000;
const MAX_CHALLENGES_PER_HOST = 32;
const MAX_ISSUERS_PER_HOST = 256;

interface HostAnnouncements {
  readonly challenges: AuthChallenge[];
  readonly issuers: Set<string>;
  /** The context last handed out, reused until something new is announced. */
  snapshot?: ServerContext;
}

export interface ServerContextTracker {
  /** Records this exchange's Bearer challenges under its host, and returns the host's context. */
  observe(decoded: DecodedExchange): ServerContext;
}

export function createServerContextTracker(): ServerContextTracker {
  const byHost = new Map<string, HostAnnouncements>();
  return {
    observe(decoded) {
      const host = requestHost(decoded.exchange);
      const bearer = decoded.challenges.filter((c) => c.scheme.toLowerCase() === 'bearer');
      let known = byHost.get(host);
      if (!known && bearer.length > 0 && byHost.size < MAX_HOSTS) {
        known = { challenges: [], issuers: new Set<string>() };
        byHost.set(host, known);
      }
      if (!known) {
        const issuers = new Set(bearer.flatMap((c) => c.trustedIssuers ?? []));
        return { host, bearerChallenges: bearer, trustedIssuers: [...issuers] };
      }
      for (const challenge of bearer) {
        if (known.challenges.length < MAX_CHALLENGES_PER_HOST) known.challenges.push(challenge);
        for (const issuer of challenge.trustedIssuers ?? []) {
          if (known.issuers.size < MAX_ISSUERS_PER_HOST) known.issuers.add(issuer);
        }
        known.snapshot = undefined;
      }
      known.snapshot ??= { host, bearerChallenges: [...known.challenges], trustedIssuers: [...known.issuers] };
      return known.snapshot;
    },
  };
}

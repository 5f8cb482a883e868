// What each server (by host) announced in its Bearer challenges so far in a scan: the memory
// issuer-not-trusted keeps as its rule state. Bounded, so a capture with very many hosts or
// challenges cannot grow it without limit.
import type { AuthChallenge, DecodedExchange } from '../../model/index.js';
import { requestHost } from '../request-host.js';

const MAX_HOSTS = 10_000;
const MAX_CHALLENGES_PER_HOST = 32;
const MAX_ISSUERS_PER_HOST = 256;

/** What one server (by host) announced in 401 challenges so far in the capture. */
export interface Announced {
  /** Request host, lower-case, without port. */
  readonly host: string;
  /** Bearer challenges this host sent earlier, and in this exchange's own response. */
  readonly bearerChallenges: readonly AuthChallenge[];
  /** The union of their `trusted_issuers`, in first-seen order. */
  readonly trustedIssuers: readonly string[];
}

interface HostAnnouncements {
  readonly challenges: AuthChallenge[];
  readonly issuers: Set<string>;
  /** The announcements last handed out, reused until something new is announced. */
  snapshot?: Announced;
}

export interface AnnouncedChallenges {
  /** Records this exchange's Bearer challenges under its host, and returns what the host announced so far. */
  observe(decoded: DecodedExchange): Announced;
}

export function createAnnouncedChallenges(): AnnouncedChallenges {
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

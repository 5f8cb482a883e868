// Matching a token's iss against trusted_issuers patterns (`<principal>@<realm|*>`, `https://sts.windows.net/*/`).

/**
 * True when `iss` matches the pattern. `*` stands for any text without `/` or `@`; an empty realm
 * (`<principal>@`) matches any realm. The comparison ignores case, as GUIDs and host names do.
 */
export function matchesTrustedIssuer(pattern: string, iss: string): boolean {
  const wildcardRealm = pattern.endsWith('@') ? `${pattern}*` : pattern;
  const source = wildcardRealm
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/@]*');
  return new RegExp(`^${source}$`, 'i').test(iss);
}

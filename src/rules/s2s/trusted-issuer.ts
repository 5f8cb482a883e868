// Matching a token's iss against trusted_issuers patterns (`<principal>@<realm|*>`, `https://sts.windows.net/*/`).

/**
 * True when `iss` matches the pattern. `*` stands for any text without `/` or `@`; an empty realm
 * (`<principal>@`) matches any realm. The comparison ignores case, as GUIDs and host names do.
 */
export function matchesTrustedIssuer(pattern: string, iss: string): boolean {
  return patternRegExp(pattern).test(iss);
}

/** Patterns compiled once each (a server announces the same few on every 401); bounded. */
const compiledPatterns = new Map<string, RegExp>();
const MAX_COMPILED_PATTERNS = 1_024;

function patternRegExp(pattern: string): RegExp {
  let compiled = compiledPatterns.get(pattern);
  if (compiled === undefined) {
    const wildcardRealm = pattern.endsWith('@') ? `${pattern}*` : pattern;
    const source = wildcardRealm
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/@]*');
    compiled = new RegExp(`^${source}$`, 'i');
    if (compiledPatterns.size >= MAX_COMPILED_PATTERNS) compiledPatterns.clear();
    compiledPatterns.set(pattern, compiled);
  }
  return compiled;
}

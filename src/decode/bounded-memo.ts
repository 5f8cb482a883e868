// A small bounded memo for pure decoders: keep-alive traffic repeats the same token on every request.

/** Keys longer than this are looked up by their length and tail, then compared in full. */
const SHORT_KEY_CHARS = 64;

/**
 * Wraps a pure single-argument function with a cache of at most `capacity` entries (oldest
 * evicted first). Only for functions whose results are immutable and may be shared. Long keys
 * (tokens of kilobytes) are found by length and tail, which hashes far fewer characters than the
 * whole string, and then checked for full equality, so a collision only costs a miss.
 */
export function boundedMemo<R>(fn: (key: string) => R, capacity = 512): (key: string) => R {
  const cache = new Map<string, { readonly key: string; readonly value: R }>();
  return (key: string): R => {
    const lookup = key.length > SHORT_KEY_CHARS ? `${key.length}:${key.slice(-SHORT_KEY_CHARS)}` : key;
    const hit = cache.get(lookup);
    if (hit !== undefined && hit.key === key) return hit.value;
    const value = fn(key);
    if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
    cache.set(lookup, { key, value });
    return value;
  };
}

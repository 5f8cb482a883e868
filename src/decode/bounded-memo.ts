// A small bounded memo for pure decoders: keep-alive traffic repeats the same token on every request.

/** Characters of a key's tail hashed to find it; the whole key is then compared. */
const TAIL_CHARS = 64;

/** A number from the key's length and tail, computed without allocating (a token of kilobytes is not hashed whole). */
function tailHash(key: string): number {
  let hash = key.length;
  for (let i = Math.max(0, key.length - TAIL_CHARS); i < key.length; i++) hash = (Math.imul(hash, 31) + key.charCodeAt(i)) | 0;
  return hash;
}

/**
 * Wraps a pure single-argument function with a cache of at most `capacity` entries (oldest
 * evicted first). Only for functions whose results are immutable and may be shared. Keys are
 * found by a hash of their length and tail, which reads far fewer characters than a long token
 * and builds no lookup string, and then checked for full equality, so a collision only costs a miss.
 */
export function boundedMemo<R>(fn: (key: string) => R, capacity = 512): (key: string) => R {
  const cache = new Map<number, { readonly key: string; readonly value: R }>();
  return (key: string): R => {
    const lookup = tailHash(key);
    const hit = cache.get(lookup);
    if (hit !== undefined && hit.key === key) return hit.value;
    const value = fn(key);
    if (cache.size >= capacity) cache.delete(cache.keys().next().value as number);
    cache.set(lookup, { key, value });
    return value;
  };
}

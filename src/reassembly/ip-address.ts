// IP address text as Wireshark prints it: dotted IPv4, RFC 5952 compressed IPv6 (with a small cache).

const CACHE_LIMIT = 4096;
const v4Cache = new Map<number, string>();
const v6Cache = new Map<string, string>();

/** Dotted-quad text of the 4 bytes at `offset`. */
export function ipv4Text(bytes: Buffer, offset: number): string {
  const key = ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
  let text = v4Cache.get(key);
  if (text === undefined) {
    text = `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
    if (v4Cache.size >= CACHE_LIMIT) v4Cache.clear();
    v4Cache.set(key, text);
  }
  return text;
}

/** RFC 5952 text of the 16 bytes at `offset`: lower-case, longest zero run as `::`, ::ffff:a.b.c.d. */
export function ipv6Text(bytes: Buffer, offset: number): string {
  const key = bytes.toString('latin1', offset, offset + 16);
  let text = v6Cache.get(key);
  if (text === undefined) {
    text = formatIpv6(bytes, offset);
    if (v6Cache.size >= CACHE_LIMIT) v6Cache.clear();
    v6Cache.set(key, text);
  }
  return text;
}

function formatIpv6(bytes: Buffer, offset: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((bytes[offset + 2 * i]! << 8) | bytes[offset + 2 * i + 1]!);
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `::ffff:${ipv4Text(bytes, offset + 12)}`;
  }
  // Longest run of zero groups (first one on ties); a single zero group is not compressed.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

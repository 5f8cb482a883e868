// Durations as people read them: `15 months 3 days`, `2 hours 5 minutes`, `40 seconds`.

const UNITS: ReadonlyArray<readonly [name: string, seconds: number]> = [
  ['year', 365.25 * 86_400],
  ['month', 30.4375 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/** The two largest non-zero units of a (rounded, absolute) number of seconds. */
export function formatDuration(seconds: number): string {
  let rest = Math.round(Math.abs(seconds));
  if (rest === 0) return '0 seconds';
  const parts: string[] = [];
  for (const [name, size] of UNITS) {
    if (parts.length === 2) break;
    const count = Math.floor(rest / size);
    if (count === 0) {
      if (parts.length > 0) break;
      continue;
    }
    parts.push(`${count} ${count === 1 ? name : `${name}s`}`);
    rest -= count * size;
  }
  return parts.join(' ');
}

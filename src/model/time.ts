// Capture timestamps: whole seconds plus nanoseconds, so nanosecond pcap loses nothing.

/** A point in time as read from a capture: seconds since the epoch and nanoseconds within it. */
export interface Timestamp {
  readonly sec: number;
  readonly nsec: number;
}

export function timestampFromMillis(ms: number): Timestamp {
  const sec = Math.floor(ms / 1000);
  return { sec, nsec: Math.round((ms - sec * 1000) * 1e6) };
}

/** Seconds since the epoch as a float (microsecond precision is kept). */
export function timestampToSeconds(t: Timestamp): number {
  return t.sec + t.nsec / 1e9;
}

/** ISO 8601 with microseconds, in UTC: 2026-11-23T21:14:03.123456Z. */
let isoSecond = Number.NaN;
let isoBase = '';

export function timestampToIso(t: Timestamp): string {
  // Consecutive packets share their second: format the date part once per second.
  if (t.sec !== isoSecond) {
    isoSecond = t.sec;
    isoBase = new Date(t.sec * 1000).toISOString().slice(0, 19);
  }
  const base = isoBase;
  const micros = Math.floor(t.nsec / 1000).toString().padStart(6, '0');
  return `${base}.${micros}Z`;
}

export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  return a.sec - b.sec || a.nsec - b.nsec;
}

/** Durations as people read them: the two largest units, `15 months 3 days`, `2 hours 5 minutes`, `40 seconds`. */
const UNITS: ReadonlyArray<readonly [name: string, seconds: number]> = [
  ['year', 365.25 * 86_400],
  ['month', 30.4375 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

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

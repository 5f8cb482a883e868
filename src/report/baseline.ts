// A baseline of accepted findings (rule, fingerprint, location): made from a scan, matched against the next one.
import { InputError, type Finding, type Severity } from '../model/index.js';
import { findingKey } from './finding-key.js';
import { findingPlace, placeNumbers, wiresharkWhere, type Place } from './scan-view.js';

export const BASELINE_VERSION = 1;

/** Where an accepted finding was: enough for a person to find it, nothing secret. */
export interface BaselineLocation {
  readonly file: string;
  readonly frame: number | null;
  readonly stream: number | null;
  readonly entry?: number;
  readonly host: string;
  readonly path: string;
}

export interface BaselineEntry {
  readonly rule: string;
  readonly severity: Severity;
  /** `<key name>:<hex SHA-256>` (see finding-key.ts): no credential value can be read back from it. */
  readonly fingerprint: string;
  readonly location: BaselineLocation;
}

export interface BaselineFile {
  readonly version: typeof BASELINE_VERSION;
  readonly tool: string;
  readonly findings: readonly BaselineEntry[];
}

/** The baseline entry of a finding. */
export function baselineEntry(finding: Finding): BaselineEntry {
  const place = findingPlace(finding);
  const key = findingKey(finding);
  return {
    rule: finding.ruleId,
    severity: finding.severity,
    fingerprint: `${key.name}:${key.hash}`,
    location: { file: place.file, ...placeNumbers(place), host: place.host, path: place.path },
  };
}

/** A baseline file of these entries. */
export function baselineOf(entries: readonly BaselineEntry[], tool: string): BaselineFile {
  return { version: BASELINE_VERSION, tool, findings: entries };
}

/**
 * Reads a baseline file's text; a file that is not one is an InputError (`bad-baseline`) saying
 * what is wrong in one line. It checks shape, not that the findings still exist.
 */
export function parseBaseline(text: string, path: string): BaselineFile {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InputError('bad-baseline', `not a baseline: ${(error as Error).message}`, path);
  }
  const bad = (why: string): InputError => new InputError('bad-baseline', `not a baseline: ${why}`, path);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw bad('expected a JSON object');
  const { version, findings } = document as { version?: unknown; findings?: unknown };
  if (version !== BASELINE_VERSION) throw bad(`version ${JSON.stringify(version)}, expected ${BASELINE_VERSION}`);
  if (!Array.isArray(findings)) throw bad('findings is not a list');
  findings.forEach((entry: unknown, index) => {
    const e = entry as Partial<BaselineEntry> | null;
    if (typeof e !== 'object' || e === null || typeof e.rule !== 'string' || typeof e.fingerprint !== 'string' || typeof e.location !== 'object' || e.location === null) {
      throw bad(`findings[${index}] needs rule, fingerprint and location`);
    }
  });
  return document as BaselineFile;
}

/** An entry's location as a report place, for `wiresharkWhere`. */
export function baselinePlace(entry: BaselineEntry): Place {
  const { file, frame, stream, entry: harEntry, host, path } = entry.location;
  return { file, frame, stream, indexInStream: 0, ...(harEntry !== undefined && { entry: harEntry }), host, path };
}

/** One line for a fixed entry: `no-basic-auth captures/a.pcap frame 4, tcp.stream 0 host/path`. */
export function fixedLine(entry: BaselineEntry): string {
  const place = baselinePlace(entry);
  return `${entry.rule} ${place.file} ${wiresharkWhere(place)}${place.host === '' ? '' : ` ${place.host}${place.path}`}`;
}

/** What a baseline did to a scan: findings it suppressed, and accepted findings no longer seen. */
export interface BaselineOutcome {
  readonly file: string;
  readonly suppressed: number;
  readonly fixed: readonly BaselineEntry[];
}

/**
 * Matches findings against a baseline: each accepted entry suppresses one finding with the same
 * fingerprint; the entries left over at the end are fixed, when their capture was scanned (an
 * entry of a capture this run did not read says nothing about it).
 */
export class BaselineMatcher {
  readonly #file: string;
  readonly #entries: readonly BaselineEntry[];
  /** Unmatched entries left, by fingerprint. */
  readonly #left = new Map<string, number>();
  #suppressed = 0;
  readonly #scanned: ReadonlySet<string> | undefined;

  /** `scanned`: the captures of this run, as named on the command line; omitted, every entry counts. */
  constructor(baseline: BaselineFile, file: string, scanned?: readonly string[]) {
    this.#file = file;
    this.#scanned = scanned === undefined ? undefined : new Set(scanned);
    this.#entries = baseline.findings;
    for (const entry of baseline.findings) this.#left.set(entry.fingerprint, (this.#left.get(entry.fingerprint) ?? 0) + 1);
  }

  /** True when the finding is accepted in the baseline (and counts it as suppressed). */
  readonly suppress = (finding: Finding): boolean => {
    const key = findingKey(finding);
    const fingerprint = `${key.name}:${key.hash}`;
    const left = this.#left.get(fingerprint) ?? 0;
    if (left === 0) return false;
    this.#left.set(fingerprint, left - 1);
    this.#suppressed++;
    return true;
  };

  /** The outcome so far: suppressed count, and the entries not matched (fixed once the scan is done). */
  outcome(): BaselineOutcome {
    const left = new Map(this.#left);
    const fixed = this.#entries.filter((entry) => {
      if (this.#scanned !== undefined && !this.#scanned.has(entry.location.file)) return false;
      const count = left.get(entry.fingerprint) ?? 0;
      if (count === 0) return false;
      left.set(entry.fingerprint, count - 1);
      return true;
    });
    return { file: this.#file, suppressed: this.#suppressed, fixed };
  }
}

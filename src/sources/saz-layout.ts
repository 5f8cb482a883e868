// The layout of a Fiddler session archive: which zip entries belong to which session, in order.
import type { ZipEntry } from './zip-entry.js';

/**
 * One session's files. Fiddler names them `raw/<n>_c.txt` (the request as the client sent it),
 * `raw/<n>_s.txt` (the response), `raw/<n>_m.xml` (metadata) and optionally `raw/<n>_w.txt`
 * (WebSocket messages, not read here), where <n> is the session's position in the saved list,
 * zero-padded to the width of the session count (fiddler.wikidot.com/saz-files; the Fiddler
 * Everywhere "Fiddler Archives (SAZ)" knowledge-base article). <n> is not the session's SID.
 */
export interface SazSessionFiles {
  /** The file number as written (`007`). */
  readonly number: string;
  readonly request?: ZipEntry;
  readonly response?: ZipEntry;
  readonly metadata?: ZipEntry;
}

const SESSION_FILE = /^raw[/\\](\d{1,9})_([csm])\.(txt|xml)$/i;
const PART_EXTENSION: Readonly<Record<string, string>> = { c: 'txt', s: 'txt', m: 'xml' };

/**
 * The sessions of an archive's entries, ordered by file number (numerically), or undefined when
 * the entries do not have a SAZ's layout: no `raw/<n>_c.txt` at all. Other entries (`_index.htm`,
 * `[Content_Types].xml`, `_w.txt`) are left out; for a repeated name the first entry counts.
 */
export function sazSessions(entries: readonly ZipEntry[]): SazSessionFiles[] | undefined {
  const byNumber = new Map<number, { number: string; request?: ZipEntry; response?: ZipEntry; metadata?: ZipEntry }>();
  let requests = 0;
  for (const entry of entries) {
    const match = SESSION_FILE.exec(entry.name);
    if (match === null) continue;
    const [, number = '', partLetter = '', extension = ''] = match;
    const part = partLetter.toLowerCase();
    if (PART_EXTENSION[part] !== extension.toLowerCase()) continue;
    const key = Number(number);
    let session = byNumber.get(key);
    if (session === undefined) {
      session = { number };
      byNumber.set(key, session);
    }
    if (part === 'c' && session.request === undefined) {
      session.request = entry;
      requests++;
    } else if (part === 's' && session.response === undefined) session.response = entry;
    else if (part === 'm' && session.metadata === undefined) session.metadata = entry;
  }
  if (requests === 0) return undefined;
  return [...byNumber.entries()].sort((a, b) => a[0] - b[0]).map(([, session]) => session);
}

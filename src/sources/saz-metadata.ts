// Fiddler's per-session metadata (raw/NN_m.xml): the SID, the SessionTimers and the SessionFlags.
// Reads only those three elements' attributes, with linear scans; it is no general XML parser.
import type { Timestamp } from '../model/index.js';
import { parseIsoTime } from './wire-text.js';

/**
 * What `raw/NN_m.xml` says about a session. Fiddler writes (FiddlerCore's Session, saved by
 * Utilities.WriteSessionArchive; seen in keegoo/opensaz's tests and joelverhagen/SAZ's verified
 * metadata):
 *
 *     <Session SID="2" BitFlags="8">
 *       <SessionTimers ClientConnected="2016-07-24T15:55:45.8708013+08:00"
 *                      ClientBeginRequest="2016-07-24T15:56:17.1175885+08:00" … ServerDoneResponse="…" />
 *       <PipeInfo CltReuse="true" />
 *       <SessionFlags>
 *         <SessionFlag N="x-clientip" V="127.0.0.1" /> <SessionFlag N="x-clientport" V="51004" />
 *         <SessionFlag N="x-hostip" V="123.125.115.164" /> …
 *       </SessionFlags>
 *     </Session>
 *
 * Timers are .NET round-trip times (7 fractional digits, local offset); `0001-01-01T00:00:00` (or
 * a missing attribute) means the step never happened. Flag names are case-insensitive in Fiddler.
 */
export interface SazMetadata {
  /** The SID attribute when it is a whole number. */
  readonly sid?: number;
  /** Timers that happened, by attribute name (ClientBeginRequest, ServerDoneResponse, …). */
  readonly timers: ReadonlyMap<string, Timestamp>;
  /** Session flags by lower-cased name (x-clientip, x-hostip, x-clientport, x-no-decrypt, …). */
  readonly flags: ReadonlyMap<string, string>;
}

const SESSION_TAG = /<Session\b([^>]*)>/;
const TIMERS_TAG = /<SessionTimers\b([^>]*)>/;
const FLAG_TAG = /<SessionFlag\b([^>]*)>/g;
const ATTRIBUTE = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITY = /&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));/g;
const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The metadata in `xml`, or undefined when it has no `<Session>` element. */
export function parseSazMetadata(xml: string): SazMetadata | undefined {
  const session = SESSION_TAG.exec(xml);
  if (session === null) return undefined;
  const sidText = attributesOf(session[1] ?? '').get('SID');
  const sid = sidText !== undefined && /^\d{1,15}$/.test(sidText.trim()) ? Number(sidText.trim()) : undefined;
  const timers = new Map<string, Timestamp>();
  const timerTag = TIMERS_TAG.exec(xml);
  for (const [name, value] of attributesOf(timerTag?.[1] ?? '')) {
    const time = parseIsoTime(value);
    // Fiddler writes DateTime.MinValue for a step that never happened.
    if (time !== undefined && time.sec > 0) timers.set(name, time);
  }
  const flags = new Map<string, string>();
  for (const flag of xml.matchAll(FLAG_TAG)) {
    const attributes = attributesOf(flag[1] ?? '');
    const name = attributes.get('N');
    if (name !== undefined && !flags.has(name.toLowerCase())) flags.set(name.toLowerCase(), attributes.get('V') ?? '');
  }
  return { ...(sid !== undefined && { sid }), timers, flags };
}

/** The attributes of one start tag's text, entities decoded; the first of a repeated name wins. */
function attributesOf(tagText: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of tagText.matchAll(ATTRIBUTE)) {
    const name = match[1]!;
    if (!attributes.has(name)) attributes.set(name, decodeEntities(match[2] ?? match[3] ?? ''));
  }
  return attributes;
}

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, decimal: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED_ENTITIES[name] ?? whole;
    const code = decimal !== undefined ? Number(decimal) : Number.parseInt(hex ?? '', 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

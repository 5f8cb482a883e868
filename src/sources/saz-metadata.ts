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

/** A name=value pair; a name starts only after a non-name character, so a long run is tried once. */
const ATTRIBUTE = /(?<![\w.:-])([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITY = /&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));/g;
const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The metadata in `xml`, or undefined when it has no `<Session>` element. */
export function parseSazMetadata(xml: string): SazMetadata | undefined {
  const [session] = startTags(xml, 'Session', 1);
  if (session === undefined) return undefined;
  const sidText = attributesOf(session).get('SID');
  const sid = sidText !== undefined && /^\d{1,15}$/.test(sidText.trim()) ? Number(sidText.trim()) : undefined;
  const timers = new Map<string, Timestamp>();
  const [timerTag = ''] = startTags(xml, 'SessionTimers', 1);
  for (const [name, value] of attributesOf(timerTag)) {
    const time = parseIsoTime(value);
    // Fiddler writes DateTime.MinValue for a step that never happened.
    if (time !== undefined && time.sec > 0) timers.set(name, time);
  }
  const flags = new Map<string, string>();
  for (const flag of startTags(xml, 'SessionFlag')) {
    const attributes = attributesOf(flag);
    const name = attributes.get('N');
    if (name !== undefined && !flags.has(name.toLowerCase())) flags.set(name.toLowerCase(), attributes.get('V') ?? '');
  }
  return { ...(sid !== undefined && { sid }), timers, flags };
}

/**
 * The attribute text of the first `limit` start tags `<name …>` (or `<name …/>`), in order. One
 * pass with indexOf: each tag's end is looked for once, so unclosed tags cost linear time.
 */
function startTags(xml: string, name: string, limit = Number.POSITIVE_INFINITY): string[] {
  const tags: string[] = [];
  const open = `<${name}`;
  for (let at = xml.indexOf(open); at >= 0 && tags.length < limit; at = xml.indexOf(open, at)) {
    const after = at + open.length;
    const next = xml.charCodeAt(after);
    // `<SessionFlags>` is not `<SessionFlag`: the name must end here.
    if (!(next === 0x20 || next === 0x09 || next === 0x0d || next === 0x0a || next === 0x2f || next === 0x3e)) {
      at = after;
      continue;
    }
    const end = xml.indexOf('>', after);
    if (end < 0) break;
    tags.push(xml.slice(after, end));
    at = end + 1;
  }
  return tags;
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

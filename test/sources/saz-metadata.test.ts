// Fiddler's raw/NN_m.xml: SID, timers (DateTime.MinValue is "never") and flags (names case-insensitive, entities decoded).
import { describe, expect, it } from 'vitest';
import { parseSazMetadata } from '../../src/sources/saz-metadata.js';

/** A real archive's metadata (keegoo/opensaz's tests), trimmed to a few timers. */
const REAL = `<Session SID="2" BitFlags="8">
  <SessionTimers ClientConnected="2016-07-24T15:55:45.8708013+08:00"
                 ClientBeginRequest="2016-07-24T15:56:17.1175885+08:00"
                 GatewayTime="0" DNSTime="0" TCPConnectTime="32"
                 ServerConnected="0001-01-01T00:00:00"
                 ClientDoneResponse="2016-07-24T15:56:17.4736089+08:00" />
  <PipeInfo CltReuse="true" />
  <SessionFlags>
    <SessionFlag N="x-egressport" V="51320" />
    <SessionFlag N="x-clientport" V="51004" />
    <SessionFlag N="X-ClientIP" V="127.0.0.1" />
    <SessionFlag N="x-hostip" V="123.125.115.164" />
    <SessionFlag N="ui-comments" V="&lt;b&gt;token &amp; &#x41;&#66;&quot;" />
  </SessionFlags>
</Session>`;

describe('parseSazMetadata', () => {
  const metadata = parseSazMetadata(REAL)!;

  it('reads the SID', () => {
    expect(metadata.sid).toBe(2);
  });

  it('reads the timers with their 100 ns digits and offset, leaving out DateTime.MinValue and durations', () => {
    // 15:56:17.1175885 at +08:00 is 07:56:17.1175885Z.
    expect(metadata.timers.get('ClientBeginRequest')).toEqual({ sec: Date.UTC(2016, 6, 24, 7, 56, 17) / 1000, nsec: 117_588_500 });
    expect(metadata.timers.has('ServerConnected')).toBe(false);
    expect(metadata.timers.has('TCPConnectTime')).toBe(false);
    expect([...metadata.timers.keys()]).toEqual(['ClientConnected', 'ClientBeginRequest', 'ClientDoneResponse']);
  });

  it('reads the flags by lower-cased name, entities decoded', () => {
    expect(metadata.flags.get('x-clientip')).toBe('127.0.0.1');
    expect(metadata.flags.get('x-clientport')).toBe('51004');
    expect(metadata.flags.get('x-hostip')).toBe('123.125.115.164');
    expect(metadata.flags.get('ui-comments')).toBe('<b>token & AB"');
  });

  it('gives no SID for a non-numeric one, and undefined for a document without <Session>', () => {
    expect(parseSazMetadata('<Session SID="abc"><SessionFlags /></Session>')?.sid).toBeUndefined();
    expect(parseSazMetadata('<?xml version="1.0"?><Other />')).toBeUndefined();
  });

  it.each([
    ['unclosed flags, one > at the end', `<Session SID="1">${'<SessionFlag N="a" '.repeat(50_000)}</Session>`],
    ['unclosed flags, no > at all', `<Session SID="1" ${'<SessionFlag N="a" '.repeat(50_000)}`],
    ['one attribute name a megabyte long', `<Session SID="1" ${'a'.repeat(1024 * 1024)}>`],
    ['a megabyte of unclosed quotes', `<Session ${'a="b '.repeat(200_000)}>`],
  ])('reads a megabyte of %s in linear time', (_name, text) => {
    const started = performance.now();
    parseSazMetadata(text);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

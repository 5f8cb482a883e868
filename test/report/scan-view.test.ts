// The shared views: request paths, URI redaction, masked display, ids and scrubbing.
import { describe, expect, it } from 'vitest';
import {
  captureOf,
  displayValue,
  redactedUri,
  requestPath,
  scrubbed,
  stableExchangeId,
  wiresharkWhere,
  placeOf,
} from '../../src/report/scan-view.js';
import { makeExchange } from '../factories.js';
import { decodedExchange, sighting } from './builders.js';

describe('requestPath', () => {
  it.each([
    ['/EWS/Exchange.asmx', '/EWS/Exchange.asmx'],
    ['/owa/?access_token=abc#frag', '/owa/'],
    ['/a#b?c', '/a'],
    ['https://mail.contoso.com/ews/x?y=1', '/ews/x'],
    ['http://proxy.local', '/'],
    ['mail.contoso.com:443', 'mail.contoso.com:443'],
    ['*', '*'],
  ])('%s → %s', (uri, path) => {
    expect(requestPath(uri)).toBe(path);
  });
});

describe('redactedUri', () => {
  const withUri = (uri: string, queryName?: string) => {
    const ex = makeExchange({ origin: { kind: 'pcapng', file: 'a.pcap' }, frame: 1, uri });
    const credentials = queryName
      ? [sighting(1, 'q', { scheme: 'other', schemeName: queryName, raw: 'opaque-secret-value', location: { type: 'query', name: queryName }, decoded: { type: 'opaque' } })]
      : [];
    return decodedExchange(1, ex, credentials);
  };

  it('masks well-known credential parameters and those decode reported', () => {
    expect(redactedUri(withUri('/cb?code=0.AAAAsecretcode123&state=xyz'), false)).toBe('/cb?code=0.AAAA…(19 chars)&state=xyz');
    expect(redactedUri(withUri('/x?sig=opaque-secret-value&Access%5FToken=abcdefghijklmnop#top', 'sig'), false)).toBe('/x?sig=opaque…(19 chars)&Access%5FToken=abcdef…(16 chars)#top');
  });

  it('leaves other URIs alone, and everything when secrets are shown', () => {
    expect(redactedUri(withUri('/x?a=1&b'), false)).toBe('/x?a=1&b');
    expect(redactedUri(withUri('/x?access_token=abcdefghijklmnop'), true)).toBe('/x?access_token=abcdefghijklmnop');
    expect(redactedUri(withUri('/x?%E0%A4%A=1'), false)).toBe('/x?%E0%A4%A=1');
  });
});

describe('display and scrubbing', () => {
  const ex = makeExchange({ origin: { kind: 'har' }, stream: 2, indexInStream: 4 });
  const bearer = sighting(1, 'b', { scheme: 'bearer', schemeName: 'Bearer', raw: 'abcdefghijklmnopqrstuvwxyz', decoded: { type: 'opaque' } });
  const basic = sighting(1, 'c', { scheme: 'basic', schemeName: 'Basic', raw: 'dXNlcjpwYXNzd29yZA==', decoded: { type: 'basic', user: 'user' } });

  it('shows a prefix for tokens but none for Basic', () => {
    expect(displayValue(bearer, false)).toBe('abcdef…(26 chars)');
    expect(displayValue(basic, false)).toBe('…(20 chars)');
    expect(displayValue(basic, true)).toBe('dXNlcjpwYXNzd29yZA==');
  });

  it('masks the raw value wherever a message quotes it', () => {
    expect(scrubbed('token abcdefghijklmnopqrstuvwxyz and abcdefghijklmnopqrstuvwxyz', bearer, false)).toBe('token abcdef…(26 chars) and abcdef…(26 chars)');
    expect(scrubbed('token abcdefghijklmnopqrstuvwxyz', bearer, true)).toBe('token abcdefghijklmnopqrstuvwxyz');
    expect(scrubbed('nothing here', undefined, false)).toBe('nothing here');
  });

  it('names exchanges without a file by their source, and places without frames by stream and index', () => {
    expect(captureOf(ex)).toBe('(har)');
    expect(stableExchangeId(ex)).toBe('(har)#2.4');
    expect(wiresharkWhere(placeOf(ex))).toBe('stream 2, exchange 4');
  });

  it('shows the connection number of the proxy as the stream, and that of a HAR entry not at all', () => {
    const proxied = { ...makeExchange({ origin: { kind: 'proxy' }, indexInStream: 1 }), stream: undefined, connection: 7 };
    expect(stableExchangeId(proxied)).toBe('(proxy)#7.1');
    expect(placeOf(proxied)).toMatchObject({ frame: null, stream: 7 });
    const recorded = { ...makeExchange({ entry: 3 }), stream: undefined, connection: 7, client: undefined };
    expect(placeOf(recorded)).toMatchObject({ frame: null, stream: null, entry: 3 });
    expect(wiresharkWhere(placeOf(recorded))).toBe('entry 3');
  });
});

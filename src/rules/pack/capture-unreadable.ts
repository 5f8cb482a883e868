// Rule capture-unreadable: part of the capture could not be read (TLS without keys, frames cut by the snapshot length).
import type { Anomaly, AnomalyCode } from '../../model/index.js';
import { defineRule, type RuleReport } from '../define-rule.js';

type MessageId = 'noKey' | 'cipher' | 'http2' | 'noHandshake' | 'decryptFailed' | 'snaplen' | 'evicted' | 'notDecrypted';

const MESSAGE_BY_CODE: Readonly<Partial<Record<AnomalyCode, MessageId>>> = {
  'tls-no-key': 'noKey',
  'tls-cipher-unsupported': 'cipher',
  'http2-not-decoded': 'http2',
  'tls-no-handshake': 'noHandshake',
  'tls-decrypt-failed': 'decryptFailed',
  'snaplen-cut': 'snaplen',
  'tcp-evicted': 'evicted',
  'saz-tunnel-not-decrypted': 'notDecrypted',
};

export const captureUnreadable = defineRule({
  id: 'capture-unreadable',
  severity: 'error',
  scope: 'anomaly',
  title: 'Part of the capture could not be read',
  description:
    'A verdict on traffic nobody could read is no verdict. An HTTPS connection without its TLS keys, a cipher suite that cannot be decrypted, HTTP/2 that is not decoded, or frames cut by the capture\'s snapshot length hide requests and the credentials in them; each such connection is a finding, so a CI job asserting "no Basic, valid tokens" over a capture it could not read fails instead of passing.',
  messages: {
    noKey: 'TLS connection to {{server}}{{sni}} could not be decrypted: no key for its client random {{clientRandom}} in the key log',
    cipher: 'TLS connection to {{server}}{{sni}} could not be decrypted: {{detail}}',
    http2: 'connection to {{server}}{{sni}} speaks HTTP/2, which is not decoded: its requests are not judged',
    noHandshake: 'TLS connection to {{server}} could not be decrypted: the capture starts after its handshake',
    decryptFailed: 'TLS connection to {{server}}{{sni}} could not be decrypted: {{detail}}',
    snaplen:
      'the capture\'s snapshot length ({{snapLength}} bytes) cut {{cutFrames}} of this connection: request headers past byte {{snapLength}} of each packet, and any credentials in them, are missing',
    notDecrypted: 'HTTPS tunnel to {{server}} was not decrypted by Fiddler (x-no-decrypt): the requests in it are not in the archive and are not judged',
    evicted:
      '{{evicted}} ended early because more than {{maxLive}} connections were open at once: what they carried afterwards was not read',
  },
  // The reader's own memory bound, not lost data: said, but it does not fail a scan by itself.
  messageSeverity: { evicted: 'warning' },
  docs: 'docs/rules/capture-unreadable.md',
  check(anomaly: Anomaly): ReadonlyArray<RuleReport<MessageId>> {
    const messageId = MESSAGE_BY_CODE[anomaly.code];
    if (messageId === undefined) return [];
    const details = anomaly.details ?? {};
    const text = (name: string, fallback: string): string => {
      const value = details[name];
      return value === undefined || value === '' ? fallback : String(value);
    };
    const server = text('server', 'the server');
    const sni = details['sni'] === undefined || details['sni'] === '' ? '' : ` (SNI ${String(details['sni'])})`;
    switch (messageId) {
      case 'noKey':
        return [{ messageId, data: { server, sni, clientRandom: text('clientRandom', '(unknown)') } }];
      case 'cipher':
        return [{ messageId, data: { server, sni, detail: `cipher suite ${text('cipherSuite', '(unknown)')} is not supported` } }];
      case 'http2':
        return [{ messageId, data: { server, sni } }];
      case 'noHandshake':
      case 'notDecrypted':
        return [{ messageId, data: { server } }];
      case 'decryptFailed':
        return [{ messageId, data: { server, sni, detail: anomaly.message } }];
      case 'evicted': {
        const evicted = Number(details['evicted'] ?? 0);
        return [{ messageId, data: { evicted: evicted === 1 ? '1 connection' : `${evicted} connections`, maxLive: text('maxLiveConnections', '?') } }];
      }
      case 'snaplen': {
        const frames = Number(details['cutFrames'] ?? 0);
        return [{ messageId, data: { snapLength: text('snapLength', '?'), cutFrames: frames === 1 ? '1 frame' : `${frames} frames` } }];
      }
    }
  },
});

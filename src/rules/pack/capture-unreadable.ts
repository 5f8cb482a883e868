// Rule capture-unreadable: part of the capture could not be read (TLS without keys, frames cut by the snapshot length, a cut or damaged file).
import type { Anomaly, AnomalyCode } from '../../model/index.js';
import { defineRule, type RuleReport } from '../define-rule.js';

type MessageId = 'noKey' | 'cipher' | 'http2' | 'http2Partial' | 'noHandshake' | 'decryptFailed' | 'snaplen' | 'evicted' | 'notDecrypted' | 'truncated';

const MESSAGE_BY_CODE: Readonly<Partial<Record<AnomalyCode, MessageId>>> = {
  'tls-no-key': 'noKey',
  'tls-cipher-unsupported': 'cipher',
  'http2-not-decoded': 'http2',
  'http2-gap': 'http2Partial',
  'http2-malformed-frame': 'http2Partial',
  'http2-compression-error': 'http2Partial',
  'tls-no-handshake': 'noHandshake',
  'tls-decrypt-failed': 'decryptFailed',
  'snaplen-cut': 'snaplen',
  'tcp-evicted': 'evicted',
  'saz-tunnel-not-decrypted': 'notDecrypted',
  'truncated-header': 'truncated',
  'truncated-record': 'truncated',
  'truncated-gzip': 'truncated',
  'bad-block': 'truncated',
  'saz-truncated': 'truncated',
};

export const captureUnreadable = defineRule({
  id: 'capture-unreadable',
  severity: 'error',
  scope: 'anomaly',
  title: 'Part of the capture could not be read',
  description:
    'A verdict on traffic nobody could read is no verdict. An HTTPS connection without its TLS keys, a cipher suite that cannot be decrypted, an HTTP/2 connection whose start was not captured, or frames cut by the capture\'s snapshot length hide requests and the credentials in them; each such connection is a finding, so a CI job asserting "no Basic, valid tokens" over a capture it could not read fails instead of passing.',
  messages: {
    noKey: 'TLS connection to {{server}}{{sni}} could not be decrypted: no key for its client random {{clientRandom}} in the key log',
    cipher: 'TLS connection to {{server}}{{sni}} could not be decrypted: {{detail}}',
    http2: 'HTTP/2 connection to {{server}}{{sni}} could not be decoded: the capture began after the connection did, so its header compression state is unknown and its requests are not judged',
    http2Partial: 'HTTP/2 connection to {{server}}{{sni}} was read only in part: {{detail}}',
    noHandshake: 'TLS connection to {{server}} could not be decrypted: the capture starts after its handshake',
    decryptFailed: 'TLS connection to {{server}}{{sni}} could not be decrypted: {{detail}}',
    snaplen:
      'the capture\'s snapshot length ({{snapLength}} bytes) cut {{cutFrames}} of this connection: request headers past byte {{snapLength}} of each packet, and any credentials in them, are missing',
    notDecrypted: 'HTTPS tunnel to {{server}} was not decrypted by Fiddler (x-no-decrypt): the requests in it are not in the archive and are not judged',
    truncated: 'the capture file stops being readable here ({{detail}}): whatever it held after this point was not read or judged',
    evicted:
      '{{evicted}} ended early because more than {{maxLive}} connections were open at once: what they carried afterwards was not read',
  },
  // Said, but neither fails a scan by itself: eviction is the reader's own memory bound, and an
  // HTTP/2 connection read in part had everything before the damage read and judged.
  messageSeverity: { evicted: 'warning', http2Partial: 'warning' },
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
      case 'http2Partial':
        return [{ messageId, data: { server, sni, detail: anomaly.message } }];
      case 'noHandshake':
      case 'notDecrypted':
        return [{ messageId, data: { server } }];
      case 'decryptFailed':
        return [{ messageId, data: { server, sni, detail: anomaly.message } }];
      case 'truncated':
        return [{ messageId, data: { detail: anomaly.message } }];
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

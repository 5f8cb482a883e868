// Rule table for capture-unreadable: it judges the anomalies the readers raise, not exchanges.
import { anomaly as buildAnomaly, type Anomaly, type AnomalyCode, type AnomalyDetails } from '../../../src/model/index.js';
import { captureUnreadable } from '../../../src/rules/pack/capture-unreadable.js';
import { runRuleTester } from '../rule-tester.js';

const FILE = 'captures/s2s-tls.pcap';
const SERVER = '10.0.0.25:443';
const SNI = 'mail.contoso.test';
const CLIENT_RANDOM = '5f1c3a9e0b7d2c4411aa7b3e9c0d5f6a28e1b4c7d9f03a6b5c2e8d1f4a7b0c39';
/** What the TLS decryptor knows of a connection it will not decrypt, at its ClientHello. */
const hello = { server: SERVER, sni: SNI, clientRandom: CLIENT_RANDOM };

/** An anomaly on stream 3 at frame 12 of FILE, as the readers build it. */
const anomaly = (code: AnomalyCode, message: string, details?: AnomalyDetails) => (): Anomaly =>
  buildAnomaly({ code, severity: 'warning', message, file: FILE, frame: 12, stream: 3, details });

/** The server and SNI as the TLS messages name them. */
const where = { server: SERVER, sni: ` (SNI ${SNI})` };

const noKeyMessage = `no key for client random ${CLIENT_RANDOM.slice(0, 16)}…, SNI ${SNI}`;
const cipherMessage = `cipher not supported: TLS_RSA_WITH_RC4_128_SHA, SNI ${SNI}`;
const http2Message = 'HTTP/2 not decoded: the client did not start with the HTTP/2 connection preface (the capture began after the connection did)';
const http2GapMessage = 'client: 1448 bytes missing: frames after them cannot be delimited; the rest of the client side is not read';
const noHandshakeMessage = 'encrypted records without a ClientHello and ServerHello seen: cannot decrypt';
const decryptFailedMessage = 'a client record did not decrypt (wrong key?); the rest of the client is skipped';
const snaplenMessage = (frames: string) =>
  `the capture's snapshot length (96 bytes) cut ${frames} of this connection: headers and bodies after byte 96 of each packet are missing (capture with tcpdump -s 0)`;

runRuleTester(captureUnreadable, {
  valid: [
    { name: 'a TCP gap (the stream is still read)', anomaly: anomaly('tcp-gap', '1448 bytes missing from the client before frame 40') },
    { name: 'a TLS gap', anomaly: anomaly('tls-gap', '512 bytes missing from the server; the rest of its TLS records are not decrypted') },
    {
      name: 'an anomaly about a frame, not the file (a short link header)',
      anomaly: () => ({ code: 'truncated-link-header', severity: 'warning', message: 'frame 12: 10 bytes, shorter than an Ethernet header', file: FILE, frame: 12 }),
    },
    { name: 'a switched-off rule judges nothing', anomaly: anomaly('tls-no-key', noKeyMessage, hello), config: { rules: { 'capture-unreadable': 'off' } } },
  ],
  invalid: [
    {
      name: 'a capture file cut short inside a record (a copy taken while tcpdump was writing)',
      anomaly: () => ({ code: 'truncated-record', severity: 'warning', message: 'the last record is cut short', file: FILE, offset: 10_240 }),
      errors: [
        {
          messageId: 'truncated',
          data: { detail: 'the last record is cut short' },
          severity: 'error',
          message: 'the capture file stops being readable here (the last record is cut short): whatever it held after this point was not read or judged',
        },
      ],
    },
    {
      name: 'TLS without its key in the key log',
      anomaly: anomaly('tls-no-key', noKeyMessage, hello),
      errors: [
        {
          messageId: 'noKey',
          data: { ...where, clientRandom: CLIENT_RANDOM },
          severity: 'error',
          message: `TLS connection to ${SERVER} (SNI ${SNI}) could not be decrypted: no key for its client random ${CLIENT_RANDOM} in the key log`,
        },
      ],
    },
    {
      name: 'TLS without key and without SNI',
      anomaly: anomaly('tls-no-key', `no key for client random ${CLIENT_RANDOM.slice(0, 16)}…, no SNI`, { server: SERVER, clientRandom: CLIENT_RANDOM }),
      errors: [
        {
          messageId: 'noKey',
          data: { server: SERVER, sni: '', clientRandom: CLIENT_RANDOM },
          message: `TLS connection to ${SERVER} could not be decrypted: no key for its client random ${CLIENT_RANDOM} in the key log`,
        },
      ],
    },
    {
      name: 'a cipher suite that cannot be decrypted',
      anomaly: anomaly('tls-cipher-unsupported', cipherMessage, { ...hello, cipherSuite: 'TLS_RSA_WITH_RC4_128_SHA' }),
      errors: [
        {
          messageId: 'cipher',
          data: { ...where, detail: 'cipher suite TLS_RSA_WITH_RC4_128_SHA is not supported' },
          severity: 'error',
          message: `TLS connection to ${SERVER} (SNI ${SNI}) could not be decrypted: cipher suite TLS_RSA_WITH_RC4_128_SHA is not supported`,
        },
      ],
    },
    {
      name: 'a cipher suite the anomaly does not name',
      anomaly: anomaly('tls-cipher-unsupported', 'cipher not supported', { server: SERVER }),
      errors: [
        {
          messageId: 'cipher',
          data: { server: SERVER, sni: '', detail: 'cipher suite (unknown) is not supported' },
          message: `TLS connection to ${SERVER} could not be decrypted: cipher suite (unknown) is not supported`,
        },
      ],
    },
    {
      name: 'HTTP/2 whose start was not captured',
      anomaly: anomaly('http2-not-decoded', http2Message, { server: SERVER, sni: SNI }),
      errors: [
        {
          messageId: 'http2',
          data: where,
          message: `HTTP/2 connection to ${SERVER} (SNI ${SNI}) could not be decoded: the capture began after the connection did, so its header compression state is unknown and its requests are not judged`,
        },
      ],
    },
    {
      name: 'HTTP/2 read up to a gap (a warning: what came before was judged)',
      anomaly: anomaly('http2-gap', http2GapMessage, { server: SERVER }),
      errors: [
        {
          messageId: 'http2Partial',
          data: { server: SERVER, sni: '', detail: http2GapMessage },
          severity: 'warning',
          message: `HTTP/2 connection to ${SERVER} was read only in part: ${http2GapMessage}`,
        },
      ],
    },
    {
      name: 'a Fiddler tunnel that was not decrypted',
      anomaly: () =>
        buildAnomaly({
          code: 'saz-tunnel-not-decrypted',
          severity: 'info',
          message: 'session 7 (raw/03): Fiddler did not decrypt the tunnel to mail.contoso.test:443 (x-no-decrypt): the requests inside it are not in the archive',
          file: 'captures/saz/tunnels.saz',
          details: { server: 'mail.contoso.test:443' },
        }),
      errors: [
        {
          messageId: 'notDecrypted',
          data: { server: 'mail.contoso.test:443' },
          message: 'HTTPS tunnel to mail.contoso.test:443 was not decrypted by Fiddler (x-no-decrypt): the requests in it are not in the archive and are not judged',
        },
      ],
    },
    {
      name: 'a capture that starts after the handshake (no details known)',
      anomaly: anomaly('tls-no-handshake', noHandshakeMessage),
      errors: [
        {
          messageId: 'noHandshake',
          data: { server: 'the server' },
          message: 'TLS connection to the server could not be decrypted: the capture starts after its handshake',
        },
      ],
    },
    {
      name: 'records that do not decrypt with the logged key',
      anomaly: anomaly('tls-decrypt-failed', decryptFailedMessage, { server: SERVER, sni: SNI }),
      errors: [
        {
          messageId: 'decryptFailed',
          data: { ...where, detail: decryptFailedMessage },
          message: `TLS connection to ${SERVER} (SNI ${SNI}) could not be decrypted: ${decryptFailedMessage}`,
        },
      ],
    },
    {
      name: 'records that do not decrypt, raised without details (as the TLS decryptor raises it)',
      anomaly: anomaly('tls-decrypt-failed', decryptFailedMessage),
      errors: [
        {
          messageId: 'decryptFailed',
          data: { server: 'the server', sni: '', detail: decryptFailedMessage },
          message: `TLS connection to the server could not be decrypted: ${decryptFailedMessage}`,
        },
      ],
    },
    {
      name: 'frames cut by the snapshot length (tcpdump -s 96)',
      anomaly: anomaly('snaplen-cut', snaplenMessage('14 frames'), { snapLength: 96, cutFrames: 14 }),
      errors: [
        {
          messageId: 'snaplen',
          data: { snapLength: '96', cutFrames: '14 frames' },
          severity: 'error',
          message:
            'the capture\'s snapshot length (96 bytes) cut 14 frames of this connection: request headers past byte 96 of each packet, and any credentials in them, are missing',
        },
      ],
    },
    {
      name: 'connections ended early to bound memory (a SYN scan)',
      anomaly: anomaly('tcp-evicted', '195000 connections were ended early', { evicted: 195_000, maxLiveConnections: 5_000 }),
      errors: [
        {
          messageId: 'evicted',
          data: { evicted: '195000 connections', maxLive: '5000' },
          severity: 'warning',
          message: '195000 connections ended early because more than 5000 connections were open at once: what they carried afterwards was not read',
        },
      ],
    },
    {
      name: 'one frame cut',
      anomaly: anomaly('snaplen-cut', snaplenMessage('1 frame'), { snapLength: 96, cutFrames: 1 }),
      errors: [
        {
          messageId: 'snaplen',
          data: { snapLength: '96', cutFrames: '1 frame' },
          message:
            'the capture\'s snapshot length (96 bytes) cut 1 frame of this connection: request headers past byte 96 of each packet, and any credentials in them, are missing',
        },
      ],
    },
    {
      name: 'a configured severity applies',
      anomaly: anomaly('snaplen-cut', snaplenMessage('1 frame'), { snapLength: 96, cutFrames: 1 }),
      config: { rules: { 'capture-unreadable': 'warning' } },
      errors: [
        {
          messageId: 'snaplen',
          data: { snapLength: '96', cutFrames: '1 frame' },
          severity: 'warning',
        },
      ],
    },
  ],
});

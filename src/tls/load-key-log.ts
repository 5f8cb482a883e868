// Loads the key log named by --keylog, or else by the SSLKEYLOGFILE environment variable.
import { readFile } from 'node:fs/promises';
import type { AnomalySink } from '../model/index.js';
import { InputError, anomaly } from '../model/index.js';
import { FollowingKeyLog } from './following-key-log.js';
import { KeyLog } from './key-log.js';

/** A line that starts like an NSS key log entry: CLIENT_RANDOM, RSA or a TLS 1.3 *_SECRET label. */
const KEY_LOG_LABEL = /^(?:CLIENT_RANDOM|RSA|[A-Z_]+_SECRET) /m;

/**
 * A KeyLog with the secrets of `flagPath` (unreadable, or not a key log at all: InputError) or, when no flag is given, of
 * `$SSLKEYLOGFILE` (unreadable: a warning). Always a KeyLog, so secrets embedded in captures can join;
 * a file is followed as it grows (FollowingKeyLog).
 */
export async function loadKeyLog(flagPath: string | undefined, env: Readonly<Record<string, string | undefined>>, onAnomaly: AnomalySink): Promise<KeyLog> {
  const keyLog = new KeyLog();
  const path = flagPath ?? env['SSLKEYLOGFILE'];
  if (path === undefined || path === '') return keyLog;
  let text: string;
  try {
    text = await readFile(path, 'latin1');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const message = code === 'ENOENT' ? 'no such key log file' : `cannot read key log (${code})`;
    if (flagPath !== undefined) throw new InputError(code === 'ENOENT' ? 'not-found' : 'unreadable', message, path);
    onAnomaly(anomaly({ code: 'keylog-unreadable', severity: 'warning', message: `SSLKEYLOGFILE: ${message}`, file: path }));
    return keyLog;
  }
  // Followed as it grows: a client logging to it while a live capture is scanned adds its sessions' secrets.
  const following = new FollowingKeyLog(path, onAnomaly, text.length);
  const found: Parameters<AnomalySink>[0][] = [];
  following.load(text, { file: path }, (a) => found.push(a));
  // A --keylog with lines but not one key label in them is the wrong file (a capture, a config): one
  // line, exit 2. A key log cut short or with a wrong value is still one, and stays a warning.
  if (flagPath !== undefined && following.size === 0 && found.some((a) => a.code === 'keylog-bad-line') && !KEY_LOG_LABEL.test(text)) {
    throw new InputError('unknown-format', 'not an NSS key log (SSLKEYLOGFILE format): no line starts with CLIENT_RANDOM, RSA or a *_SECRET label', path);
  }
  for (const a of found) onAnomaly(a);
  return following;
}

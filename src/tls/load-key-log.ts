// Loads the key log named by --keylog, or else by the SSLKEYLOGFILE environment variable.
import { readFile } from 'node:fs/promises';
import type { AnomalySink } from '../model/index.js';
import { InputError, anomaly } from '../model/index.js';
import { FollowingKeyLog } from './following-key-log.js';
import { KeyLog } from './key-log.js';

/**
 * A KeyLog with the secrets of `flagPath` (unreadable: InputError) or, when no flag is given, of
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
  following.load(text, { file: path }, onAnomaly);
  return following;
}

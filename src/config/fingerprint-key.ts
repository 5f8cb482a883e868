// Where the key of keyed fingerprints comes from: --fingerprint-key, else $OAUTH_INSPECT_FINGERPRINT_KEY,
// else a random key kept in the tool's folder (0600), else a random key of this run. It never
// prints the key.
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FingerprintKeySource } from '../model/index.js';
import { InputError } from '../model/index.js';
import { configDir } from './config-dir.js';

export const FINGERPRINT_KEY_ENV = 'OAUTH_INSPECT_FINGERPRINT_KEY';
export const FINGERPRINT_KEY_FILE = 'fingerprint.key';

const KEY_TEXT = /^[0-9a-f]{64}$/;

/**
 * The key source for `setFingerprintKey`. The key file is read (or created) only when a keyed
 * fingerprint is first needed; when it cannot be, `warn` is told once and a key of this run is used.
 */
export function fingerprintKeySource(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  warn: (line: string) => void,
): FingerprintKeySource {
  if (flag !== undefined) {
    if (flag === '') throw new InputError('bad-usage', '--fingerprint-key: empty key');
    return flag;
  }
  const fromEnv = env[FINGERPRINT_KEY_ENV];
  if (fromEnv) return fromEnv;
  const path = join(configDir(env), FINGERPRINT_KEY_FILE);
  return () => {
    try {
      return readOrCreateKeyFile(path);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
      warn(
        `cannot keep a fingerprint key in ${path} (${reason}): keyed fingerprints (hmac-sha256) of this run ` +
          `match no other run; set --fingerprint-key or ${FINGERPRINT_KEY_ENV} to correlate runs`,
      );
      return randomBytes(32).toString('hex');
    }
  };
}

/**
 * The key in `path` (64 hex digits), creating it first when missing: folder 0700, file 0600. The
 * new key is written to a private temporary file and linked into place, so two runs starting at
 * once agree on one key and neither reads a half-written file.
 */
export function readOrCreateKeyFile(path: string): string {
  try {
    return readKeyFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
  writeFileSync(temporary, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  return readKeyFile(path);
}

function readKeyFile(path: string): string {
  const text = readFileSync(path, 'utf8').trim();
  if (!KEY_TEXT.test(text)) throw new Error('not a fingerprint key (64 hex digits expected)');
  return text;
}

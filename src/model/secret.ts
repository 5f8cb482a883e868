// Secret: a credential value that masks itself everywhere unless explicitly revealed.
import { createHash, createHmac, randomBytes } from 'node:crypto';

/** `sha256:` plus the hex SHA-256 of the raw value: identifies a high-entropy token without showing it. */
export function fingerprintOf(raw: string): string {
  return `sha256:${createHash('sha256').update(raw, 'utf8').digest('hex')}`;
}

/** The fingerprint key, or a function that gives it on first use (reading a key file, say). */
export type FingerprintKeySource = string | (() => string);

let keySource: FingerprintKeySource = () => randomBytes(32).toString('hex');
let key: string | undefined;
/** Bumped whenever the key changes, so Secrets made before the change do not keep a stale fingerprint. */
let keyGeneration = 0;

/**
 * Sets the key of keyed fingerprints (the CLI does this once at start). Until it is set, a random
 * key of this process is used: fingerprints then match within one run only.
 */
export function setFingerprintKey(source: FingerprintKeySource): void {
  keySource = source;
  key = undefined;
  keyGeneration++;
}

/**
 * `hmac-sha256:` plus the hex HMAC-SHA256 of the raw value under the configured key: for values
 * that may hold a password, where a plain hash would fall to a word list.
 */
export function keyedFingerprintOf(raw: string): string {
  key ??= typeof keySource === 'string' ? keySource : keySource();
  return `hmac-sha256:${createHmac('sha256', key).update(raw, 'utf8').digest('hex')}`;
}

export interface SecretOptions {
  /** The value may hold a password (Basic, Digest, NTLM, a password field): fingerprint it keyed. */
  readonly lowEntropy?: boolean;
}

/**
 * Holds a raw credential value. `toString`, `toJSON` and `util.inspect` give the masked form
 * (a short prefix and the length); only `reveal()` gives the value.
 */
export class Secret {
  readonly #raw: string;
  #fingerprint: string | undefined;
  #fingerprintGeneration = -1;
  readonly length: number;
  readonly lowEntropy: boolean;

  constructor(raw: string, options: SecretOptions = {}) {
    this.#raw = raw;
    this.length = raw.length;
    this.lowEntropy = options.lowEntropy === true;
  }

  /**
   * `hmac-sha256:<hex>` (keyed) for a low-entropy value, else `sha256:<hex>`, so that a token
   * can be matched across tools; computed on first use.
   */
  get fingerprint(): string {
    if (!this.lowEntropy) {
      this.#fingerprint ??= fingerprintOf(this.#raw);
    } else if (this.#fingerprintGeneration !== keyGeneration) {
      this.#fingerprint = keyedFingerprintOf(this.#raw);
      this.#fingerprintGeneration = keyGeneration;
    }
    return this.#fingerprint as string;
  }

  reveal(): string {
    return this.#raw;
  }

  /** The first few characters and the length, e.g. `eyJ0eX…(1234 chars)`. */
  masked(prefixLength = 6): string {
    if (this.length === 0) return '(empty)';
    const shown = this.length <= prefixLength * 2 ? 0 : prefixLength;
    return `${this.#raw.slice(0, shown)}…(${this.length} ${this.length === 1 ? 'char' : 'chars'})`;
  }

  /** Masked unless `show` is true. */
  display(show: boolean): string {
    return show ? this.#raw : this.masked();
  }

  toString(): string {
    return this.masked();
  }

  toJSON(): string {
    return this.masked();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Secret(${this.masked()})`;
  }
}

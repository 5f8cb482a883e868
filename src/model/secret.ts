// Secret: a credential value that masks itself everywhere unless explicitly revealed.
import { createHash } from 'node:crypto';

/** `sha256:` plus the hex SHA-256 of the raw value: identifies a credential without showing it. */
export function fingerprintOf(raw: string): string {
  return `sha256:${createHash('sha256').update(raw, 'utf8').digest('hex')}`;
}

/**
 * Holds a raw credential value. `toString`, `toJSON` and `util.inspect` give the masked form
 * (a short prefix and the length); only `reveal()` gives the value.
 */
export class Secret {
  readonly #raw: string;
  #fingerprint: string | undefined;
  readonly length: number;

  constructor(raw: string) {
    this.#raw = raw;
    this.length = raw.length;
  }

  /** `sha256:<hex>` of the raw value, computed on first use. */
  get fingerprint(): string {
    this.#fingerprint ??= fingerprintOf(this.#raw);
    return this.#fingerprint;
  }

  reveal(): string {
    return this.#raw;
  }

  /** The first few characters and the length, e.g. `eyJ0eX…(1234 chars)`. */
  masked(prefixLength = 6): string {
    if (this.length === 0) return '(empty)';
    const shown = this.length <= prefixLength * 2 ? 0 : prefixLength;
    return `${this.#raw.slice(0, shown)}…(${this.length} chars)`;
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

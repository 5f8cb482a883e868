// Errors with a stable code: InputError for bad files and usage, shown as one line with exit 2.

export type InputErrorCode =
  | 'not-found'
  | 'is-directory'
  | 'empty-file'
  | 'unknown-format'
  | 'unreadable'
  | 'too-large'
  | 'bad-har'
  | 'encrypted-archive'
  | 'bad-config'
  | 'bad-baseline'
  | 'bad-usage';

/** Bad input from the user (a path, a file's content, an option). The CLI prints `path: message`. */
export class InputError extends Error {
  readonly code: InputErrorCode;
  readonly path?: string;

  constructor(code: InputErrorCode, message: string, path?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputError';
    this.code = code;
    if (path !== undefined) this.path = path;
  }

  /** One line: `<path>: <message>`, or the message alone. */
  oneLine(): string {
    return this.path !== undefined ? `${this.path}: ${this.message}` : this.message;
  }
}

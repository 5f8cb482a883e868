// ANSI colours for the text report, and the decision whether to use them (TTY, NO_COLOR, FORCE_COLOR).
import type { Severity } from '../model/index.js';

/**
 * Colour when forced (`FORCE_COLOR` set and not `0`/`false`), never when `FORCE_COLOR` is `0`/
 * `false` or `NO_COLOR` is set and non-empty (https://no-color.org), else when the stream is a TTY
 * on a terminal that is not `dumb`. FORCE_COLOR wins over NO_COLOR, as in Node itself.
 */
export function shouldColor(
  stream: { readonly isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  const noColor = env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}

export interface Painter {
  bold(text: string): string;
  severity(severity: Severity, text: string): string;
}

const SEVERITY_CODES: Readonly<Record<Severity, string>> = { error: '31', warning: '33', note: '36' };

const sgr = (code: string, text: string): string => `\u001b[${code}m${text}\u001b[0m`;

export const ansiPainter: Painter = {
  bold: (text) => sgr('1', text),
  severity: (severity, text) => sgr(SEVERITY_CODES[severity], text),
};

export const plainPainter: Painter = {
  bold: (text) => text,
  severity: (_severity, text) => text,
};

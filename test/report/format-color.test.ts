// shouldColor honours NO_COLOR, FORCE_COLOR, TTY and TERM=dumb; the text report colours only when told.
import { describe, expect, it } from 'vitest';
import { shouldColor } from '../../src/report/format-color.js';
import { formatText } from '../../src/report/format-text.js';
import { metaFor, sampleScan } from './builders.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };
const ESC = '\u001b[';

describe('shouldColor', () => {
  it.each<[string, { isTTY?: boolean }, Record<string, string | undefined>, boolean]>([
    ['a TTY', tty, {}, true],
    ['a pipe', pipe, {}, false],
    ['a stream without isTTY', {}, {}, false],
    ['NO_COLOR on a TTY', tty, { NO_COLOR: '1' }, false],
    ['empty NO_COLOR on a TTY (ignored, per no-color.org)', tty, { NO_COLOR: '' }, true],
    ['TERM=dumb on a TTY', tty, { TERM: 'dumb' }, false],
    ['FORCE_COLOR on a pipe', pipe, { FORCE_COLOR: '1' }, true],
    ['empty FORCE_COLOR on a pipe', pipe, { FORCE_COLOR: '' }, true],
    ['FORCE_COLOR=0 on a TTY', tty, { FORCE_COLOR: '0' }, false],
    ['FORCE_COLOR=false on a TTY', tty, { FORCE_COLOR: 'false' }, false],
    ['FORCE_COLOR and NO_COLOR (FORCE_COLOR wins, as in Node)', pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
  ])('%s', (_name, stream, env, expected) => {
    expect(shouldColor(stream, env)).toBe(expected);
  });
});

describe('text report colours', () => {
  const { result } = sampleScan();
  const meta = metaFor(result);

  it('has no escape sequences without color', () => {
    expect(formatText(result, meta, { showSecrets: false })).not.toContain(ESC);
    expect(formatText(result, meta, { showSecrets: false, color: false })).not.toContain(ESC);
  });

  it('paints errors red, warnings yellow, notes cyan and headings bold', () => {
    const text = formatText(result, meta, { showSecrets: false, color: true });
    expect(text).toContain(`${ESC}31merror  ${ESC}0m`);
    expect(text).toContain(`${ESC}33mwarning${ESC}0m`);
    expect(text).toContain(`${ESC}36mnote   ${ESC}0m`);
    expect(text).toContain(`${ESC}1mFindings${ESC}0m`);
  });

  it('says the same thing in colour once the escapes are removed', () => {
    const coloured = formatText(result, meta, { showSecrets: false, color: true });
    const stripped = coloured.split(/\u001b\[[0-9;]*m/).join('');
    expect(stripped).toBe(formatText(result, meta, { showSecrets: false }));
  });
});

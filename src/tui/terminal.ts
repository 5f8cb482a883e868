// Whether the dashboard can run on this terminal, where its keys come from, and which layout its size allows.
import { closeSync, openSync } from 'node:fs';
import { isatty, ReadStream } from 'node:tty';
export type LayoutMode = 'full' | 'compact' | 'too-small';

/** The smallest terminal that gets every panel. */
export const FULL_LAYOUT_SIZE = { cols: 80, rows: 24 } as const;
/** Below this, only a message asking for a larger terminal. */
export const COMPACT_LAYOUT_SIZE = { cols: 40, rows: 12 } as const;

export function layoutModeFor(cols: number, rows: number): LayoutMode {
  if (cols >= FULL_LAYOUT_SIZE.cols && rows >= FULL_LAYOUT_SIZE.rows) return 'full';
  if (cols >= COMPACT_LAYOUT_SIZE.cols && rows >= COMPACT_LAYOUT_SIZE.rows) return 'compact';
  return 'too-small';
}

/**
 * blessed needs a terminal on both sides (blessed-contrib crashes without one); a `dumb`
 * terminal cannot place the cursor.
 */
export function terminalAvailable(
  stdin: { readonly isTTY?: boolean },
  stdout: { readonly isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return stdin.isTTY === true && stdout.isTTY === true && env['TERM'] !== 'dumb';
}

/**
 * The keyboard when standard input carries a capture (`tcpdump -w - | oauth-inspect scan - --tui`):
 * the controlling terminal, /dev/tty, as `less` reads its keys; undefined without one. The
 * caller destroys it when the dashboard closes (it keeps the process alive while open).
 */
export function controllingTerminalInput(): ReadStream | undefined {
  let fd: number | undefined;
  try {
    fd = openSync('/dev/tty', 'r');
    if (isatty(fd)) return new ReadStream(fd);
  } catch {
    // No controlling terminal (a service, CI).
  }
  if (fd !== undefined) closeSync(fd);
  return undefined;
}

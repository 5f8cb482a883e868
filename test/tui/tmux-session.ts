// Test helper: runs the built CLI inside a detached tmux session and reads its screen.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { binPath, repoRoot } from '../helpers/cli.js';

/** A private tmux server, so tests never touch the user's sessions. */
const SOCKET = 'oauth-inspect-tui-tests';

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

export interface SessionOptions {
  readonly width?: number;
  readonly height?: number;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** A file (a FIFO) the program reads as its standard input instead of the terminal. */
  readonly stdin?: string;
}

export class TmuxSession {
  readonly name: string;
  readonly exitFile: string;

  /** Starts `node dist/bin.js …args` in a new session; its exit code lands in `exitFile`. */
  constructor(name: string, args: readonly string[], exitFile: string, options: SessionOptions = {}) {
    this.name = name;
    this.exitFile = exitFile;
    const env = { LANG: 'C.UTF-8', NCURSES_NO_UTF8_ACS: '1', ...options.env };
    const assignments = Object.entries(env).map(([key, value]) => `${key}=${quote(value)}`);
    const command = `cd ${quote(options.cwd ?? repoRoot)} && env ${assignments.join(' ')} ${quote(process.execPath)} ${quote(binPath)} ${args.map(quote).join(' ')}${options.stdin === undefined ? '' : ` < ${quote(options.stdin)}`}; echo $? > ${quote(exitFile)}`;
    tmux('new-session', '-d', '-s', name, '-x', String(options.width ?? 160), '-y', String(options.height ?? 48), command);
  }

  /** The screen as text (`escapes`: with SGR colour and attribute codes). */
  capture(escapes = false): string {
    try {
      return tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', this.name);
    } catch {
      return '';
    }
  }

  sendKeys(...keys: string[]): void {
    tmux('send-keys', '-t', this.name, ...keys);
  }

  /** Polls the screen until `test` holds (bounded); returns that screen, or throws with the last one. */
  async waitFor(test: (screen: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = this.capture();
      if (test(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
  }

  /** Waits (bounded) for the program to end and returns its exit code. */
  async exitCode(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (existsSync(this.exitFile)) {
        const text = readFileSync(this.exitFile, 'utf8').trim();
        if (text !== '') return Number(text);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.name} did not exit within ${timeoutMs} ms; screen:\n${this.capture()}`);
  }

  resize(width: number, height: number): void {
    tmux('resize-window', '-t', this.name, '-x', String(width), '-y', String(height));
  }

  kill(): void {
    try {
      tmux('kill-session', '-t', this.name);
    } catch {
      // Already ended with its program.
    }
  }
}

/** Table rows on screen: lines of the exchanges pane that start with a time. */
export function tableRows(screen: string): string[] {
  return screen.split('\n').filter((line) => /^│\d\d:\d\d:\d\d\.\d{3} /.test(line));
}

// Test helper: runs node with module-recorder.mjs and says which files and packages a run loaded.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, TEST_FINGERPRINT_KEY } from './cli.js';

const recorder = fileURLToPath(new URL('./module-recorder.mjs', import.meta.url));

export interface ModuleLog {
  readonly status: number | null;
  /** Every file loaded, as an absolute path (builtins left out). */
  readonly files: readonly string[];
  /** The packages those files belong to (`blessed`, `@commander-js/extra-typings`), sorted. */
  readonly packages: readonly string[];
  /** The files of the project's dist/ that were loaded, relative to dist/ (`commands/scan.js`). */
  readonly dist: readonly string[];
}

/** The package a path under node_modules belongs to, or undefined. */
export function packageOf(path: string): string | undefined {
  const rest = path.split('/node_modules/').pop();
  if (rest === undefined || rest === path) return undefined;
  const [first, second] = rest.split('/');
  return first?.startsWith('@') ? `${first}/${second}` : first;
}

/** Runs `node <args>` (from the repository root) with the recorder preloaded. */
export function loadedModules(args: readonly string[]): ModuleLog {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-modules-'));
  const log = join(dir, 'modules.txt');
  try {
    const run = spawnSync(process.execPath, ['--import', recorder, ...args], {
      cwd: repoRoot,
      env: { ...process.env, MODULE_LOG: log, NO_COLOR: '1', OAUTH_INSPECT_FINGERPRINT_KEY: TEST_FINGERPRINT_KEY },
      encoding: 'utf8',
      timeout: 60_000,
    });
    let lines: string[] = [];
    try {
      lines = readFileSync(log, 'utf8').split('\n');
    } catch {
      // Nothing resolved: the run failed before loading anything.
    }
    const files = [...new Set(lines.filter((l) => l.startsWith('/') || l.startsWith('file:')).map((l) => (l.startsWith('file:') ? fileURLToPath(l) : l)))];
    const distRoot = join(repoRoot, 'dist/');
    return {
      status: run.status,
      files,
      packages: [...new Set(files.map(packageOf).filter((p): p is string => p !== undefined))].sort(),
      dist: files.filter((f) => f.startsWith(distRoot)).map((f) => f.slice(distRoot.length)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

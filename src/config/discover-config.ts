// Finds the configuration nobody named, as lilconfig does: .oauth-inspect.{json,yaml,yml} or package.json's "oauth-inspect", from a folder up to $HOME or the root.
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { readSmallFile } from './small-file.js';

/** The key of package.json that holds a configuration. */
export const PACKAGE_KEY = 'oauth-inspect';

/** Looked for in each folder, in this order (package.json first, as lilconfig and cosmiconfig do). */
export const CONFIG_FILE_NAMES = ['package.json', '.oauth-inspect.json', '.oauth-inspect.yaml', '.oauth-inspect.yml'] as const;

export interface FoundConfig {
  readonly path: string;
  /** Set when the configuration is this key of a package.json, not the whole file. */
  readonly packageKey?: typeof PACKAGE_KEY;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a package.json holds an "oauth-inspect" key. One that is not JSON counts only if it
 * names the key (the loader then reports where it breaks); otherwise, like one that cannot be
 * read, it is someone else's file and the search goes on.
 */
async function packageHasKey(path: string): Promise<boolean> {
  let text: string;
  try {
    text = (await readSmallFile({ path, what: 'package.json', origin: path, cannotRead: (reason) => `cannot read package.json (${reason})` })).toString('utf8');
  } catch {
    return false;
  }
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === 'object' && json !== null && !Array.isArray(json) && Object.hasOwn(json, PACKAGE_KEY);
  } catch {
    return text.includes(`"${PACKAGE_KEY}"`);
  }
}

/**
 * The first configuration found in `start` or a folder above it. The search stops after `stopDir`
 * (the home folder: a file above it is not the user's) or at the filesystem root, whichever comes
 * first. It reads only package.json files, to look for the key; the loader reads the file found.
 */
export async function discoverConfig(start: string, stopDir: string | undefined): Promise<FoundConfig | undefined> {
  const stop = stopDir === undefined ? undefined : resolve(stopDir);
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const path = join(dir, name);
      if (!(await exists(path))) continue;
      if (name !== 'package.json') return { path };
      if (await packageHasKey(path)) return { path, packageKey: PACKAGE_KEY };
    }
    if (dir === stop || dirname(dir) === dir) return undefined;
  }
}

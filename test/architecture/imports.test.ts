// The stage folders import only what the architecture allows (docs/architecture.md): sources feed one inspector, outputs are addons.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

const src = join(repoRoot, 'src');

/** Folder (stage) of a file under src/, or '' for files at the top. */
function stageOf(path: string): string {
  const parts = relative(src, path).split('/');
  return parts.length > 1 ? parts[0]! : '';
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every stage a file imports from (static and dynamic imports of relative paths). */
function importedStages(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  const stages = new Set<string>();
  for (const match of text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
    const target = join(file, '..', match[1]!);
    stages.add(stageOf(target));
  }
  return stages;
}

const FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  proxy: ['pipeline', 'rules', 'report', 'tui'],
  pipeline: ['report', 'tui'],
  sources: ['report'],
  reassembly: ['report'],
  http1: ['report'],
  tls: ['report'],
  decode: ['report', 'rules'],
  rules: ['report'],
  http2: ['report'],
  model: ['pipeline', 'rules', 'report'],
};

describe('import rules over src/', () => {
  const files = filesUnder(src);
  for (const [stage, forbidden] of Object.entries(FORBIDDEN)) {
    it(`${stage} imports nothing from ${forbidden.join(', ')}`, () => {
      const offenders = files
        .filter((file) => stageOf(file) === stage)
        .flatMap((file) => [...importedStages(file)].filter((s) => forbidden.includes(s)).map((s) => `${relative(repoRoot, file)} -> ${s}`));
      expect(offenders).toEqual([]);
    });
  }

  it('finds the stage folders it checks', () => {
    const stages = new Set(files.map(stageOf));
    for (const stage of Object.keys(FORBIDDEN)) expect(stages.has(stage), stage).toBe(true);
  });
});

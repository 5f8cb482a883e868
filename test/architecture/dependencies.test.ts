// Every package src/ imports is declared in package.json, and no import reaches into a package's internals (dist/, lib/).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

interface PackageJson {
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
const dependencies = new Set(Object.keys(manifest.dependencies ?? {}));
const devDependencies = new Set(Object.keys(manifest.devDependencies ?? {}));

interface ImportSite {
  readonly file: string;
  readonly specifier: string;
  /** `import type` / `export type`: erased at build, so a types-only package is enough. */
  readonly typeOnly: boolean;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The bare (non-relative) specifiers of static imports and re-exports, dynamic imports and side-effect imports. */
function bareImports(file: string, text: string): ImportSite[] {
  const sites: ImportSite[] = [];
  const add = (specifier: string, typeOnly: boolean): void => {
    if (!specifier.startsWith('.')) sites.push({ file, specifier, typeOnly });
  };
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'";]*?\sfrom\s*['"]([^'"]+)['"]/gm)) add(m[2]!, m[1] !== undefined);
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) add(m[1]!, false);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) add(m[1]!, false);
  return sites;
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The package that holds a bare name's types: `x` → `@types/x`, `@scope/x` → `@types/scope__x`. */
function typesPackage(name: string): string {
  return `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier);
}

const sites = filesUnder(join(repoRoot, 'src')).flatMap((file) => bareImports(relative(repoRoot, file), readFileSync(file, 'utf8')));
const packageSites = sites.filter((site) => !isBuiltin(site.specifier));

/**
 * Module paths a package offers as its own entry points though they sit under lib/: blessed-contrib's
 * index is nothing but one require per layout and widget module (`exports.grid =
 * require('./lib/layout/grid')`, …), so the dashboard requires the two it uses instead of all of
 * them (map, picture, markdown…).
 */
const PUBLIC_MODULES = /^blessed-contrib\/lib\/(?:layout|widget)\/[a-z-]+\.js$/;

describe('package imports in src/', () => {
  it('finds the imports it checks', () => {
    expect(packageSites.map((site) => site.specifier)).toEqual(expect.arrayContaining(['@commander-js/extra-typings', 'node-forge', 'jose']));
  });

  it('imports at run time only packages declared in dependencies, installed', () => {
    const offenders = packageSites
      .filter((site) => !site.typeOnly)
      .filter((site) => !dependencies.has(packageName(site.specifier)) || !existsSync(join(repoRoot, 'node_modules', packageName(site.specifier), 'package.json')))
      .map((site) => `${site.file}: ${site.specifier}`);
    expect(offenders).toEqual([]);
  });

  it('imports types only from declared packages (the package itself or its @types)', () => {
    const offenders = packageSites
      .filter((site) => site.typeOnly)
      .filter((site) => {
        const name = packageName(site.specifier);
        return !dependencies.has(name) && !devDependencies.has(typesPackage(name)) && !dependencies.has(typesPackage(name));
      })
      .map((site) => `${site.file}: ${site.specifier}`);
    expect(offenders).toEqual([]);
  });

  it("never reaches into a package's internals (dist/, lib/, src/, build/)", () => {
    const offenders = packageSites
      .filter((site) => !PUBLIC_MODULES.test(site.specifier))
      .filter((site) => /^(?:dist|lib|src|build)(?:\/|$)/.test(site.specifier.slice(packageName(site.specifier).length + 1)))
      .map((site) => `${site.file}: ${site.specifier}`);
    expect(offenders).toEqual([]);
  });

  it('reads the import forms it relies on', () => {
    const text = [
      "import { a } from 'pkg-a';",
      "import type { B } from '@scope/b';",
      "export { c } from 'pkg-c/sub';",
      "import 'side-effect';",
      "const d = await import('pkg-d');",
      "import {\n  e,\n  type F,\n} from 'pkg-e';",
      "import { g } from './relative.js';",
    ].join('\n');
    expect(bareImports('x.ts', text).map((site) => [site.specifier, site.typeOnly])).toEqual([
      ['pkg-a', false],
      ['@scope/b', true],
      ['pkg-c/sub', false],
      ['pkg-e', false],
      ['side-effect', false],
      ['pkg-d', false],
    ]);
  });
});

// Config discovery (lilconfig's rules): file names and their order, nearest folder first, the $HOME stop, package.json's key, --config and --no-config.
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chosenConfig } from '../../src/commands/config-options.js';
import { discoverConfig } from '../../src/config/discover-config.js';
import { loadConfig, parseConfigText } from '../../src/config/load-config.js';
import { InputError } from '../../src/model/index.js';
import { repoRoot, runBin } from '../helpers/cli.js';

/** home/project/sub under a fresh temporary folder; returns the three paths. */
function tree(): { home: string; project: string; sub: string } {
  const home = join(realpathSync(mkdtempSync(join(tmpdir(), 'oauth-inspect-discover-'))), 'home');
  const project = join(home, 'project');
  const sub = join(project, 'sub');
  mkdirSync(sub, { recursive: true });
  return { home, project, sub };
}

function inputErrorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('discoverConfig', () => {
  it('finds a configuration in the working folder or the nearest folder above it', async () => {
    const { home, project, sub } = tree();
    writeFileSync(join(project, '.oauth-inspect.yaml'), 'expectedRealms: [contoso.com]\n');
    expect(await discoverConfig(sub, home)).toEqual({ path: join(project, '.oauth-inspect.yaml') });
    writeFileSync(join(sub, '.oauth-inspect.yml'), 'expectedRealms: [fabrikam.com]\n');
    expect(await discoverConfig(sub, home)).toEqual({ path: join(sub, '.oauth-inspect.yml') });
  });

  it('looks in a folder for package.json, then .oauth-inspect.json, .yaml, .yml', async () => {
    const { home, project } = tree();
    for (const name of ['.oauth-inspect.yml', '.oauth-inspect.yaml', '.oauth-inspect.json']) {
      writeFileSync(join(project, name), '{}\n');
      expect(await discoverConfig(project, home)).toEqual({ path: join(project, name) });
    }
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'p', 'oauth-inspect': {} }));
    expect(await discoverConfig(project, home)).toEqual({ path: join(project, 'package.json'), packageKey: 'oauth-inspect' });
  });

  it('passes over a package.json without the key, or one that is not JSON and does not name it', async () => {
    const { home, project, sub } = tree();
    writeFileSync(join(sub, 'package.json'), JSON.stringify({ name: 'sub' }));
    writeFileSync(join(project, 'package.json'), '{ "name": broken');
    writeFileSync(join(home, '.oauth-inspect.json'), '{}');
    expect(await discoverConfig(sub, home)).toEqual({ path: join(home, '.oauth-inspect.json') });
  });

  it('stops after $HOME: a configuration above it is not the user\'s', async () => {
    const { home, sub } = tree();
    writeFileSync(join(home, '..', '.oauth-inspect.yaml'), 'expectedRealms: [above-home]\n');
    expect(await discoverConfig(sub, home)).toBeUndefined();
    // Without a home folder on the way (a folder outside it), the search goes on to the root.
    expect(await discoverConfig(sub, join(home, 'elsewhere'))).toEqual({ path: join(home, '..', '.oauth-inspect.yaml') });
  });
});

describe('a configuration inside package.json', () => {
  const packageJson = ['{', '  "name": "exchange-tests",', '  "oauth-inspect": {', '    "rules": { "no-basci-auth": "off" }', '  }', '}', ''].join('\n');

  it('is validated with errors at their line in package.json', () => {
    const error = inputErrorOf(() => parseConfigText(packageJson, 'package.json', { packageKey: 'oauth-inspect' }));
    expect(error.oneLine()).toBe('package.json:4: unknown rule id "no-basci-auth"');
  });

  it('must be a mapping', () => {
    const error = inputErrorOf(() => parseConfigText('{\n  "oauth-inspect": [1]\n}\n', 'package.json', { packageKey: 'oauth-inspect' }));
    expect(error.oneLine()).toBe('package.json:2: the configuration ("oauth-inspect" in package.json) must be a mapping of keys to values');
  });

  it('is loaded with paths relative to package.json, the rest of the file ignored', async () => {
    const { project } = tree();
    const path = join(project, 'package.json');
    writeFileSync(path, JSON.stringify({ name: 'x', scripts: { test: 'vitest' }, 'oauth-inspect': { rules: { 'no-basic-auth': 'off' } } }, null, 2));
    const config = await loadConfig(path, {}, { packageKey: 'oauth-inspect' });
    expect(config.file).toBe(path);
    expect(config.rules['no-basic-auth']).toBe('off');
  });
});

describe('$schema', () => {
  it('is accepted in a JSON configuration, so editors validate it', () => {
    expect(() => parseConfigText('{ "$schema": "./node_modules/oauth-inspect/docs/config.schema.json", "expectedRealms": ["contoso.com"] }', 'c.json')).not.toThrow();
  });

  it('must be a string', () => {
    const error = inputErrorOf(() => parseConfigText('{\n  "$schema": 1\n}', 'c.json'));
    expect(error.oneLine()).toBe('c.json:2: $schema must be a string');
  });
});

describe('which configuration a run uses', () => {
  it('--config (or its older name --rules) wins over discovery; --no-config uses none', async () => {
    const { home, sub } = tree();
    writeFileSync(join(sub, '.oauth-inspect.yaml'), '{}\n');
    expect(await chosenConfig({}, sub, home)).toEqual({ path: join(sub, '.oauth-inspect.yaml') });
    expect(await chosenConfig({ config: 'explicit.yaml' }, sub, home)).toEqual({ path: 'explicit.yaml' });
    expect(await chosenConfig({ rules: 'explicit.yaml' }, sub, home)).toEqual({ path: 'explicit.yaml' });
    expect(await chosenConfig({ config: false }, sub, home)).toBeUndefined();
  });

  it('refuses --config and --rules naming two files', async () => {
    await expect(chosenConfig({ config: 'a.yaml', rules: 'b.yaml' })).rejects.toThrow('--config a.yaml and --rules b.yaml name two configurations: give one');
  });

  it('scan uses the configuration found above the working folder, and says so in its report', async () => {
    const { home, project, sub } = tree();
    writeFileSync(join(project, '.oauth-inspect.json'), JSON.stringify({ $schema: 'x', rules: { 'no-basic-auth': 'off' } }));
    const capture = join(repoRoot, 'captures', 'basic-auth.pcap');
    const found = await runBin(['scan', capture, '--format', 'json'], { cwd: sub, env: { HOME: home } });
    expect(found.code, found.stderr).toBe(0);
    const report = JSON.parse(found.stdout) as { configPath?: string; findings: Array<{ rule: string }> };
    expect(report.configPath).toBe(join(project, '.oauth-inspect.json'));
    expect(report.findings.map((f) => f.rule)).not.toContain('no-basic-auth');

    const none = await runBin(['scan', capture, '--format', 'json', '--no-config'], { cwd: sub, env: { HOME: home } });
    expect((JSON.parse(none.stdout) as { configPath: string | null }).configPath).toBeNull();
    expect(none.code).toBe(1);

    writeFileSync(join(sub, 'broken.yaml'), 'rules:\n  no-basci-auth: off\n');
    const explicit = await runBin(['scan', capture, '--config', 'broken.yaml'], { cwd: sub, env: { HOME: home } });
    expect(explicit.code).toBe(2);
    expect(explicit.stderr).toBe('oauth-inspect: broken.yaml:2: unknown rule id "no-basci-auth"\n');
  });
});

// Start-up loads what the command needs and nothing more: which modules a run loads, never how long it takes (see npm run bench:startup).
import { describe, expect, it } from 'vitest';
import { binPath } from '../helpers/cli.js';
import { loadedModules } from '../helpers/module-log.js';

/** Packages that only some runs need: a config file, a certificate, the dashboard, the proxy. */
const HEAVY = ['yaml', 'ajv', 'jose', 'node-forge', 'http-mitm-proxy', 'blessed', 'blessed-contrib'];
/** The modules that run a command; the CLI loads each when its command runs. */
const COMMANDS = ['commands/scan.js', 'commands/exchanges.js', 'commands/decode.js', 'commands/proxy.js', 'commands/rules.js'];

describe('start-up', () => {
  it.each([['--version'], ['--help'], ['scan', '--help'], ['proxy', '--help']])('`%s` loads commander and the option definitions only', (...args) => {
    const run = loadedModules([binPath, ...args]);
    expect(run.status).toBe(0);
    expect(run.packages).toEqual(['@commander-js/extra-typings', 'commander']);
    expect(run.dist.filter((file) => COMMANDS.includes(file))).toEqual([]);
  });

  it('a scan without configuration, certificates or dashboard loads none of the heavy packages', () => {
    const run = loadedModules([binPath, 'scan', 'captures/s2s-good.pcap']);
    expect(run.status).toBe(0);
    expect(run.dist).toContain('commands/scan.js');
    expect(run.packages.filter((name) => HEAVY.includes(name))).toEqual([]);
  });

  it('a configuration file loads yaml and ajv when it is read, and still not the dashboard or the proxy', () => {
    const run = loadedModules([binPath, 'scan', 'captures/s2s-good.pcap', '--rules', 'examples/sfb-online-exchange-onprem.yaml']);
    expect(run.status).toBe(0);
    expect(run.packages).toEqual(expect.arrayContaining(['yaml', 'ajv']));
    expect(run.packages.filter((name) => ['blessed', 'http-mitm-proxy'].includes(name))).toEqual([]);
  });

  it("the dashboard loads blessed-contrib's grid and sparkline, not its index and every widget", () => {
    const run = loadedModules(['--input-type=module', '-e', "await import('./dist/tui/dashboard.js')"]);
    expect(run.status).toBe(0);
    const contrib = run.files.filter((file) => file.includes('/node_modules/blessed-contrib/')).map((file) => file.split('/node_modules/blessed-contrib/')[1]);
    expect(contrib.sort()).toEqual(['lib/layout/grid.js', 'lib/utils.js', 'lib/widget/sparkline.js']);
    expect(run.packages).not.toContain('marked');
  });
});

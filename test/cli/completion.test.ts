// `oauth-inspect completion bash|zsh|fish`: each script loads in its shell and completes commands, options and option choices taken from the program.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';

const has = (shell: string): boolean => spawnSync('sh', ['-c', `command -v ${shell}`], { stdio: 'ignore' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'oauth-inspect-completion-'));
const scripts: Record<'bash' | 'zsh' | 'fish', string> = { bash: '', zsh: '', fish: '' };
const COMMANDS = ['exchanges', 'scan', 'rules', 'decode', 'proxy', 'ca', 'completion'];

/** Runs `shell args…` in the temporary folder (bounded: 20 s); stdout, failing on a non-zero exit. */
function run(shell: string, args: string[]): string {
  const result = spawnSync(shell, args, { cwd: dir, encoding: 'utf8', timeout: 20_000, env: { ...process.env, HOME: dir } });
  expect(result.status, `${shell} ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

/** The long options `oauth-inspect <command> --help` lists. */
async function helpOptions(command: string): Promise<string[]> {
  const help = await runBin([command, '--help']);
  return [...help.stdout.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!);
}

beforeAll(async () => {
  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    const result = await runBin(['completion', shell]);
    expect(result.code, result.stderr).toBe(0);
    scripts[shell] = result.stdout;
    writeFileSync(join(dir, `completion.${shell}`), result.stdout);
  }
  writeFileSync(join(dir, 'capture.pcap'), '');
});

describe('completion bash', () => {
  /** COMPREPLY for the words typed so far (the last one is being completed). */
  const complete = (...words: string[]): string[] => {
    const quoted = words.map((w) => `'${w}'`).join(' ');
    const out = run('bash', ['-c', `source ./completion.bash; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _oauth_inspect; printf '%s\\n' "\${COMPREPLY[@]}"`]);
    return out.split('\n').filter((line) => line !== '');
  };

  it('registers itself for oauth-inspect when sourced', () => {
    expect(run('bash', ['-c', 'source ./completion.bash; complete -p oauth-inspect']).trim()).toBe('complete -F _oauth_inspect oauth-inspect');
  });

  it('completes commands, options, option choices and files', () => {
    expect(complete('oauth-inspect', '')).toEqual(expect.arrayContaining([...COMMANDS, 'help', '--help', '--version']));
    expect(complete('oauth-inspect', 'sc')).toEqual(['scan']);
    expect(complete('oauth-inspect', 'scan', '--fo')).toEqual(['--format']);
    expect(complete('oauth-inspect', 'scan', '--format', '')).toEqual(['text', 'json', 'junit', 'sarif', 'jsonl', 'ecs']);
    expect(complete('oauth-inspect', 'scan', '--fail-on', 'w')).toEqual(['warning']);
    expect(complete('oauth-inspect', 'proxy', '--report-format', 's')).toEqual(['sarif']);
    expect(complete('oauth-inspect', 'proxy', '--key')).toEqual(['--keylog']);
    expect(complete('oauth-inspect', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(complete('oauth-inspect', 'scan', '--realm', 'contoso.com', 'capt')).toEqual(['capture.pcap']);
    expect(complete('oauth-inspect', 'scan', '--keylog', 'capt')).toEqual(['capture.pcap']);
    expect(complete('oauth-inspect', 'scan', '--max-exchanges', '')).toEqual([]);
  });

  it('offers every option that each command\'s --help lists', async () => {
    const listed = await Promise.all(COMMANDS.map(helpOptions));
    COMMANDS.forEach((command, index) => {
      expect(listed[index]!, command).toContain('--help');
      expect(complete('oauth-inspect', command, '--'), command).toEqual(expect.arrayContaining(listed[index]!));
    });
  });
});

describe('completion zsh', () => {
  it('holds a completion function for every command, with the choices of --format', () => {
    expect(scripts.zsh.startsWith('#compdef oauth-inspect\n')).toBe(true);
    for (const command of COMMANDS) expect(scripts.zsh).toContain(`\n        ${command})\n`);
    expect(scripts.zsh).toMatch(/'--format\[report format[^\n]*:format:\(text json junit sarif jsonl ecs\)'/);
    expect(scripts.zsh).toContain(`'*--cert[signing certificate (.cer DER or PEM) to verify signatures]:cert:_files'`);
  });

  it.skipIf(!has('zsh'))('parses (zsh -n) and registers itself with compinit', () => {
    run('zsh', ['-n', 'completion.zsh']);
    expect(run('zsh', ['-f', '-c', 'autoload -U compinit; compinit -u -D; source ./completion.zsh; print -r -- ${_comps[oauth-inspect]}']).trim()).toBe('_oauth-inspect');
  });
});

describe('completion fish', () => {
  it('holds one complete line per command and option', () => {
    for (const command of COMMANDS) expect(scripts.fish).toContain(`-n __fish_use_subcommand -a ${command} `);
    expect(scripts.fish).toContain(`complete -c oauth-inspect -n '__fish_seen_subcommand_from scan' -l format -x -a 'text json junit sarif jsonl ecs'`);
  });

  it.skipIf(!has('fish'))('parses (fish -n) and completes commands, options and choices', () => {
    run('fish', ['-n', 'completion.fish']);
    const complete = (line: string): string[] =>
      run('fish', ['-c', `source ./completion.fish; complete -C '${line}'`]).split('\n').filter((l) => l !== '').map((l) => l.split('\t')[0]!);
    expect(complete('oauth-inspect sc')).toEqual(['scan']);
    expect(complete('oauth-inspect scan --format ').sort()).toEqual(['ecs', 'json', 'jsonl', 'junit', 'sarif', 'text']);
    expect(complete('oauth-inspect proxy --key')).toEqual(['--keylog']);
    expect(complete('oauth-inspect scan capt')).toEqual(['capture.pcap']);
  });
});

describe('completion errors', () => {
  it('refuses a shell it does not know, with exit 2', async () => {
    const result = await runBin(['completion', 'powershell']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'powershell' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.");
  });
});

// The key log file: created 0600, appended to (never truncated), lines in order; an unwritable path is one input error.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/index.js';
import { KeyLogFile } from '../../src/proxy/key-log-file.js';
import { tempDir } from './harness.js';

const line = (n: number): Buffer => Buffer.from(`CLIENT_RANDOM ${String(n).padStart(64, '0')} ${'ab'.repeat(48)}\n`);

describe('KeyLogFile', () => {
  it('creates the file 0600 and writes the lines in the order given', async () => {
    const path = join(tempDir(), 'keys.log');
    const file = await KeyLogFile.open(path);
    for (let n = 0; n < 50; n++) file.write(line(n));
    await file.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe(Array.from({ length: 50 }, (_, n) => line(n).toString()).join(''));
  });

  it('appends to an existing key log (SSLKEYLOGFILE is shared with browsers and curl)', async () => {
    const path = join(tempDir(), 'keys.log');
    writeFileSync(path, '# from curl\n', { mode: 0o600 });
    const file = await KeyLogFile.open(path);
    file.write(line(1));
    await file.close();
    expect(readFileSync(path, 'utf8')).toBe(`# from curl\n${line(1).toString()}`);
  });

  it('says in one input error that a path cannot be written', async () => {
    const path = join(tempDir(), 'missing-folder', 'keys.log');
    await expect(KeyLogFile.open(path)).rejects.toThrow(InputError);
    await expect(KeyLogFile.open(path)).rejects.toThrow('cannot write the key log (ENOENT)');
  });
});

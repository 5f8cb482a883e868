// FollowingKeyLog: secrets appended to the key log after loading are found on the next miss; lines half written wait.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Anomaly } from '../../src/model/index.js';
import { loadKeyLog } from '../../src/tls/load-key-log.js';

const dir = mkdtempSync(join(tmpdir(), 'following-key-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const random = (byte: number): Buffer => Buffer.alloc(32, byte);
const line = (byte: number): string => `CLIENT_RANDOM ${random(byte).toString('hex')} ${'ab'.repeat(48)}\n`;

describe('a key log file followed as it grows', () => {
  it('finds secrets logged after it was loaded, and takes a line only once it is whole', async () => {
    const path = join(dir, 'keys.log');
    writeFileSync(path, line(1));
    const anomalies: Anomaly[] = [];
    const keyLog = await loadKeyLog(path, {}, (a) => anomalies.push(a));
    expect(keyLog.secretsFor(random(1))?.masterSecret).toBeDefined();
    expect(keyLog.secretsFor(random(2))).toBeUndefined();
    const second = line(2);
    appendFileSync(path, second.slice(0, 40));
    expect(keyLog.secretsFor(random(2))).toBeUndefined();
    appendFileSync(path, second.slice(40));
    expect(keyLog.secretsFor(random(2))?.masterSecret).toBeDefined();
    expect(anomalies).toEqual([]);
  });

  it('reads a rewritten (shorter) file from its start', async () => {
    const path = join(dir, 'rewritten.log');
    writeFileSync(path, line(3) + line(4));
    const keyLog = await loadKeyLog(path, {}, () => undefined);
    writeFileSync(path, line(5));
    expect(keyLog.secretsFor(random(5))?.masterSecret).toBeDefined();
    expect(keyLog.secretsFor(random(3))?.masterSecret).toBeDefined();
  });
});

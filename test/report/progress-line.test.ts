// The progress line's text: percentage only with a known size, the file name escaped, never wider than the terminal.
import { describe, expect, it } from 'vitest';
import { ProgressLine } from '../../src/report/progress-line.js';

describe('ProgressLine', () => {
  it('says bytes, percentage, rate and counts; escapes control characters of the file name', () => {
    const line = new ProgressLine({ write: () => undefined }, 4 * 1024 * 1024);
    line.input({ path: '/captures/evil\x1b[2Jname.pcap', size: 4 * 1024 * 1024, bytesRead: () => 1024 * 1024 });
    line.counting(() => ({ exchanges: 12, findings: 3 }));
    const text = line.text();
    line.finish();
    expect(text).toMatch(/^reading 1\.0\/4\.0 MB \(25%\) \d+\.\d MB\/s, 12 exchanges, 3 findings evil\\x1b\[2Jname\.pcap$/);
    expect(text).not.toContain('\x1b');
  });

  it('has no percentage for a live input, adds the inputs read before, and no findings where nothing judges', () => {
    const line = new ProgressLine({ write: () => undefined }, undefined);
    line.input({ path: 'first.pcap', size: 2 * 1024 * 1024, bytesRead: () => 2 * 1024 * 1024 });
    line.input({ path: '-', size: undefined, bytesRead: () => 1024 * 1024 });
    line.counting(() => ({ exchanges: 5 }));
    const text = line.text();
    line.finish();
    expect(text).toMatch(/^reading 3\.0 MB \d+\.\d MB\/s, 5 exchanges -$/);
  });

  it('erases itself before another stderr line and at the end', async () => {
    const written: string[] = [];
    const target = { write: (text: string) => void written.push(text), columns: 40 };
    const line = new ProgressLine(target, 100);
    line.input({ path: 'a.pcap', size: 100, bytesRead: () => 50 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(written.at(-1)).toMatch(/^\r\x1b\[Kreading /);
    expect(written.at(-1)!.length - 4).toBeLessThanOrEqual(39);
    const stderr = line.lines({ write: (chunk: string | Uint8Array) => written.push(String(chunk)) } as unknown as NodeJS.WritableStream);
    stderr.write('warning: something\n');
    expect(written.slice(-2)).toEqual(['\r\x1b[K', 'warning: something\n']);
    line.finish();
  });
});

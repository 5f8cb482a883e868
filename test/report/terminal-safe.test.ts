// Control characters from the traffic never reach a terminal raw: text report, exchanges lines,
// anomaly lines, the dashboard's rows and detail, and the CLI's one-line errors.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { decodeExchange } from '../../src/decode/decode-exchange.js';
import type { Anomaly, ScanResult } from '../../src/model/index.js';
import { AnomalyReporter } from '../../src/report/anomaly-reporter.js';
import { exchangeSummaryLine, summarizeExchange } from '../../src/report/exchange-summary.js';
import { formatText } from '../../src/report/format-text.js';
import { terminalSafe } from '../../src/report/terminal-safe.js';
import { fit } from '../../src/tui/dashboard.js';
import { detailLines } from '../../src/tui/detail-view.js';
import { exchangeRowOf } from '../../src/tui/exchange-row.js';
import { makeExchange } from '../factories.js';
import { about, finding, metaFor } from './builders.js';

const ESC = '\u001b';
const BEL = '\u0007';
const CSI = '\u009b';
/** Any control byte a terminal acts on: C0, DEL, C1. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const user = `bob${ESC}]0;owned${BEL}${ESC}[2J`;
const host = `mail.contoso.com${ESC}[8m${CSI}2J`;
const exchange = makeExchange({
  origin: { kind: 'pcap', file: `evil${ESC}[2J.pcap` },
  method: 'POST',
  uri: `/EWS/${ESC}]0;title${BEL}Exchange.asmx`,
  requestHeaders: { Host: host, Authorization: `Basic ${Buffer.from(`${user}:Winter2024!`).toString('base64')}` },
  status: 401,
  responseHeaders: { 'WWW-Authenticate': `Bearer realm="r${ESC}]0;t${BEL}", client_id="${CSI}31m"` },
});
const decoded = decodeExchange(exchange, 1);
const sighting = decoded.credentials[0]!;
const anomaly: Anomaly = { code: 'http-bad-header-line', severity: 'warning', message: `header ${ESC}[2J${CSI}H cut`, file: `evil${ESC}[2J.pcap`, frame: 3, stream: 0 };
const result: ScanResult = {
  files: [`evil${ESC}[2J.pcap`],
  exchanges: [decoded],
  findings: [finding(decoded, 'no-basic-auth', 'error', `Basic credentials for user ${user} sent to ${host}`, sighting, 'basic')],
  ruleErrors: [{ ruleId: 'issuer-not-trusted', message: `failed on ${BEL}${CSI}`, ...about(decoded) }],
  anomalies: [anomaly],
};

describe('terminalSafe', () => {
  it('writes C0, DEL and C1 controls as visible escapes and leaves other text alone', () => {
    expect(terminalSafe(`a${ESC}[2J${BEL}\u007f${CSI}\tb\nü{x}`)).toBe('a\\x1b[2J\\x07\\x7f\\u009b\\x09b\\x0aü{x}');
  });
});

describe('traffic on a terminal', () => {
  it('the text report without colour holds no control byte from the traffic', () => {
    const text = formatText(result, metaFor(result), { showSecrets: false, color: false });
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain('user bob\\x1b]0;owned\\x07\\x1b[2J');
    expect(text).toContain('mail.contoso.com\\x1b[8m\\u009b2J');
    const shown = formatText(result, metaFor(result), { showSecrets: true, color: false });
    expect(shown).not.toMatch(RAW_CONTROL);
  });

  it('with colour, the only ESC bytes are the painter\'s SGR codes', () => {
    const text = formatText(result, metaFor(result), { showSecrets: false, color: true });
    expect(text).toContain(`${ESC}[1m`);
    expect(text.replace(/\u001b\[(0|1|31|33|36)m/g, '')).not.toMatch(RAW_CONTROL);
  });

  it('the exchanges line and the anomaly line hold none', () => {
    expect(exchangeSummaryLine(summarizeExchange(exchange, false))).not.toMatch(RAW_CONTROL);
    expect(exchangeSummaryLine(summarizeExchange(exchange, true))).not.toMatch(RAW_CONTROL);
    const lines: string[] = [];
    new AnomalyReporter((line) => lines.push(line)).report(anomaly);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(RAW_CONTROL);
    expect(lines[0]).toContain('header \\x1b[2J\\u009bH cut');
  });

  it('the dashboard row cells and detail hold none', () => {
    const row = exchangeRowOf(0, { decoded, findings: result.findings, ruleErrors: result.ruleErrors });
    for (const show of [false, true]) {
      const detail = detailLines(row, show);
      for (const line of detail) expect(line).not.toMatch(RAW_CONTROL);
      expect(detail.join('\n')).toContain('realm: r\\x1b]0;t\\x07');
    }
    for (const cell of [row.host, exchange.request.uri, result.findings[0]!.message]) expect(fit(cell, 30)).not.toMatch(RAW_CONTROL);
    expect(fit(`${ESC}[2J`, 6)).toBe('\\x1b[…');
  });

  it('a one-line CLI error holds none', async () => {
    const err: Buffer[] = [];
    const sink = (into: Buffer[]): Writable => new Writable({ write: (chunk: Buffer, _enc, cb) => (into.push(Buffer.from(chunk)), cb()) });
    const code = await runCli(['scan', `missing${ESC}]0;x${BEL}.pcap`], { stdout: sink([]), stderr: sink(err), env: { NO_COLOR: '1' } });
    expect(code).toBe(2);
    const stderr = Buffer.concat(err).toString();
    expect(stderr).toContain('missing\\x1b]0;x\\x07.pcap');
    expect(stderr.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
  });
});

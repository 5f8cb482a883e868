// --format ecs: every fixture's lines are ECS documents: @timestamp and event.kind on each, alerts with source.ip, field names and types from the ECS reference.
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ecsAlert, ecsExchange, type EcsContext } from '../../src/report/ecs-event.js';
import { runInProcess } from '../helpers/cli.js';
import { fixtureCaptures, fixtureScanArgs } from '../helpers/fixtures.js';
import { makeExchange } from '../factories.js';
import { decodedExchange, finding, sampleScan, secretList } from './builders.js';

/**
 * The ECS fields the documents use, with their types, from the ECS 8.11 field reference
 * (elastic.co/guide/en/ecs/current: Base, ECS, Event, Log, Rule, Source, Destination, URL, HTTP,
 * Network, TLS, User, Observer fields). Anything else must be under the custom `oauth_inspect.*`.
 */
const ECS_FIELDS: Readonly<Record<string, 'date' | 'keyword' | 'long' | 'ip' | 'wildcard' | 'match_only_text'>> = {
  '@timestamp': 'date',
  message: 'match_only_text',
  'ecs.version': 'keyword',
  'event.kind': 'keyword',
  'event.category': 'keyword',
  'event.type': 'keyword',
  'event.dataset': 'keyword',
  'event.module': 'keyword',
  'event.outcome': 'keyword',
  'event.severity': 'long',
  'log.level': 'keyword',
  'rule.id': 'keyword',
  'rule.name': 'keyword',
  'rule.reference': 'keyword',
  'rule.ruleset': 'keyword',
  'source.ip': 'ip',
  'source.port': 'long',
  'destination.ip': 'ip',
  'destination.port': 'long',
  'destination.domain': 'keyword',
  'url.domain': 'keyword',
  'url.path': 'wildcard',
  'url.scheme': 'keyword',
  'http.version': 'keyword',
  'http.request.method': 'keyword',
  'http.response.status_code': 'long',
  'network.protocol': 'keyword',
  'network.transport': 'keyword',
  'tls.version': 'keyword',
  'tls.version_protocol': 'keyword',
  'tls.cipher': 'keyword',
  'tls.client.server_name': 'keyword',
  'user.name': 'keyword',
  'user.domain': 'keyword',
  'observer.vendor': 'keyword',
  'observer.product': 'keyword',
  'observer.version': 'keyword',
  'observer.type': 'keyword',
  'observer.hostname': 'keyword',
};

/** ECS's allowed values for the categorization fields used. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  'event.kind': ['alert', 'enrichment', 'event', 'metric', 'state', 'pipeline_error', 'signal'],
  'event.category': ['network', 'authentication'],
  'event.type': ['connection', 'end', 'info', 'protocol', 'start'],
  'event.outcome': ['failure', 'success', 'unknown'],
};

/** Leaf fields of a document as dotted names (arrays are values, as Elasticsearch maps them). */
function leaves(document: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(document).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? leaves(value as Record<string, unknown>, `${prefix}${key}.`) : [[`${prefix}${key}`, value] as [string, unknown]],
  );
}

function typeProblems(document: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [field, value] of leaves(document)) {
    if (field.startsWith('oauth_inspect.')) continue;
    const type = ECS_FIELDS[field];
    if (type === undefined) {
      problems.push(`${field} is not an ECS field we know`);
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      const ok =
        type === 'long' ? Number.isInteger(v) :
        type === 'ip' ? typeof v === 'string' && isIP(v) !== 0 :
        type === 'date' ? typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v) && !Number.isNaN(Date.parse(v)) :
        typeof v === 'string' && v !== '';
      if (!ok) problems.push(`${field}: ${JSON.stringify(v)} is not a ${type}`);
      const allowed = ALLOWED[field];
      if (allowed && !allowed.includes(String(v))) problems.push(`${field}: ${JSON.stringify(v)} is not an allowed value`);
    }
  }
  return problems;
}

describe('--format ecs on every fixture', () => {
  for (const capture of fixtureCaptures) {
    it(capture, async () => {
      const r = await runInProcess(fixtureScanArgs(capture, 'ecs'));
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.split('\n').filter((line) => line !== '');
      expect(lines.length).toBeGreaterThan(0);
      expect(r.stdout).not.toMatch(/eyJ[\w-]{8,}\.[\w-]{8,}\./);
      for (const line of lines) {
        const document = JSON.parse(line) as Record<string, unknown> & { event: { kind: string }; source?: { ip: string }; oauth_inspect: { frame?: number } };
        expect(document['@timestamp']).toEqual(expect.any(String));
        expect(['event', 'alert']).toContain(document.event.kind);
        expect(typeProblems(document), line).toEqual([]);
        // Alerts on exchanges of a capture (frames) name the client; HAR has none, nor a finding about the capture itself.
        if (document.event.kind === 'alert' && !capture.endsWith('.har') && 'url' in document) expect(document.source?.ip, line).toBeDefined();
      }
    });
  }
});

describe('ECS documents', () => {
  const context: EcsContext = { toolVersion: '0.1.0', hostname: 'sensor-1', docsBaseUri: 'https://github.com/o/r/blob/v0.1.0/', ruleNames: new Map([['no-basic-auth', 'HTTP Basic credentials on the wire']]) };
  const sample = sampleScan();

  it('maps a finding to an alert with rule, severity, user and place, and shows no secret', () => {
    const withBasic = sample.result.findings.find((f) => f.ruleId === 'no-basic-auth')!;
    const decoded = sample.result.exchanges.find((d) => d.exchangeId === withBasic.exchangeId)!;
    const alert = ecsAlert(withBasic, decoded, undefined, context);
    expect(alert).toMatchObject({
      event: { kind: 'alert', category: ['network', 'authentication'], severity: 73 },
      rule: { id: 'no-basic-auth', name: 'HTTP Basic credentials on the wire', reference: 'https://github.com/o/r/blob/v0.1.0/docs/rules/no-basic-auth.md' },
      user: { name: 'svc-lync', domain: 'CONTOSO' },
      oauth_inspect: { frame: 4, tcp_stream: 0 },
    });
    const text = JSON.stringify([alert, ...sample.result.exchanges.map((d) => ecsExchange(d, context))]);
    for (const secret of secretList(sample)) expect(text).not.toContain(secret);
  });

  it('marks a proxy exchange as seen by a proxy, its connection not a tcp.stream', () => {
    const ex = makeExchange({ origin: { kind: 'proxy' }, stream: 3, host: 'mail.contoso.com:443', uri: '/EWS/Exchange.asmx?access_token=abc', status: 200, tls: { version: 'TLSv1.3', sni: 'mail.contoso.com' } });
    const decoded = decodedExchange(1, ex);
    const document = ecsExchange(decoded, context);
    expect(document).toMatchObject({
      observer: { type: 'proxy' },
      oauth_inspect: { capture: { file: '(proxy)' }, connection: 3 },
      url: { domain: 'mail.contoso.com', path: '/EWS/Exchange.asmx' },
      tls: { version: '1.3', version_protocol: 'tls', client: { server_name: 'mail.contoso.com' } },
      event: { kind: 'event', outcome: 'success' },
    });
    expect(typeProblems(document)).toEqual([]);
    expect(JSON.stringify(document)).not.toContain('abc');
    const alert = ecsAlert(finding(decoded, 'no-basic-auth', 'warning', 'x'), undefined, { sec: 1_700_000_000, nsec: 0 }, context);
    expect(alert['@timestamp']).toBe('2023-11-14T22:13:20.000000Z');
  });
});

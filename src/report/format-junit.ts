// The scan report as JUnit XML for CI: one testsuite per capture, one testcase per capture and rule, timed.
import type { Anomaly, Finding, RuleError, ScanResult } from '../model/index.js';
import { worstSeverity } from '../model/index.js';
import { reachesThreshold } from './exit-code.js';
import { TOOL_NAME, type FormatOptions, type ReportMeta } from './report-meta.js';
import { captureOfFinding, capturesOf, findingPlace, plural, ruleErrorPlace, wiresharkWhere } from './scan-view.js';

/** Characters XML 1.0 does not allow (C0 controls but tab, CR, LF; lone surrogates; U+FFFE/U+FFFF). */
const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Text safe in XML content and attribute values: forbidden characters dropped, markup escaped, and
 * DEL and the C1 controls (allowed in XML 1.0, but U+009B is a terminal's CSI) as character references.
 */
export function xmlEscape(text: string): string {
  return text
    .replace(XML_FORBIDDEN, '')
    .replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch] ?? ch)
    .replace(/[\u007f-\u009f]/g, (ch) => `&#x${ch.charCodeAt(0).toString(16)};`);
}

interface RuleCase {
  readonly findings: Finding[];
  readonly errors: RuleError[];
}

/** Why a rule turned off is listed: JUnit readers count it as skipped, not passed. */
const SKIPPED_MESSAGE = 'rule turned off in the configuration';

/**
 * One testsuite per capture (`time`: the seconds reading and judging it took; `timestamp`: when
 * it started, UTC; `hostname`), one testcase per rule (`time="0"`: rules are not timed one by
 * one), the rules turned off as skipped testcases, and a `capture-readable` testcase that is an
 * error with the damage in `<system-err>` when part of the capture could not be read.
 */
export function formatJunit(result: ScanResult, meta: ReportMeta, options: FormatOptions): string {
  const show = options.showSecrets;
  const ruleIds = [...new Set([...meta.rules.map((rule) => rule.id), ...result.findings.map((f) => f.ruleId), ...result.ruleErrors.map((e) => e.ruleId)])];
  const disabled = (meta.disabledRules ?? []).map((rule) => rule.id).filter((id) => !ruleIds.includes(id));
  const cases = new Map<string, Map<string, RuleCase>>();
  for (const capture of capturesOf(result)) {
    cases.set(capture, new Map(ruleIds.map((id) => [id, { findings: [], errors: [] }])));
  }
  for (const finding of result.findings) cases.get(captureOfFinding(finding))?.get(finding.ruleId)?.findings.push(finding);
  for (const error of result.ruleErrors) cases.get(captureOfFinding(error))?.get(error.ruleId)?.errors.push(error);

  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const [capture, byRule] of cases) {
    const classname = junitClassname(capture);
    const testcases: string[] = [];
    let suiteFailures = 0;
    let suiteErrors = 0;
    for (const [ruleId, ruleCase] of byRule) {
      const failing = ruleCase.findings.filter((f) => reachesThreshold(f.severity, meta.failOn));
      if (failing.length > 0) suiteFailures += 1;
      if (ruleCase.errors.length > 0) suiteErrors += 1;
      testcases.push(testcase(classname, ruleId, ruleCase, failing, meta, show));
    }
    for (const ruleId of disabled) testcases.push(`    <testcase classname="${xmlEscape(classname)}" name="${xmlEscape(ruleId)}" time="0">\n      <skipped message="${SKIPPED_MESSAGE}"/>\n    </testcase>\n`);
    const damage = result.anomalies.filter((a) => a.file === capture && a.severity === 'warning');
    const readable = readabilityCase(classname, damage);
    if (damage.length > 0) suiteErrors += 1;
    const suiteTests = byRule.size + disabled.length + 1;
    tests += suiteTests;
    failures += suiteFailures;
    errors += suiteErrors;
    skipped += disabled.length;
    suites.push(
      `  <testsuite name="${xmlEscape(capture)}" tests="${suiteTests}" failures="${suiteFailures}" errors="${suiteErrors}" skipped="${disabled.length}"${suiteRunAttributes(meta, capture)}>\n` +
        `    <properties>\n` +
        `      <property name="fail-on" value="${xmlEscape(meta.failOn)}"/>\n` +
        `      <property name="anomalies" value="${result.anomalies.filter((a) => a.file === capture).length}"/>\n` +
        `    </properties>\n` +
        readable +
        testcases.join('') +
        `  </testsuite>\n`,
    );
  }
  const total = meta.run === undefined ? '' : ` time="${seconds(meta.run.seconds)}"`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${TOOL_NAME} ${xmlEscape(meta.toolVersion)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}"${total}>\n` +
    suites.join('') +
    `</testsuites>\n`
  );
}

/**
 * The capture as a JUnit classname: its dots made underscores, so that Jenkins (which splits a
 * classname at its last dot into package and class) shows `captures/s2s_pcapng`, not a class
 * `pcapng` in a package `captures/s2s`.
 */
export function junitClassname(capture: string): string {
  return capture.replace(/\./g, '_');
}

/** `time`, `timestamp` (UTC, without zone or fraction, as the JUnit schema wants) and `hostname` of a suite. */
function suiteRunAttributes(meta: ReportMeta, capture: string): string {
  const run = meta.run;
  if (run === undefined) return ' time="0"';
  const own = run.captures[capture];
  const started = (own?.startedAt ?? run.startedAt).slice(0, 19);
  return ` time="${seconds(own?.seconds ?? 0)}" timestamp="${started}" hostname="${xmlEscape(run.hostname)}"`;
}

function seconds(value: number): string {
  return value.toFixed(3);
}

/** `capture-readable`: passes, or is an error listing what could not be read (warning anomalies). */
function readabilityCase(classname: string, damage: readonly Anomaly[]): string {
  const open = `    <testcase classname="${xmlEscape(classname)}" name="capture-readable" time="0"`;
  if (damage.length === 0) return `${open}/>\n`;
  const lines = damage.map((a) => `[${a.code}]${a.frame !== undefined ? ` frame ${a.frame}` : ''}${a.stream !== undefined ? `, tcp.stream ${a.stream}` : ''}: ${a.message}`);
  return (
    `${open}>\n` +
    `      <error type="capture-damaged" message="${xmlEscape(`${plural(damage.length, 'part')} of the capture could not be read`)}"/>\n` +
    `      <system-err>${xmlEscape(lines.join('\n'))}</system-err>\n` +
    `    </testcase>\n`
  );
}

function testcase(classname: string, ruleId: string, ruleCase: RuleCase, failing: Finding[], meta: ReportMeta, show: boolean): string {
  const open = `    <testcase classname="${xmlEscape(classname)}" name="${xmlEscape(ruleId)}" time="0"`;
  if (ruleCase.findings.length === 0 && ruleCase.errors.length === 0) return `${open}/>\n`;
  let body = '';
  if (ruleCase.errors.length > 0) {
    const lines = ruleCase.errors.map((error) => `${wiresharkWhere(ruleErrorPlace(error))}: ${error.message}`);
    body += `      <error type="rule-error" message="${xmlEscape(`rule ${ruleId} failed ${plural(lines.length, 'time')}`)}">${xmlEscape(lines.join('\n'))}</error>\n`;
  }
  if (failing.length > 0) {
    const severity = worstSeverity(failing) ?? 'note';
    const message = `${plural(failing.length, 'finding')} at or above ${meta.failOn}`;
    body += `      <failure type="${severity}" message="${xmlEscape(message)}">${xmlEscape(findingLines(failing, show))}</failure>\n`;
  }
  const passing = ruleCase.findings.filter((f) => !reachesThreshold(f.severity, meta.failOn));
  if (passing.length > 0) body += `      <system-out>${xmlEscape(findingLines(passing, show))}</system-out>\n`;
  return `${open}>\n${body}    </testcase>\n`;
}

/** One line per finding: `error frame 12, tcp.stream 3 host /path: message`. */
function findingLines(findings: readonly Finding[], show: boolean): string {
  return findings
    .map((finding) => {
      const place = findingPlace(finding);
      return `${finding.severity} ${wiresharkWhere(place)} ${place.host}${place.path}: ${finding.message}\n  fix: ${finding.fix} (${finding.docs})`;
    })
    .join('\n');
}

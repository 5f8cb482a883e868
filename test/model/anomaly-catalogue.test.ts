// The anomaly catalogue: every code is documented in docs/anomalies.md, every documented code
// exists, every code is emitted somewhere, and src/ builds anomalies only through anomaly().
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ANOMALY_CODES, anomaly, type AnomalyCode } from '../../src/model/index.js';
import { createRuleEngine } from '../../src/rules/engine.js';
import { ruleIds } from '../../src/rules/registry.js';
import { testConfig } from '../rules/factories.js';

const DOC = 'docs/anomalies.md';
const BUILDER_FILE = 'src/model/anomaly.ts';

/** The entries of docs/anomalies.md: each `### \`code\`` heading and the text up to the next heading. */
function documentedEntries(): Map<string, string> {
  const entries = new Map<string, string>();
  const sections = readFileSync(DOC, 'utf8').split(/^(?=#{1,3} )/m);
  for (const section of sections) {
    const heading = /^### `([^`]+)`\n/.exec(section);
    if (heading !== null) entries.set(heading[1]!, section.slice(heading[0].length));
  }
  return entries;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

function propertyName(property: ts.ObjectLiteralElementLike): string | undefined {
  if (ts.isShorthandPropertyAssignment(property)) return property.name.text;
  if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) return property.name.text;
  return undefined;
}

/** `anomaly({ code, severity, … })`: the one place an anomaly's fields are spelled out. */
function isBuilderArgument(node: ts.ObjectLiteralExpression): boolean {
  const call = node.parent;
  return ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === 'anomaly' && call.arguments[0] === node;
}

/** `{ code: anomaly.code, … }`: an output record copying an anomaly that was built already. */
function copiesACode(node: ts.ObjectLiteralExpression): boolean {
  return node.properties.some(
    (property) =>
      ts.isPropertyAssignment(property) &&
      propertyName(property) === 'code' &&
      ts.isPropertyAccessExpression(property.initializer) &&
      property.initializer.name.text === 'code',
  );
}

interface SourceFacts {
  /** Object literals with both `code` and `severity`: anomalies built by hand. */
  readonly handBuilt: string[];
  /** Type assertions to Anomaly or AnomalyCode, which would let any string through. */
  readonly casts: string[];
  /** String values of `code:` properties, by place. */
  readonly codeProperties: Array<{ readonly where: string; readonly code: string }>;
  /** Every string literal outside the builder's module. */
  readonly literals: Set<string>;
}

function scanSources(): SourceFacts {
  const facts: SourceFacts = { handBuilt: [], casts: [], codeProperties: [], literals: new Set() };
  for (const path of sourceFiles('src')) {
    const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const where = (node: ts.Node): string => `${path}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const isBuilderFile = path.split('\\').join('/') === BUILDER_FILE;
    walk(file, (node) => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        if (!isBuilderFile) facts.literals.add(node.text);
      } else if (ts.isObjectLiteralExpression(node)) {
        const names = node.properties.map(propertyName);
        if (names.includes('code') && names.includes('severity') && !isBuilderFile && !isBuilderArgument(node) && !copiesACode(node)) {
          facts.handBuilt.push(where(node));
        }
        for (const property of node.properties) {
          if (ts.isPropertyAssignment(property) && propertyName(property) === 'code' && ts.isStringLiteral(property.initializer)) {
            facts.codeProperties.push({ where: where(property), code: property.initializer.text });
          }
        }
      } else if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) {
        const type = node.type.getText(file);
        if (/^(Anomaly|AnomalyCode)$/.test(type) || /\bAnomaly(Code)?\[\]$/.test(type)) facts.casts.push(`${where(node)}: as ${type}`);
      }
    });
  }
  return facts;
}

const entries = documentedEntries();
const codes: readonly string[] = ANOMALY_CODES;

describe('anomaly catalogue (docs/anomalies.md)', () => {
  it('lists each code once', () => {
    expect(codes.filter((code, i) => codes.indexOf(code) !== i)).toEqual([]);
    for (const code of codes) expect(code).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/);
  });

  it('documents every code of the union', () => {
    expect(codes.filter((code) => !entries.has(code))).toEqual([]);
  });

  it('documents no code that is not in the union', () => {
    expect([...entries.keys()].filter((code) => !codes.includes(code))).toEqual([]);
  });

  it('says for each code what it means, what to do and which rule makes it a finding', () => {
    for (const [code, text] of entries) {
      for (const part of ['- **Means:** ', '- **What to do:** ', '- **Finding:** ']) expect(text, `${code} lacks "${part.trim()}"`).toContain(part);
    }
  });

  it('names on the Finding line exactly the rules that turn the code into a finding', () => {
    const engine = createRuleEngine(testConfig());
    for (const code of ANOMALY_CODES) {
      const judged = engine.judgeAnomaly(anomaly({ code, severity: 'warning', message: 'x', file: 'a.pcap', frame: 1, stream: 0 }));
      const fired = [...new Set(judged.findings.map((finding) => finding.ruleId))].sort();
      const findingLine = /- \*\*Finding:\*\* ([^\n]*(?:\n {2}[^\n]*)*)/.exec(entries.get(code) ?? '')?.[1] ?? '';
      // Only the opening clause names the deciding rule; "; the effects show as `x`" names other codes.
      const named = [...findingLine.split(';')[0]!.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!).filter((id) => ruleIds.includes(id));
      expect({ code, rules: [...new Set(named)].sort() }).toEqual({ code, rules: fired });
    }
  });
});

describe('anomalies in src/ are built by anomaly() with a catalogued code', () => {
  const facts = scanSources();

  it('has no anomaly object literal outside the builder', () => {
    expect(facts.handBuilt).toEqual([]);
  });

  it('has no type assertion to Anomaly or AnomalyCode', () => {
    expect(facts.casts).toEqual([]);
  });

  it('gives every `code:` string property a catalogued code', () => {
    expect(facts.codeProperties.filter(({ code }) => !codes.includes(code))).toEqual([]);
  });

  it('emits every catalogued code somewhere', () => {
    expect(codes.filter((code) => !facts.literals.has(code))).toEqual([]);
  });
});

describe('anomaly()', () => {
  it('leaves out place fields it is not given', () => {
    const code: AnomalyCode = 'tcp-gap';
    expect(Object.keys(anomaly({ code, severity: 'info', message: 'm', file: undefined, frame: 3, stream: undefined }))).toEqual([
      'code',
      'severity',
      'message',
      'frame',
    ]);
    expect(anomaly({ code, severity: 'warning', message: 'm', file: 'f', frame: 1, stream: 2, offset: 4, details: { a: 1 } })).toEqual({
      code,
      severity: 'warning',
      message: 'm',
      file: 'f',
      frame: 1,
      stream: 2,
      offset: 4,
      details: { a: 1 },
    });
  });
});

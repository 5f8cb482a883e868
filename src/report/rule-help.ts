// A rule's help for reports that carry it (SARIF): its docs/rules/<id>.md as Markdown and as plain text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RuleHelp {
  /** The page as plain text: headings, emphasis, code marks and link syntax removed. */
  readonly text: string;
  /** The page's Markdown, with relative links made absolute against the page's own URI. */
  readonly markdown: string;
}

/** The help of a page whose Markdown is `markdown` and whose web address is `pageUri`. */
export function ruleHelpOf(markdown: string, pageUri: string): RuleHelp {
  const absolute = markdown.replace(/\]\(([^)\s#][^)\s]*)\)/g, (whole, target: string) =>
    /^[a-z][a-z0-9+.-]*:/i.test(target) ? whole : `](${new URL(target, pageUri).href})`,
  );
  return { text: plainText(absolute), markdown: absolute.trimEnd() };
}

/**
 * The help of the page at `docsPath` under `packageRoot`, read once per process; undefined when
 * the page is missing (an installation without docs). It does not check the page's sections.
 */
export function readRuleHelp(packageRoot: string, docsPath: string, pageUri: string): RuleHelp | undefined {
  const markdown = readPage(packageRoot, docsPath);
  return markdown === undefined ? undefined : ruleHelpOf(markdown, pageUri);
}

const pages = new Map<string, string | undefined>();

/** A page of the package's docs, read once per process; undefined when missing. */
function readPage(packageRoot: string, docsPath: string): string | undefined {
  const path = join(packageRoot, docsPath);
  if (!pages.has(path)) {
    try {
      pages.set(path, readFileSync(path, 'utf8'));
    } catch {
      pages.set(path, undefined);
    }
  }
  return pages.get(path);
}

function plainText(markdown: string): string {
  return markdown
    .replace(/^```[^\n]*\n?/gm, '')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1 ($2)')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .trimEnd();
}

/**
 * The help of each anomaly code, by code: its `### \`code\`` section of docs/anomalies.md (at
 * `pageUri` on the web), read once per process; empty when the page is missing.
 */
export function readAnomalyHelp(packageRoot: string, pageUri: string): Readonly<Record<string, RuleHelp>> {
  const page = readPage(packageRoot, 'docs/anomalies.md');
  const help: Record<string, RuleHelp> = {};
  if (page === undefined) return help;
  for (const section of page.split(/^(?=#{2,3} )/m)) {
    const code = /^### `([a-z0-9-]+)`/.exec(section)?.[1];
    if (code !== undefined) help[code] = ruleHelpOf(section, `${pageUri}#${code}`);
  }
  return help;
}

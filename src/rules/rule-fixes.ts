// The one-line fix of each finding, read from the "How to fix" section of its rule page (docs/rules/<id>.md).
import { readFileSync } from 'node:fs';

/** docs/rules/ beside src/ or dist/: both sit one level below the package root. */
const DOCS_DIR = new URL('../../docs/rules/', import.meta.url);

/** `- `messageId`, `other`: text` lines of a "How to fix" section name the fix of those messages. */
const MESSAGE_FIX = /^[-*]\s+((?:`[A-Za-z0-9_]+`(?:\s*,\s*)?)+)\s*:\s*(.+)$/;

interface RuleFixes {
  readonly general: string;
  readonly byMessage: ReadonlyMap<string, string>;
}

const cache = new Map<string, RuleFixes>();

/**
 * The fix for a finding of `ruleId` with `messageId`: the section's line for that message, else
 * the section's first paragraph. Markdown is flattened to one plain line. Never throws: a missing
 * page gives a pointer to it instead (the doc-page test keeps every page present).
 */
export function fixOf(ruleId: string, messageId: string): string {
  let fixes = cache.get(ruleId);
  if (!fixes) {
    fixes = readFixes(ruleId);
    cache.set(ruleId, fixes);
  }
  return fixes.byMessage.get(messageId) ?? fixes.general;
}

function readFixes(ruleId: string): RuleFixes {
  let page: string;
  try {
    page = readFileSync(new URL(`${ruleId}.md`, DOCS_DIR), 'utf8');
  } catch {
    return { general: `see docs/rules/${ruleId}.md`, byMessage: new Map() };
  }
  return parseFixSection(page, ruleId);
}

/** Parses the "## How to fix" section of a rule page (exported for the doc-page test). */
export function parseFixSection(page: string, ruleId: string): RuleFixes {
  const start = page.indexOf('\n## How to fix');
  const body = start === -1 ? '' : page.slice(page.indexOf('\n', start + 1) + 1);
  const end = body.search(/^## /m);
  const lines = (end === -1 ? body : body.slice(0, end)).split('\n');
  const byMessage = new Map<string, string>();
  const paragraph: string[] = [];
  let paragraphDone = false;
  for (const line of lines) {
    const match = MESSAGE_FIX.exec(line.trim());
    if (match) {
      const text = plainLine(match[2]!);
      for (const id of match[1]!.matchAll(/`([A-Za-z0-9_]+)`/g)) byMessage.set(id[1]!, text);
      continue;
    }
    if (line.trim() === '' || line.startsWith('```')) {
      if (paragraph.length > 0) paragraphDone = true;
      continue;
    }
    if (!paragraphDone) paragraph.push(line.trim());
  }
  const general = paragraph.length > 0 ? plainLine(paragraph.join(' ')) : `see docs/rules/${ruleId}.md`;
  return { general, byMessage };
}

/** Markdown to one line of plain text: links keep their text, backticks and emphasis go. */
function plainLine(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .replace(/\*\*([^*]*)\*\*/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

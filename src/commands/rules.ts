// `oauth-inspect rules`: every rule with its id, default severity and description.
import { ruleList } from '../rules/index.js';
import { EXIT_OK, type CliIo } from './io.js';

export function rulesCommand(options: { json?: boolean }, io: CliIo): number {
  if (options.json) {
    const rows = ruleList.map((r) => ({ id: r.id, severity: r.severity, title: r.title, description: r.description, docs: r.docs }));
    io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT_OK;
  }
  const width = Math.max(...ruleList.map((r) => r.id.length));
  const lines = ruleList.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.title}\n${' '.repeat(width + 11)}${r.description}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

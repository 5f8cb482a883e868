// The whole-scan report (text, JSON, SARIF, JUnit) as an addon: written once, when the inspection is done.
import type { InspectorAddon, InspectionSummary } from '../pipeline/inspector.js';
import { formatJson } from './format-json.js';
import { formatJunit } from './format-junit.js';
import { formatSarif } from './format-sarif.js';
import { formatText } from './format-text.js';
import type { ReportMeta, ScanFormatter } from './report-meta.js';

export type ReportFormat = 'text' | 'json' | 'junit' | 'sarif';

export const REPORT_FORMATTERS: Readonly<Record<ReportFormat, ScanFormatter>> = {
  text: formatText,
  json: formatJson,
  junit: formatJunit,
  sarif: formatSarif,
};

export interface ReportAddonOptions {
  readonly format: ReportFormat;
  readonly showSecrets: boolean;
  /** ANSI colours (text on a terminal only). */
  readonly color?: boolean;
  /** The report's meta (rules, version, exit decision), from the summary. */
  readonly meta: (summary: InspectionSummary) => ReportMeta;
  /** Where the report goes: a file, stdout. */
  readonly write: (report: string) => Promise<void>;
}

export function reportAddon(options: ReportAddonOptions): InspectorAddon {
  return {
    name: `${options.format} report`,
    async done(summary) {
      const report = REPORT_FORMATTERS[options.format](summary.result, options.meta(summary), {
        showSecrets: options.showSecrets,
        ...(options.color !== undefined ? { color: options.color } : {}),
      });
      await options.write(report.endsWith('\n') ? report : `${report}\n`);
    },
  };
}

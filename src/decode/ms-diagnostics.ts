// x-ms-diagnostics response headers (`<code>;reason="<text>";error_category="<category>"`).
import type { HttpHeaders, MsDiagnostic } from '../model/index.js';

const PARAM = /\s*;\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"?|([^;]*))/gy;

/** Every x-ms-diagnostics header, parsed; missing parts are left out. */
export function parseMsDiagnostics(headers: HttpHeaders): MsDiagnostic[] {
  const diagnostics: MsDiagnostic[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() === 'x-ms-diagnostics') diagnostics.push(parseMsDiagnostic(value));
  }
  return diagnostics;
}

/** One header value; tolerates a missing reason or category and stray text. */
export function parseMsDiagnostic(raw: string): MsDiagnostic {
  const semicolon = raw.indexOf(';');
  const code = (semicolon === -1 ? raw : raw.slice(0, semicolon)).trim();
  const params = new Map<string, string>();
  if (semicolon !== -1) {
    PARAM.lastIndex = semicolon;
    for (let match = PARAM.exec(raw); match !== null; match = PARAM.exec(raw)) {
      const name = match[1]!.toLowerCase();
      const text = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!.trim();
      if (!params.has(name)) params.set(name, text);
    }
  }
  const reason = params.get('reason');
  const errorCategory = params.get('error_category');
  return {
    code,
    ...(reason !== undefined && { reason }),
    ...(errorCategory !== undefined && { errorCategory }),
    raw,
  };
}

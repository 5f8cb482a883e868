// Compiled JSON Schema validators for the report tests: ours (docs/report.schema.json) and SARIF 2.1.0.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type Options, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

function readJson(relative: string): Record<string, unknown> {
  return JSON.parse(readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8')) as Record<string, unknown>;
}

/**
 * Patterns as JavaScript RegExps, taking a leading inline `(?i)` (which the SARIF schema uses for
 * `language`, from .NET regex syntax) as the `i` flag.
 */
const inlineFlagRegExp = Object.assign(
  (pattern: string, u: string): RegExp =>
    pattern.startsWith('^(?i)') ? new RegExp(`^${pattern.slice(5)}`, `${u}i`) : new RegExp(pattern, u),
  { code: 'inlineFlagRegExp' },
);

function compile(schema: Record<string, unknown>, options: Options): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, ...options });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** Our report schema, compiled strictly (it must be a clean 2020-12 schema; union types are allowed). */
export const validateReport = compile(readJson('../../docs/report.schema.json'), { strict: true, validateSchema: true });

/**
 * The official SARIF 2.1.0 schema (test/report/schemas/README.md). Compiled non-strict and
 * without meta-schema validation: upstream keeps `definitions` (not `$defs`), has a stray
 * `anyOf` inside `region.properties` and a .NET `(?i)` in a pattern; all are left as published.
 */
export const validateSarif = compile(readJson('./schemas/sarif-schema-2.1.0.json'), {
  strict: false,
  validateSchema: false,
  code: { regExp: inlineFlagRegExp },
});

export function errorsOf(validate: ValidateFunction): string {
  return JSON.stringify(validate.errors, null, 2);
}

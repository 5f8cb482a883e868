// Where reports send a reader for a rule's page: the repository's docs at this version, or a base the user gives.
import { InputError } from '../model/errors.js';

/** Environment variable that overrides the docs base URL (as `--docs-url` does). */
export const DOCS_URL_ENV = 'OAUTH_INSPECT_DOCS_URL';

/**
 * The base that `docs/rules/<id>.md` is resolved against: `override` (the flag, else the
 * environment variable) when given, else `<repository>/blob/v<version>/`. It does not check that
 * the pages exist there; a base that is not an absolute URL is a usage error.
 */
export function docsBaseUri(repository: string, version: string, override?: string): string {
  const base = override !== undefined && override !== '' ? override : `${repository}/blob/v${version}/`;
  if (!URL.canParse(base)) throw new InputError('bad-usage', `--docs-url (or $${DOCS_URL_ENV}): not an absolute URL: ${base}`);
  return base.endsWith('/') ? base : `${base}/`;
}

// The tool's version and repository, read once from package.json.
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
  repository?: string | { url?: string };
};

export const TOOL_VERSION: string = manifest.version;

/** The repository's web address (`https://github.com/owner/name`), from package.json's `repository`. */
export const TOOL_REPOSITORY: string = repositoryWebUrl(manifest.repository);

/** `git+https://host/owner/name.git` or `github:owner/name` as `https://host/owner/name`. */
export function repositoryWebUrl(repository: string | { url?: string } | undefined): string {
  const url = (typeof repository === 'string' ? repository : repository?.url) ?? '';
  const shorthand = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(url);
  if (shorthand) return `https://github.com/${shorthand[1]}`;
  return url.replace(/^git\+/, '').replace(/^git:\/\//, 'https://').replace(/\.git$/, '');
}

// Preload (`node --import`) that appends every module a run resolves, ESM and CommonJS, one per line, to $MODULE_LOG.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const log = process.env.MODULE_LOG;
if (log) {
  // ESM: a resolve hook (it runs on the loader's thread, so it writes the file itself).
  const hooks = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
  // CommonJS: require() inside packages (blessed, commander) does not pass through the ESM hooks on Node 20.
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (...args) {
    const resolved = resolveFilename.apply(this, args);
    appendFileSync(log, `${resolved}\n`);
    return resolved;
  };
}

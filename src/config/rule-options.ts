// Which options each rule runs with: the shared top-level settings, then the rule's own entry,
// then the CLI flags. The one place where top-level keys and flags meet the rules' options; a
// rule receives only the options it declares.
import { SEVERITY_KEY, type Rule } from '../rules/define-rule.js';
import { ruleList } from '../rules/registry.js';
import type { ConfigFile, ConfigFlags, RuleOptionValues, RuleSetting } from './resolved-config.js';

/** The flags that set a rule option, and the option each sets for every rule that declares it. */
export const OPTION_FLAGS = {
  realms: 'expectedRealms',
  issuers: 'expectedIssuerPrincipals',
} as const satisfies Partial<Record<keyof ConfigFlags, string>>;

/** Severity settings by rule id, from the short form or an entry's `severity`. */
export function ruleSettings(file: ConfigFile | undefined): Record<string, RuleSetting> {
  const settings: Record<string, RuleSetting> = {};
  for (const [id, entry] of Object.entries(file?.rules ?? {})) {
    const setting = typeof entry === 'string' ? entry : entry.severity;
    if (setting !== undefined) settings[id] = setting;
  }
  return settings;
}

/** The options set for each rule (only those it declares); rules with none set are left out. */
export function ruleOptions(file: ConfigFile | undefined, flags: ConfigFlags, rules: readonly Rule[] = ruleList): Record<string, RuleOptionValues> {
  const fromFlags: Record<string, unknown> = {};
  for (const [flag, option] of Object.entries(OPTION_FLAGS) as Array<[keyof typeof OPTION_FLAGS, string]>) {
    if (flags[flag] !== undefined) fromFlags[option] = flags[flag];
  }
  const resolved: Record<string, RuleOptionValues> = {};
  for (const rule of rules) {
    if (rule.options === undefined) continue;
    const entry = file?.rules?.[rule.id];
    const own = typeof entry === 'object' ? entry : {};
    const set: Record<string, unknown> = {};
    for (const name of Object.keys(rule.options.schema.properties)) {
      if (name === SEVERITY_KEY) continue;
      const value = fromFlags[name] ?? own[name] ?? file?.sharedOptions?.[name];
      if (value !== undefined) set[name] = value;
    }
    if (Object.keys(set).length > 0) resolved[rule.id] = set;
  }
  return resolved;
}

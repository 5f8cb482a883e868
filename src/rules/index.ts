// Public entry point of the rules stage: the engine, the registry, signature verification.
export { defineRule, renderMessage } from './define-rule.js';
export type { ExchangeRule, NoOptions, ReportData, Rule, RuleContext, RuleOptionsSpec, RuleReport, SightingRule } from './define-rule.js';
export { createRuleEngine } from './engine.js';
export type { FindingRoom, RuleEngine, RuleRunResult } from './engine.js';
export { getRule, ruleIds, ruleList, rules } from './registry.js';
export { verifySignatures } from './signature/verify-signatures.js';
export type { SignerSummary, VerificationResult, VerifiedToken } from './signature/verification-result.js';

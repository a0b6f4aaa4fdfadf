/**
 * The green rules, their default severities and the hook through which other modules (the model catalog
 * in the editor layer) add findings about sites without the analyzer knowing about them.
 */
import type { Finding, ModelSite, Severity } from '../types';
import { DATA_RULES } from './data';
import { INFERENCE_RULES } from './inference';
import type { RawFinding, Rule, RuleContext } from './types';

export type { Rule, RuleContext, RawFinding } from './types';

/** Every built-in rule, sorted by id. */
export const RULES: readonly Rule[] = [...INFERENCE_RULES, ...DATA_RULES].sort((a, b) => a.id.localeCompare(b.id));

/**
 * Reserved for "the catalog knows a Pareto-better alternative to this model"; the analyzer never emits it
 * itself: the editor layer maps sites to catalog entries through a {@link SiteRule}.
 */
export const CATALOG_ALTERNATIVE_RULE_ID = 'GL012';

/** Summary of a rule for settings UIs and documentation links. */
export interface RuleInfo {
  id: string;
  title: string;
  defaultSeverity: Severity;
  /** Path of the rule's page relative to the repository root. */
  docs: string;
}

/** Id, title, default severity and documentation page of every built-in rule. */
export function ruleInfos(): RuleInfo[] {
  return RULES.map((r) => ({
    id: r.id,
    title: r.title,
    defaultSeverity: r.defaultSeverity,
    docs: `docs/rules/${r.id}.md`,
  }));
}

/**
 * A rule supplied by the caller that looks at sites only (for example the catalog's alternatives): it gets
 * each site with its index and returns findings without a severity.
 */
export type SiteRule = (site: ModelSite, index: number) => RawFinding[];

/** How the caller tunes severities: one level for all rules, or per rule (`off` disables a rule). */
export interface SeverityOptions {
  all?: Severity;
  perRule?: Record<string, Severity | 'off'>;
}

/** Runs the built-in rules and the caller's site rules, applying severity settings. */
export function runRules(
  ctx: RuleContext,
  severity: SeverityOptions = {},
  siteRules: SiteRule[] = [],
  signal?: AbortSignal,
): Finding[] {
  const findings: Finding[] = [];
  const level = (id: string, dflt: Severity): Severity | 'off' => severity.perRule?.[id] ?? severity.all ?? dflt;
  for (const rule of RULES) {
    const sev = level(rule.id, rule.defaultSeverity);
    if (sev === 'off') continue;
    signal?.throwIfAborted();
    for (const f of rule.check(ctx)) findings.push({ ...f, severity: sev });
  }
  ctx.table.sites.forEach((site, i) => {
    for (const rule of siteRules) {
      for (const f of rule(site, i)) {
        const sev = level(f.ruleId, 'information');
        if (sev !== 'off') findings.push({ ...f, site: f.site ?? i, severity: sev });
      }
    }
  });
  return findings.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      a.ruleId.localeCompare(b.ruleId),
  );
}

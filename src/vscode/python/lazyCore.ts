/**
 * The heavy, pure half of the Python features, loaded through `lazyModules` on the first Python document so
 * that activation does not evaluate the tree-sitter runtime or the catalog data. No `vscode` here.
 */
import { CATALOG_ALTERNATIVE_RULE_ID, type RawFinding, type SiteRule } from '../../analyzers/python/rules/index';
import type { ModelSite } from '../../analyzers/python/types';
import type { ResolvedHardware } from '../../energy/detect';
import { formatNumber, isDisplayable } from '../../energy/quantity';
import type { Settings } from '../../settings';
import { modelIdRange } from '../../catalog/siteEdits';
import { alternativeName, describeSite, type SiteModel } from './model';

export {
  analyzePythonFiles,
  documentResolver,
  loadPythonGrammar,
  PythonDocumentAnalyzer,
  ruleInfos,
  CATALOG_ALTERNATIVE_RULE_ID,
} from '../../analyzers/python/index';
export { findWorkspaceFiles } from '../../repository/files';
export { alternativeEdits, alternativeName, describeSite, type SiteModel } from './model';
export { alternativeItem, modelCardLines, siteLensTitle, siteLensTooltip } from './format';
export { summarizeTraining } from '../../catalog/training-loop';

/** The GL012 message for a described site, or undefined when the catalog knows no usable alternative. */
export function alternativeFinding(
  m: SiteModel,
  source: string,
  settings: Pick<Settings, 'accuracyTolerance' | 'inferencesPerDay'>,
): RawFinding | undefined {
  const best = m.alternatives[0];
  if (!best || !m.match) return undefined;
  const n = m.alternatives.length;
  const saved = best.savings.energy;
  const savings = isDisplayable(saved)
    ? `, saving ≈ ${formatNumber(saved.value)} kWh a year at ${formatNumber(settings.inferencesPerDay)} inferences a day`
    : '';
  const delta = `${best.top1Delta >= 0 ? '+' : ''}${best.top1Delta.toFixed(2)} top-1 points`;
  return {
    ruleId: CATALOG_ALTERNATIVE_RULE_ID,
    message: `${m.label}: the catalog knows ${n} model${n === 1 ? '' : 's'} within ${formatNumber(settings.accuracyTolerance)} top-1 point${settings.accuracyTolerance === 1 ? '' : 's'} of its accuracy that use${n === 1 ? 's' : ''} less energy per inference; the best is ${alternativeName(m.site, best) ?? best.entry.name} (${delta}${savings}).`,
    range: modelIdRange(source, m.site),
  };
}

/**
 * The GL012 site rule over the catalog. `source` returns the text being analyzed (for the model id range);
 * `described` collects each site's description so the lenses reuse it instead of describing twice.
 */
export function catalogSiteRule(
  source: () => string,
  settings: Settings,
  hw: ResolvedHardware | undefined,
  described?: Map<number, SiteModel>,
): SiteRule {
  return (site: ModelSite, index: number) => {
    const m = describeSite(site, settings, hw?.primary);
    described?.set(index, m);
    const f = alternativeFinding(m, source(), settings);
    return f ? [f] : [];
  };
}

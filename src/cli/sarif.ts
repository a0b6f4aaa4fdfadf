/**
 * SARIF 2.1.0 logs for code scanning (GitHub) and the VS Code SARIF viewer: the findings of
 * `greenlens analyze` and the regressions of `greenlens check`. Built on the typed model of @types/sarif.
 * Every result carries a physical location relative to the source root and a partial fingerprint made
 * from the same identity the baseline uses (file and model variable, never the line), so that a result
 * keeps its alert when code moves.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import type { FileAnalysis } from '../analyzers/python/pool';
import { ruleInfos } from '../analyzers/python/rules/index';
import type { Severity } from '../analyzers/python/types';
import { findingIds } from './check/baseline';
import type { CheckItem, CheckResult } from './check/compare';
import { bandText } from './check/format';

declare const GREENLENS_VERSION: string | undefined;

/** Where rule pages are published: the repository's docs/rules folder. */
export const RULE_DOCS_BASE = 'https://github.com/greenlens/greenlens/blob/main/docs/rules/';
const SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const FINGERPRINT = 'greenlensIdentity/v1';

/** Rules of the check itself, next to the green rules GL001–GL012. */
export const CHECK_RULES: ReadonlyArray<{ id: string; name: string; title: string }> = [
  {
    id: 'GLC001',
    name: 'EnergyPerInferenceRise',
    title: 'A model’s energy per inference or yearly energy rose beyond the threshold',
  },
  { id: 'GLC002', name: 'TrainingEnergyRise', title: 'A training run’s estimated energy rose beyond the threshold' },
  { id: 'GLC003', name: 'NewHeavyModel', title: 'A new model at or above the size limit for new models' },
];

const LEVEL: Record<Severity, Sarif.Result.level> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

const fingerprint = (id: string): string => createHash('sha256').update(id).digest('hex').slice(0, 32);
const posix = (p: string): string => p.split(path.sep).join('/');

function rule(
  id: string,
  name: string,
  title: string,
  level: Sarif.ReportingConfiguration.level,
): Sarif.ReportingDescriptor {
  return {
    id,
    name,
    shortDescription: { text: title },
    fullDescription: { text: `${title}. See ${RULE_DOCS_BASE}${id}.md for why it matters and how to fix it.` },
    help: {
      text: `${title}. How to fix it: ${RULE_DOCS_BASE}${id}.md`,
      markdown: `**${title}.** [How to fix it](${RULE_DOCS_BASE}${id}.md)`,
    },
    helpUri: `${RULE_DOCS_BASE}${id}.md`,
    defaultConfiguration: { level },
  };
}

/** A rule's readable name (SARIF wants one that differs from the opaque id): its title in PascalCase. */
export function ruleName(title: string): string {
  return title
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function allRules(): Sarif.ReportingDescriptor[] {
  return [
    ...ruleInfos().map((r) => rule(r.id, ruleName(r.title), r.title, LEVEL[r.defaultSeverity])),
    ...CHECK_RULES.map((r) => rule(r.id, r.name, r.title, 'error')),
  ];
}

function location(file: string, region?: Sarif.Region): Sarif.Location {
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeURI(file), uriBaseId: '%SRCROOT%' },
      ...(region ? { region } : {}),
    },
  };
}

function log(rules: Sarif.ReportingDescriptor[], results: Sarif.Result[]): Sarif.Log {
  const version = typeof GREENLENS_VERSION === 'string' ? GREENLENS_VERSION : '0.0.0-dev';
  return {
    $schema: SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'GreenLens',
            semanticVersion: version,
            informationUri: 'https://github.com/greenlens/greenlens',
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The analyzed folder.' } } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

/** The findings of `greenlens analyze` as SARIF; `root` is the folder paths are relative to. */
export function analyzeSarif(root: string, files: FileAnalysis[]): Sarif.Log {
  const rules = allRules();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results: Sarif.Result[] = [];
  for (const r of files) {
    if (!r.analysis) continue;
    const rel = posix(path.relative(root, r.file) || path.basename(r.file));
    const ids = findingIds(rel, r.analysis);
    r.analysis.findings.forEach((f, i) => {
      const { start, end } = f.range;
      results.push({
        ruleId: f.ruleId,
        ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [
          location(rel, {
            startLine: start.line + 1,
            startColumn: start.character + 1,
            endLine: end.line + 1,
            endColumn: end.character + 1,
          }),
        ],
        partialFingerprints: { [FINGERPRINT]: fingerprint(ids[i]!) },
      });
    });
  }
  return log(rules, results);
}

function checkRuleOf(i: CheckItem): string {
  if (i.subject === 'finding') return i.ruleId ?? 'GL000';
  if (i.subject === 'training') return 'GLC002';
  return i.old ? 'GLC001' : 'GLC003';
}

/** The regressions (and, as notes, the changes within uncertainty) of `greenlens check` as SARIF. */
export function checkSarif(result: CheckResult, strict: boolean): Sarif.Log {
  const rules = allRules();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = result.items
    .filter((i) => i.status === 'regression' || i.status === 'uncertain')
    .map((i): Sarif.Result => {
      const ruleId = checkRuleOf(i);
      const figures =
        i.old && i.new ? ` (${bandText(i.old)} → ${bandText(i.new)})` : i.new ? ` (${bandText(i.new)})` : '';
      const fails = i.status === 'regression' || strict;
      return {
        ruleId,
        ...(index.has(ruleId) ? { ruleIndex: index.get(ruleId) } : {}),
        level: fails ? (i.subject === 'finding' ? LEVEL[i.severity ?? 'warning'] : 'error') : 'note',
        message: { text: `${i.name}: ${i.reason}${figures}.` },
        locations: [location(i.file, i.line !== undefined ? { startLine: i.line } : undefined)],
        // A finding keeps the fingerprint `analyze` gives it, so code scanning sees one alert from either command.
        partialFingerprints: {
          [FINGERPRINT]: fingerprint(
            i.subject === 'finding' ? i.id : `${ruleId}:${i.id}${i.measured ? ':measured' : ''}`,
          ),
        },
      };
    });
  return log(rules, results);
}

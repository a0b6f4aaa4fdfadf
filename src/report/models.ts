/**
 * The models of a report: one per ONNX file and one per model site in Python code, with static cost,
 * catalog facts, the latest profile, yearly impact and the findings that concern them.
 */
import * as path from 'node:path';
import type { Finding, ModelSite, PythonAnalysis } from '../analyzers/python/types';
import type { OnnxSummary } from '../analyzers/onnx/summary';
import type { CatalogEntry } from '../catalog/catalog';
import { entryInferenceEnergy, type Alternative } from '../catalog/recommend';
import type { Device } from '../energy/hardware';
import { energyFromMacs } from '../energy/inference';
import type { Estimate } from '../energy/quantity';
import { SOURCES } from '../energy/sources';
import type { YearlyImpact } from '../energy/workload';
import type { TargetModel } from '../energy/deployment';
import { alternativesFor } from './alternatives';
import type { ResolvedAssumptions } from './assumptions';
import type { ReportInputs, ReportOnnxInput } from './inputs';
import { lookupSite } from '../catalog/siteEdits';
import { gradeLabel, REFERENCE_DEVICE } from '../catalog/grades';
import type { CatalogFacts, ReportFinding, ReportModel, StaticCost } from './types';

/** A report model with what later steps (points, recommendations) need and the JSON does not carry. */
export interface ModelContext {
  model: ReportModel;
  /** The energy per inference the model's yearly figure is based on. */
  energy?: Estimate;
  site?: ModelSite;
  source?: string;
  entry?: CatalogEntry;
  /** Catalog alternatives of a Python site, largest savings first. */
  alternatives?: Alternative[];
}

/** Never lets one bad figure stop the report: the failure becomes a note on the model. */
function attempt<T>(notes: string[], what: string, f: () => T): T | undefined {
  try {
    return f();
  } catch (err) {
    notes.push(`No ${what}: ${(err as Error).message}`);
    return undefined;
  }
}

function yearlyOf(
  energy: Estimate | undefined,
  r: ResolvedAssumptions,
  notes: string[],
  model: TargetModel = {},
): YearlyImpact | undefined {
  return energy ? attempt(notes, 'yearly figure', () => r.yearly(energy, model)) : undefined;
}

function staticCost(summary: OnnxSummary, device: Device, notes: string[]): StaticCost {
  const gmacs = summary.cost.macs / 1e9;
  const energyPerInference =
    gmacs > 0 ? attempt(notes, 'MAC-based energy estimate', () => energyFromMacs({ gmacs, device })) : undefined;
  return {
    params: summary.structure.parameters.count,
    gmacs,
    peakActivationBytes: summary.cost.peakActivationBytes,
    coverage: summary.cost.coverage.macShare,
    energyPerInference,
  };
}

/** The compute of a report model that scaling to the deployment target needs. */
export function targetModelOf(ctx: ModelContext): TargetModel {
  return ctx.entry ? { gmacs: ctx.entry.gmacs, mactsM: ctx.entry.mactsM } : { gmacs: ctx.model.static?.gmacs };
}

/** Energy of the measured baseline of a profile, when it was measured. */
export function baselineEnergy(ctx: ModelContext): Estimate | undefined {
  const base = ctx.model.profile?.variants.find((v) => v.kind === 'baseline' && v.status === 'measured');
  return base?.energy?.perInference;
}

function onnxModel(input: ReportOnnxInput, inputs: ReportInputs, r: ResolvedAssumptions): ModelContext {
  const notes: string[] = [];
  const model: ReportModel = {
    id: `onnx:${input.file}`,
    kind: 'onnx',
    name: path.posix.basename(input.file),
    file: input.file,
    framework: 'onnx',
    findings: [],
    notes,
  };
  if (input.error) notes.push(`Unreadable: ${input.error}`);
  if (input.summary) {
    model.static = staticCost(input.summary, r.device, notes);
    if (input.summary.cost.coverage.macShare < 1)
      notes.push(
        `Only ${(input.summary.cost.coverage.macShare * 100).toFixed(0)} % of the MAC-bearing nodes could be counted: the static figures are a lower bound.`,
      );
  }
  const profile = inputs.profiles?.[input.file];
  if (profile) model.profile = profile;
  const ctx: ModelContext = { model };
  // A measurement on this machine beats a MAC count: the yearly figure uses it when there is one.
  ctx.energy = baselineEnergy(ctx) ?? model.static?.energyPerInference;
  model.yearly = yearlyOf(ctx.energy, r, notes, targetModelOf(ctx));
  for (const v of profile?.variants ?? []) {
    if (v.status !== 'measured') notes.push(`Variant ${v.id} ${v.status}${v.reason ? `: ${v.reason}` : ''}.`);
  }
  return ctx;
}

function catalogFacts(entry: CatalogEntry, energy: Estimate): CatalogFacts {
  const facts: CatalogFacts = {
    name: entry.name,
    library: entry.source,
    top1: entry.top1,
    gmacs: entry.gmacs,
    grade: entry.grade,
    gradeLabel: gradeLabel(entry),
    referenceDevice: REFERENCE_DEVICE,
    energyPerInference: energy,
    source: entry.source === 'torchvision' ? SOURCES.torchvision : SOURCES.timmResults,
  };
  if (entry.gradeRange && entry.gradeRange[0] !== entry.gradeRange[1]) facts.gradeRange = [...entry.gradeRange];
  if (entry.testNetwork) facts.testNetwork = true;
  return facts;
}

function siteModel(file: string, site: ModelSite, source: string | undefined, r: ResolvedAssumptions): ModelContext {
  const notes: string[] = [];
  const line = site.range.start.line + 1;
  const model: ReportModel = {
    id: `py:${file}:${line}`,
    kind: 'python-site',
    name: site.modelId ?? site.callee,
    file,
    line,
    framework: site.framework,
    findings: [],
    notes,
  };
  const ctx: ModelContext = { model, site, source };
  const match = lookupSite(site);
  if (!match) {
    notes.push(
      site.modelId
        ? `"${site.modelId}" is not in the catalog (ImageNet classifiers from timm and torchvision): no energy figure.`
        : 'The model is not named statically: no energy figure.',
    );
    return ctx;
  }
  if (match.note) notes.push(match.note);
  ctx.entry = match.entry;
  const energy = attempt(notes, 'energy figure', () => entryInferenceEnergy(match.entry, r.device));
  if (energy) {
    model.catalog = catalogFacts(match.entry, energy);
    ctx.energy = energy;
    model.yearly = yearlyOf(energy, r, notes, targetModelOf(ctx));
    ctx.alternatives = attempt(notes, 'alternatives', () => alternativesFor(ctx, r)) ?? [];
  }
  return ctx;
}

function toReportFinding(f: Finding, file: string): ReportFinding {
  const out: ReportFinding = {
    ruleId: f.ruleId,
    message: f.message,
    severity: f.severity,
    file,
    line: f.range.start.line + 1,
  };
  if (f.fix) out.fix = { title: f.fix.title, edits: f.fix.edits };
  return out;
}

/** The ONNX file an onnxruntime site loads, matched by its literal path relative to the script or the workspace. */
function linkedOnnx(file: string, site: ModelSite, onnx: ModelContext[]): ModelContext | undefined {
  if (site.framework !== 'onnxruntime' || !site.path) return undefined;
  const p = site.path.replace(/\\/g, '/');
  const candidates = [path.posix.normalize(p), path.posix.normalize(path.posix.join(path.posix.dirname(file), p))];
  return (
    onnx.find((m) => candidates.includes(m.model.file)) ??
    onnx.find((m) => m.model.file.endsWith(`/${p.replace(/^\.\//, '')}`))
  );
}

/** The model a finding concerns: its site's, else the nearest site above it in the file, else the file's first. */
function ownerOf(f: Finding, bySite: Map<number, ModelContext>, analysis: PythonAnalysis): ModelContext | undefined {
  if (f.site !== undefined && bySite.has(f.site)) return bySite.get(f.site);
  const above = [...bySite.entries()]
    .filter(([i]) => (analysis.sites[i]?.range.start.line ?? Infinity) <= f.range.start.line)
    .sort(([a], [b]) => (analysis.sites[b]?.range.start.line ?? 0) - (analysis.sites[a]?.range.start.line ?? 0));
  return above[0]?.[1] ?? bySite.values().next().value;
}

/**
 * Every model of the workspace. An onnxruntime session that loads one of the workspace's ONNX files is
 * not a model of its own: its findings join that file's model, which notes where it is loaded.
 */
export function buildModels(inputs: ReportInputs, r: ResolvedAssumptions): ModelContext[] {
  const onnx = inputs.onnx.map((o) => onnxModel(o, inputs, r));
  const python: ModelContext[] = [];
  for (const file of inputs.python) {
    const analysis = file.analysis;
    if (!analysis) continue;
    const bySite = new Map<number, ModelContext>();
    analysis.sites.forEach((site, i) => {
      if (site.kind === 'define') return;
      const linked = linkedOnnx(file.file, site, onnx);
      if (linked) {
        linked.model.notes.push(`Loaded by ${file.file}:${site.range.start.line + 1}.`);
        bySite.set(i, linked);
        return;
      }
      const ctx = siteModel(file.file, site, file.source, r);
      bySite.set(i, ctx);
      python.push(ctx);
    });
    for (const f of analysis.findings) ownerOf(f, bySite, analysis)?.model.findings.push(toReportFinding(f, file.file));
  }
  return [...onnx, ...python];
}

/**
 * `greenlens demo [folder]`: the main job end to end on a workspace — analyze its Python code, look its
 * models up in the catalog, inspect its ONNX files, profile them briefly on this machine — and write
 * report.md and report.json. Every figure carries its provenance.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { analyzePythonFiles } from '../../analyzers/python/workspace';
import { inspectOnnxFile } from '../../analyzers/onnx/index';
import { lookupModel } from '../../catalog/catalog';
import { entryInferenceEnergy } from '../../catalog/recommend';
import { formatEstimate } from '../../energy/quantity';
import { profileModel, type ProfileResult } from '../../profiler/index';
import { formatProfile } from '../../report/profileText';
import { findWorkspaceFiles } from '../../workspace/files';
import type { CliCommand, CliIO } from '../io';
import { parseDuration } from './profile';

interface SiteRow { file: string; line: number; framework: string; model: string; catalog: string; energy: string }

async function pythonSites(folder: string, files: string[]): Promise<{ sites: SiteRow[]; findings: { file: string; line: number; rule: string; message: string }[] }> {
  const sites: SiteRow[] = [];
  const findings: { file: string; line: number; rule: string; message: string }[] = [];
  for (const fa of await analyzePythonFiles(files)) {
    const rel = path.relative(folder, fa.file);
    for (const s of fa.analysis?.sites ?? []) {
      const hit = s.modelId ? lookupModel(s.modelId) : undefined;
      sites.push({
        file: rel, line: s.range.start.line + 1, framework: s.framework, model: s.modelId ?? '(not static)',
        catalog: hit ? `${hit.entry.name}: top-1 ${hit.entry.top1.toFixed(1)} %, ${hit.entry.gmacs.toFixed(2)} GMACs, grade ${hit.entry.grade}` : 'not in catalog',
        energy: hit ? formatEstimate(entryInferenceEnergy(hit.entry)) : '',
      });
    }
    for (const f of fa.analysis?.findings ?? []) findings.push({ file: rel, line: f.range.start.line + 1, rule: f.ruleId, message: f.message });
  }
  return { sites, findings };
}

async function profileAll(models: string[], folder: string, budgetMs: number, io: CliIO): Promise<ProfileResult[]> {
  const results: ProfileResult[] = [];
  for (const m of models) {
    // A dataset folder beside the models (data/<name>-test or data/*) gives true accuracy.
    const dataset = path.join(folder, 'data', 'fashion-mnist-test');
    io.out(`  profiling ${path.relative(folder, m)} (budget ${budgetMs / 1000} s)…`);
    const storage = path.join(tmpdir(), 'greenlens-demo');
    results.push(await profileModel({
      modelPath: m, storageDir: path.join(storage, 'variants'), cacheDir: path.join(storage, 'cache'), budgetMs,
      variants: 'int8-dynamic,int8-static,opt-all', inputs: existsSync(path.join(dataset, 'inputs.npy')) && m.includes('fashion') ? { datasetDir: dataset } : {},
    }));
  }
  return results;
}

export const demoCommand: CliCommand = {
  summary: 'analyze a folder end to end and write report.md and report.json',
  usage: 'greenlens demo [folder] [--out dir] [--budget 20s]',
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' }, budget: { type: 'string' } } });
    const folder = path.resolve(io.cwd, positionals[0] ?? '.');
    const outDir = path.resolve(io.cwd, values.out ?? path.join('out', 'demo'));
    const budgetMs = parseDuration(values.budget ?? '20s');
    const files = await findWorkspaceFiles(folder);
    io.out(`GreenLens demo over ${folder}: ${files.python.length} Python files, ${files.onnx.length} ONNX models`);
    const { sites, findings } = await pythonSites(folder, files.python);
    const onnx = files.onnx.map((f) => {
      try {
        const s = inspectOnnxFile(f);
        return { file: path.relative(folder, f), params: s.structure.parameters.count, gmacs: s.cost.macs / 1e9, peakActivationBytes: s.cost.peakActivationBytes };
      } catch (err) {
        return { file: path.relative(folder, f), error: (err as Error).message };
      }
    });
    const profiles = await profileAll(files.onnx, folder, budgetMs, io);
    const report = { schemaVersion: 1, generatedAt: new Date().toISOString(), folder, sites, findings, onnx, profiles };
    const md = [
      '# GreenLens report', '', `Folder: \`${folder}\``, '', '## Model sites in Python code', '',
      '| file:line | framework | model | catalog | energy per inference |', '|---|---|---|---|---|',
      ...sites.map((s) => `| ${s.file}:${s.line} | ${s.framework} | ${s.model} | ${s.catalog} | ${s.energy} |`), '',
      '## Green findings', '', ...findings.map((f) => `- ${f.file}:${f.line} **${f.rule}** ${f.message}`), '',
      '## ONNX models (counted statically, batch 1)', '', '| file | parameters | GMACs |', '|---|---|---|',
      ...onnx.map((o) => ('error' in o ? `| ${o.file} | unreadable: ${o.error} | |` : `| ${o.file} | ${o.params.toLocaleString('en-US')} | ${o.gmacs.toFixed(4)} |`)), '',
      '## Measured on this machine', '', ...profiles.map((p) => '```\n' + formatProfile(p) + '\n```'), '',
    ].join('\n');
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, 'report.json'), JSON.stringify(report, null, 2));
    await writeFile(path.join(outDir, 'report.md'), md);
    io.out(md);
    io.out(`Wrote ${path.join(outDir, 'report.md')} and report.json`);
    return 0;
  },
};

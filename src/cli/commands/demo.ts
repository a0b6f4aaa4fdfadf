/** `greenlens demo [folder]`: the main job on a workspace — find its models and write the reports. */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { findWorkspaceFiles } from '../../workspace/files';
import type { CliCommand } from '../io';

export const demoCommand: CliCommand = {
  summary: 'analyze a folder end to end and write report.md and report.json',
  usage: 'greenlens demo [folder] [--out dir]',
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' } } });
    const folder = path.resolve(io.cwd, positionals[0] ?? '.');
    const outDir = path.resolve(io.cwd, values.out ?? path.join('out', 'demo'));
    const files = await findWorkspaceFiles(folder);
    io.out(`GreenLens demo over ${folder}`);
    io.out(`  Python files: ${files.python.length}`);
    for (const f of files.python) io.out(`    ${path.relative(folder, f)}`);
    io.out(`  ONNX models:  ${files.onnx.length}`);
    for (const f of files.onnx) io.out(`    ${path.relative(folder, f)}`);
    await mkdir(outDir, { recursive: true });
    const report = {
      schemaVersion: 0,
      generatedAt: new Date().toISOString(),
      folder,
      python: files.python.map((f) => path.relative(folder, f)),
      onnx: files.onnx.map((f) => path.relative(folder, f)),
    };
    await writeFile(path.join(outDir, 'report.json'), JSON.stringify(report, null, 2));
    const md = ['# GreenLens report', '', `Folder: \`${folder}\``, '', '## Python files', ...report.python.map((f) => `- \`${f}\``), '', '## ONNX models', ...report.onnx.map((f) => `- \`${f}\``), ''].join('\n');
    await writeFile(path.join(outDir, 'report.md'), md);
    io.out(`Wrote ${path.join(outDir, 'report.md')} and report.json`);
    return 0;
  },
};

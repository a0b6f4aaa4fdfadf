/**
 * The value-import graph between the top-level modules of src/, read with the TypeScript compiler's
 * parser: a type-only import is erased from the JavaScript output and so cannot take part in a load-order
 * cycle, while a static import, a re-export, a dynamic `import()` and a `require()` all load code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/** The relative module specifiers of `text` that load code at run time. */
export function valueSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !isTypeOnlyImport(node))
      out.push(node.moduleSpecifier.text);
    else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      !isTypeOnlyExport(node)
    )
      out.push(node.moduleSpecifier.text);
    else if (
      ts.isImportEqualsDeclaration(node) &&
      !node.isTypeOnly &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    )
      out.push(node.moduleReference.expression.text);
    else if (
      ts.isCallExpression(node) &&
      isLoadCall(node) &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    )
      out.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out.filter((s) => s.startsWith('.'));
}

/** `import type {…}`, or `import {type A, type B}` with no default or namespace binding: erased. */
function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return (
    !clause.name &&
    !!named &&
    ts.isNamedImports(named) &&
    named.elements.length > 0 &&
    named.elements.every((e) => e.isTypeOnly)
  );
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return (
    !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly)
  );
}

function isLoadCall(node: ts.CallExpression): boolean {
  return (
    node.expression.kind === ts.SyntaxKind.ImportKeyword ||
    (ts.isIdentifier(node.expression) && node.expression.text === 'require')
  );
}

/** The top-level module of a path under `srcDir`: its first folder, or the file's own name at the top. */
export function topModule(srcDir: string, file: string): string {
  const rel = path.relative(srcDir, file).split(path.sep);
  return rel.length > 1 ? rel[0]! : rel[0]!.replace(/\.tsx?$/, '');
}

function resolveSpecifier(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not this candidate; the next one may exist.
    }
  }
  return undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(d.name) && !d.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** One edge of the module graph, with a file import that makes it (for the failure message). */
export interface ModuleEdge {
  from: string;
  to: string;
  example: string;
}

/** The value-import edges between top-level modules of `srcDir`; imports within a module are left out. */
export function moduleGraph(srcDir: string): Map<string, Map<string, ModuleEdge>> {
  const graph = new Map<string, Map<string, ModuleEdge>>();
  for (const file of sourceFiles(srcDir)) {
    const from = topModule(srcDir, file);
    for (const spec of valueSpecifiers(file, readFileSync(file, 'utf8'))) {
      const target = resolveSpecifier(file, spec);
      if (!target || path.relative(srcDir, target).startsWith('..')) continue;
      const to = topModule(srcDir, target);
      if (to === from) continue;
      const edges = graph.get(from) ?? new Map<string, ModuleEdge>();
      if (!edges.has(to)) edges.set(to, { from, to, example: `${path.relative(srcDir, file)} → ${spec}` });
      graph.set(from, edges);
    }
  }
  return graph;
}

/** The first cycle found by a depth-first walk, as its edges, or undefined when the graph has none. */
export function findCycle(graph: Map<string, Map<string, ModuleEdge>>): ModuleEdge[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: ModuleEdge[] = [];
  const walk = (node: string): ModuleEdge[] | undefined => {
    state.set(node, 'open');
    for (const edge of [...(graph.get(node)?.values() ?? [])].sort((a, b) => a.to.localeCompare(b.to))) {
      stack.push(edge);
      if (state.get(edge.to) === 'open') return stack.slice(stack.findIndex((e) => e.from === edge.to));
      if (!state.has(edge.to)) {
        const found = walk(edge.to);
        if (found) return found;
      }
      stack.pop();
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    if (state.has(node)) continue;
    const found = walk(node);
    if (found) return found;
  }
  return undefined;
}
